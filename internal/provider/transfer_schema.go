// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The partnercenter_transfer resource's schema (transfer_resource_schema.go)
// is the one definition of a transfer. The data sources' attributes, and
// the attribute types used to build values, are derived from it.

// transferResourceSchema is the resource's schema, built once.
var transferResourceSchema = sync.OnceValue(func() rschema.Schema {
	var resp resource.SchemaResponse
	(&transferResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema
})

// transferFieldAttributes are the resource's attributes that transferModel
// holds: every field of a transfer, without the resource's own arguments
// (resourceOnlyAttributes).
func transferFieldAttributes() map[string]rschema.Attribute {
	all := transferResourceSchema().Attributes
	out := map[string]rschema.Attribute{}
	for _, name := range tfsdkNames(reflect.TypeFor[transferModel]()) {
		a, ok := all[name]
		if !ok {
			panic(fmt.Sprintf("transferModel field %q has no attribute in the resource schema", name))
		}
		out[name] = a
	}
	return out
}

// tfsdkNames lists the tfsdk tags of a model struct.
func tfsdkNames(t reflect.Type) []string {
	names := make([]string, 0, t.NumField())
	for f := range t.Fields() {
		names = append(names, f.Tag.Get("tfsdk"))
	}
	return names
}

// attrTypesOf is the attribute types of attrs, from their GetType.
func attrTypesOf(attrs map[string]rschema.Attribute) map[string]attr.Type {
	out := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		out[name] = a.GetType()
	}
	return out
}

// nestedAttributes is the attributes of a nested attribute's object.
func nestedAttributes(a rschema.Attribute) map[string]rschema.Attribute {
	switch n := a.(type) {
	case rschema.MapNestedAttribute:
		return n.NestedObject.Attributes
	case rschema.ListNestedAttribute:
		return n.NestedObject.Attributes
	}
	panic(fmt.Sprintf("%T is not a nested attribute", a))
}

var (
	// transferAttrTypes is the object type of one transfer, for list data sources.
	transferAttrTypes  = attrTypesOf(transferFieldAttributes())
	lineItemAttributes = nestedAttributes(transferResourceSchema().Attributes["line_items"])
	lineItemAttrTypes  = attrTypesOf(lineItemAttributes)
	addOnAttrTypes     = attrTypesOf(nestedAttributes(lineItemAttributes["add_ons"]))
	lineItemObjectType = types.ObjectType{AttrTypes: lineItemAttrTypes}
	addOnObjectType    = types.ObjectType{AttrTypes: addOnAttrTypes}
)

// readOnlyAttributes converts resource attributes into computed data source
// attributes with the same types and descriptions.
func readOnlyAttributes(attrs map[string]rschema.Attribute) map[string]dschema.Attribute {
	out := make(map[string]dschema.Attribute, len(attrs))
	for name, a := range attrs {
		out[name] = readOnlyAttribute(a)
	}
	return out
}

func readOnlyAttribute(a rschema.Attribute) dschema.Attribute {
	desc := a.GetMarkdownDescription()
	switch a := a.(type) {
	case rschema.StringAttribute:
		return dschema.StringAttribute{Computed: true, MarkdownDescription: desc}
	case rschema.Int64Attribute:
		return dschema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	case rschema.BoolAttribute:
		return dschema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	case rschema.SetAttribute:
		return dschema.SetAttribute{Computed: true, ElementType: a.ElementType, MarkdownDescription: desc}
	case rschema.MapNestedAttribute:
		return dschema.MapNestedAttribute{Computed: true, MarkdownDescription: desc,
			NestedObject: dschema.NestedAttributeObject{Attributes: readOnlyAttributes(a.NestedObject.Attributes)}}
	case rschema.ListNestedAttribute:
		return dschema.ListNestedAttribute{Computed: true, MarkdownDescription: desc,
			NestedObject: dschema.NestedAttributeObject{Attributes: readOnlyAttributes(a.NestedObject.Attributes)}}
	}
	panic(fmt.Sprintf("readOnlyAttribute: %T is not handled", a))
}

// resourceOnlyAttributes are the resource's attributes that are not fields
// of a transfer: its own arguments, and the plan's record of a submit.
var resourceOnlyAttributes = []string{"wait_for_completion", "adopt_orphaned_request", "recreate_expired_request", "submission_summary", "timeouts"}
