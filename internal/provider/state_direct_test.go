// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestModelToTerraformMatchesTheModelAndOverrides(t *testing.T) {
	type model struct {
		Name    types.String `tfsdk:"name"`
		Count   types.Int64  `tfsdk:"count"`
		Ignored string
		Items   types.List `tfsdk:"items"`
	}
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"name": tftypes.String, "count": tftypes.Number, "items": tftypes.List{ElementType: tftypes.String},
	}}
	items := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "a")})
	got, err := modelToTerraform(t.Context(), &model{Name: types.StringValue("x"), Count: types.Int64Null(), Items: types.ListNull(types.StringType)},
		typ, map[string]tftypes.Value{"items": items})
	if err != nil {
		t.Fatal(err)
	}
	want := tftypes.NewValue(typ, map[string]tftypes.Value{
		"name": tftypes.NewValue(tftypes.String, "x"), "count": tftypes.NewValue(tftypes.Number, nil), "items": items,
	})
	if !got.Equal(want) {
		t.Fatalf("got %s, want %s", got, want)
	}
	// A type that does not fit is an error, not a panic.
	_, err = modelToTerraform(t.Context(), &model{Name: types.StringValue("x"), Count: types.Int64Value(1), Items: types.ListNull(types.StringType)},
		tftypes.Object{AttributeTypes: map[string]tftypes.Type{"name": tftypes.String}}, nil)
	if err == nil {
		t.Fatal("want an error for attributes the type lacks")
	}
}

func TestTransferListTerraformIsEmptyNotNull(t *testing.T) {
	list, ids, err := transferListTerraform(t.Context(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if list.IsNull() || ids.IsNull() || !strings.Contains(list.Type().String(), "Object") {
		t.Fatalf("list %s ids %s", list, ids)
	}
}
