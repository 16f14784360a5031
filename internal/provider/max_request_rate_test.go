// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestMaxRequestRate reads max_requests_per_second from the provider block
// first, then from its environment variable, and names both in the error.
func TestMaxRequestRate(t *testing.T) {
	env := func(v string) func(string) string {
		return func(name string) string {
			if name == "PARTNERCENTER_MAX_REQUESTS_PER_SECOND" {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name    string
		attr    types.Float64
		env     string
		want    float64
		wantErr bool
	}{
		{name: "unset", attr: types.Float64Null(), want: 0},
		{name: "attribute", attr: types.Float64Value(2.5), env: "9", want: 2.5},
		{name: "environment", attr: types.Float64Null(), env: " 4 ", want: 4},
		{name: "environment not a number", attr: types.Float64Null(), env: "fast", wantErr: true},
		{name: "environment zero", attr: types.Float64Null(), env: "0", wantErr: true},
		{name: "environment infinite", attr: types.Float64Null(), env: "Inf", wantErr: true},
	} {
		got, diags := maxRequestRate(providerModel{MaxRequestsPerSecond: tc.attr}, env(tc.env))
		if tc.wantErr {
			if !diags.HasError() {
				t.Errorf("%s: no error for %q", tc.name, tc.env)
				continue
			}
			detail := diags.Errors()[0].Summary() + " " + diags.Errors()[0].Detail()
			if !strings.Contains(detail, "PARTNERCENTER_MAX_REQUESTS_PER_SECOND") || !strings.Contains(detail, "Unset it") {
				t.Errorf("%s: the error does not name the variable and the fix: %s", tc.name, detail)
			}
			continue
		}
		if diags.HasError() || got != tc.want {
			t.Errorf("%s: maxRequestRate = %v, %v; want %v", tc.name, got, diags, tc.want)
		}
	}
}
