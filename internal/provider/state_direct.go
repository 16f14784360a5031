// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

// Large results (thousands of transfers) are written to state as
// tftypes values built directly: the framework's reflection path
// (types.ListValueFrom, State.Set) re-derives each element's type and
// compiles field-name regexps per struct, which cost about 130 KB of
// allocations per transfer and a 400 MB peak for 10,000 of them.

// modelFields is a model struct's tfsdk field names and index paths
// (reflect.Value.FieldByIndex), embedded structs' fields included as the
// framework reads them.
type modelFields struct {
	names []string
	index [][]int
}

var modelFieldCache sync.Map // reflect.Type -> modelFields

// fieldsOf lists the tfsdk-tagged fields of a model struct type, once.
func fieldsOf(t reflect.Type) modelFields {
	if f, ok := modelFieldCache.Load(t); ok {
		fields, _ := f.(modelFields) // Only modelFields are stored.
		return fields
	}
	var f modelFields
	collectFields(t, nil, &f)
	modelFieldCache.Store(t, f)
	return f
}

// collectFields appends t's tfsdk-tagged fields under the index path
// prefix, descending into untagged embedded structs.
func collectFields(t reflect.Type, prefix []int, f *modelFields) {
	for i := range t.NumField() {
		field := t.Field(i)
		path := append(slices.Clone(prefix), i)
		switch tag := field.Tag.Get("tfsdk"); {
		case tag == "" && field.Anonymous && field.Type.Kind() == reflect.Struct:
			collectFields(field.Type, path, f)
		case tag != "" && tag != "-":
			f.names = append(f.names, tag)
			f.index = append(f.index, path)
		}
	}
}

// modelToTerraform converts a model struct whose tagged fields are all
// attr.Values into a value of typ; override replaces attributes by name.
func modelToTerraform(ctx context.Context, model any, typ tftypes.Object, override map[string]tftypes.Value) (tftypes.Value, error) {
	v := reflect.ValueOf(model)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	f := fieldsOf(v.Type())
	vals := make(map[string]tftypes.Value, len(f.names))
	for i, name := range f.names {
		if o, ok := override[name]; ok {
			vals[name] = o
			continue
		}
		av, ok := v.FieldByIndex(f.index[i]).Interface().(attr.Value)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("model field %s is not an attr.Value", name)
		}
		tv, err := av.ToTerraformValue(ctx)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("attribute %s: %w", name, err)
		}
		vals[name] = tv
	}
	if err := tftypes.ValidateValue(typ, vals); err != nil {
		return tftypes.Value{}, err
	}
	return tftypes.NewValue(typ, vals), nil
}

// getModel reads raw, a value of the schema's object type typ, into model
// (a pointer to a struct of attr.Values) directly: each attribute's own
// type converts it. It is what the resource's Read and ModifyPlan run for
// every resource, and the framework's reflection (fallback, e.g.
// req.State.Get) compiles a regular expression per struct field on every
// call (terraform-plugin-framework v1.19 internal/reflect.isValidFieldName:
// about a fifth of a refreshing plan's CPU). A value this cannot convert
// goes to the fallback, which reports why.
func getModel(ctx context.Context, raw tftypes.Value, typ attr.Type, fallback func(context.Context, any) diag.Diagnostics, model any) diag.Diagnostics {
	if terraformToModel(ctx, raw, typ, model) == nil {
		return nil
	}
	return fallback(ctx, model)
}

// terraformToModel is getModel's direct conversion; model is left partly
// filled on error.
func terraformToModel(ctx context.Context, raw tftypes.Value, typ attr.Type, model any) error {
	obj, ok := typ.(attr.TypeWithAttributeTypes)
	if !ok || raw.IsNull() || !raw.IsKnown() {
		return fmt.Errorf("not a known object of %s", typ)
	}
	attrTypes := obj.AttributeTypes()
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil {
		return err
	}
	v := reflect.ValueOf(model)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("%T is not a pointer to a struct", model)
	}
	v = v.Elem()
	f := fieldsOf(v.Type())
	if len(f.names) != len(attrTypes) || len(vals) != len(attrTypes) {
		return fmt.Errorf("%d model fields, %d attribute types, %d values", len(f.names), len(attrTypes), len(vals))
	}
	for i, name := range f.names {
		at, ok := attrTypes[name]
		tv, present := vals[name]
		if !ok || !present {
			return fmt.Errorf("attribute %s is not in the object", name)
		}
		av, err := at.ValueFromTerraform(ctx, tv)
		if err != nil {
			return fmt.Errorf("attribute %s: %w", name, err)
		}
		field, rv := v.FieldByIndex(f.index[i]), reflect.ValueOf(av)
		if !rv.IsValid() || !rv.Type().AssignableTo(field.Type()) {
			return fmt.Errorf("attribute %s: %T does not fit the model's %s", name, av, field.Type())
		}
		field.Set(rv)
	}
	return nil
}

// objectType is typ's Terraform object type.
func objectType(ctx context.Context, typ attr.Type) (tftypes.Object, error) {
	obj, ok := typ.TerraformType(ctx).(tftypes.Object)
	if !ok {
		return tftypes.Object{}, fmt.Errorf("%s is not an object type", typ)
	}
	return obj, nil
}

// transferListBuilder collects the results of partnercenter_transfers as
// Terraform values, each built as it is listed, and sorts them at the end.
type transferListBuilder struct {
	types   transferValueTypes
	idsOnly bool
	// withoutLineItems makes every line_items null.
	withoutLineItems bool
	entries          []listedValue
}

// listedValue is one result: its sort key and, unless ids_only, its value.
type listedValue struct {
	key   transfers.Key
	value tftypes.Value
}

func newTransferListBuilder(ctx context.Context, idsOnly, withoutLineItems bool) (*transferListBuilder, error) {
	vt, err := newTransferValueTypes(ctx)
	return &transferListBuilder{types: vt, idsOnly: idsOnly, withoutLineItems: withoutLineItems}, err
}

// add converts one listed transfer.
func (b *transferListBuilder) add(l transfers.Listed) error {
	e := listedValue{key: l.Key()}
	if !b.idsOnly {
		v, err := b.types.value(&l.Transfer.Transfer, l.CustomerID, b.withoutLineItems)
		if err != nil {
			return fmt.Errorf("transfer %s: %w", l.Transfer.ID, err)
		}
		e.value = v
	}
	e.key.Created = cloneTime(e.key.Created)
	b.entries = append(b.entries, e)
	return nil
}

// values are the transfers, ids and customer_id_by_transfer attributes,
// sorted; both lists are empty, not null, when nothing matched, and
// transfers is null with ids_only.
func (b *transferListBuilder) values() map[string]tftypes.Value {
	slices.SortFunc(b.entries, func(x, y listedValue) int { return transfers.CompareKeys(x.key, y.key) })
	elems := make([]tftypes.Value, 0, len(b.entries))
	ids := make([]tftypes.Value, 0, len(b.entries))
	byTransfer := make(map[string]tftypes.Value, len(b.entries))
	for i, e := range b.entries {
		if !b.idsOnly {
			elems = append(elems, e.value)
		}
		id := tftypes.NewValue(tftypes.String, e.key.ID)
		ids = append(ids, id)
		byTransfer[e.key.ID] = tftypes.NewValue(tftypes.String, e.key.CustomerID)
		b.entries[i] = listedValue{} // Let it go once placed.
	}
	listType := tftypes.List{ElementType: b.types.transfer}
	list := tftypes.NewValue(listType, elems)
	if b.idsOnly {
		list = tftypes.NewValue(listType, nil)
	}
	return map[string]tftypes.Value{
		"transfers":               list,
		"ids":                     tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, ids),
		"customer_id_by_transfer": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, byTransfer),
	}
}

// cloneTime copies t, so a key holds no pointer into the wire record.
func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
