// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// configureFailsWithin is the bound for a wrong endpoint or
// credential: the error comes from Configure, not after minutes of retries.
const configureFailsWithin = 10 * time.Second

// TestAccConfigure_failsFastOnTheProviderBlock plans a data source with a
// wrong endpoint (closed port, path typo) or a wrong secret: each fails in
// Configure within seconds, on the provider argument to fix, naming where
// its value came from and never the secret.
func TestAccConfigure_failsFastOnTheProviderBlock(t *testing.T) {
	w := newAccWorld(t)
	clearProviderEnv(t)
	closed := closedLoopbackPort(t)
	const wrongSecret = "not-the-secret-0123456789"
	tests := []struct {
		name     string
		provider string
		env      map[string]string
		want     []string // regexps the error must match
	}{
		{
			name:     "closed port",
			provider: fmt.Sprintf(`endpoint = "https://%s"`, closed),
			want: []string{`Cannot reach the Partner Center endpoint`, `endpoint \(set in the provider block\) is https://` + regexp.QuoteMeta(closed),
				`refused the connection`, `provider "partnercenter"`, `endpoint *= "https://`},
		},
		{
			name:     "path typo ending in /v1",
			provider: fmt.Sprintf(`endpoint = "%s/v1"`, w.server.URL),
			want:     []string{`The endpoint is not Partner Center's API`, `GET /v1/v1/profiles/organization answered 404`, `without a path`, `endpoint *= "https://`},
		},
		{
			name:     "wrong secret from the environment",
			provider: `client_secret = null`,
			env:      map[string]string{"PARTNERCENTER_CLIENT_SECRET": wrongSecret},
			want: []string{`Microsoft Entra ID refused the credentials`, `AADSTS7000215: invalid client secret`,
				`client_secret \(from PARTNERCENTER_CLIENT_SECRET\)`, `tenant is ` + w.target.TenantID + ` from tenant_id \(set in the provider block\)`, `provider "partnercenter"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var got error
			started := time.Now()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				ErrorCheck: func(err error) error {
					got = err
					return nil
				},
				Steps: []resource.TestStep{{
					Config:   fmt.Sprintf("provider \"partnercenter\" {\n%s}\n\ndata \"partnercenter_client_config\" \"current\" {}\n", providerArgs(w, tc.provider)),
					PlanOnly: true,
				}},
			})
			took := time.Since(started)
			if got == nil {
				t.Fatal("the plan succeeded; want Configure to fail")
			}
			text := strings.Join(strings.Fields(got.Error()), " ")
			for _, want := range tc.want {
				if !regexp.MustCompile(want).MatchString(text) {
					t.Errorf("error does not match %q:\n%s", want, got)
				}
			}
			if strings.Contains(text, wrongSecret) || strings.Contains(text, w.target.ClientSecret) {
				t.Errorf("the error shows a secret:\n%s", got)
			}
			if strings.Contains(text, "RESPONSE") || strings.Contains(text, "Trace ID") {
				t.Errorf("the error dumps the raw identity platform response:\n%s", got)
			}
			if took > configureFailsWithin {
				t.Errorf("the plan failed after %s, want within %s", took.Round(time.Millisecond), configureFailsWithin)
			}
			t.Logf("%s: failed in %s", tc.name, took.Round(time.Millisecond))
		})
	}
}

// clearProviderEnv unsets every variable that could supply a provider
// argument, so a test's configuration is the only source.
func clearProviderEnv(t *testing.T) {
	t.Helper()
	for _, env := range os.Environ() {
		if name, _, _ := strings.Cut(env, "="); strings.HasPrefix(name, "ARM_") || strings.HasPrefix(name, "PARTNERCENTER_") || strings.HasPrefix(name, "ACTIONS_ID_TOKEN") {
			t.Setenv(name, "")
			_ = os.Unsetenv(name)
		}
	}
}

// closedLoopbackPort is a loopback address nothing listens on.
func closedLoopbackPort(t *testing.T) string {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		t.Fatal(err)
	}
	return addr
}
