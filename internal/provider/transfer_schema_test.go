// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// partnercenter_transfer (resource), partnercenter_transfer (data source)
// and each element of partnercenter_transfers describe a transfer with the
// same attributes, types and descriptions.
func TestTransferSchemaIsOneDefinition(t *testing.T) {
	ctx := t.Context()
	dataSchema := func(ds datasource.DataSource) dschema.Schema {
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		return resp.Schema
	}
	single := dataSchema(NewTransferDataSource()).Attributes
	list, ok := dataSchema(NewTransfersDataSource()).Attributes["transfers"].(dschema.ListNestedAttribute)
	if !ok {
		t.Fatal("partnercenter_transfers.transfers is not a list of nested objects")
	}
	want := transferFieldAttributes()
	if len(want) < 20 {
		t.Fatalf("the resource exposes only %d transfer fields", len(want))
	}
	sameAttributes(t, "data.partnercenter_transfer", want, single)
	sameAttributes(t, "data.partnercenter_transfers.transfers[*]", want, list.NestedObject.Attributes)
	if got := attrTypesOf(want); len(got) != len(transferAttrTypes) {
		t.Errorf("transferAttrTypes has %d types, the schema %d", len(transferAttrTypes), len(got))
	}
}

func sameAttributes(t *testing.T, at string, want map[string]rschema.Attribute, got map[string]dschema.Attribute) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s has %d attributes, the resource's transfer %d", at, len(got), len(want))
	}
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s.%s is missing", at, name)
			continue
		case g.GetMarkdownDescription() != w.GetMarkdownDescription():
			t.Errorf("%s.%s is described\n  %q\nbut the resource says\n  %q", at, name, g.GetMarkdownDescription(), w.GetMarkdownDescription())
		case !g.GetType().Equal(w.GetType()):
			t.Errorf("%s.%s has type %s, the resource %s", at, name, g.GetType(), w.GetType())
		}
		var nested map[string]dschema.Attribute
		switch g := g.(type) {
		case dschema.MapNestedAttribute:
			nested = g.NestedObject.Attributes
		case dschema.ListNestedAttribute:
			nested = g.NestedObject.Attributes
		default:
			continue
		}
		sameAttributes(t, at+"."+name, nestedAttributes(w), nested)
	}
}
