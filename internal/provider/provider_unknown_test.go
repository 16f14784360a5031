// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Every provider argument counts, including ones a hand-kept list missed
// (max_requests_per_second was absent from the former list).
func TestUnknownAttributesReadsTheConfiguration(t *testing.T) {
	ctx := t.Context()
	var resp provider.SchemaResponse
	New("test")().Schema(ctx, provider.SchemaRequest{}, &resp)
	typ, ok := resp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("provider schema is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["client_secret"] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	vals["max_requests_per_second"] = tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)
	got := unknownAttributes(tfsdk.Config{Schema: resp.Schema, Raw: tftypes.NewValue(typ, vals)})
	if want := []string{"client_secret", "max_requests_per_second"}; !slices.Equal(got, want) {
		t.Fatalf("unknownAttributes = %v, want %v", got, want)
	}
}
