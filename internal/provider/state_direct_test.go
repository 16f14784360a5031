// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
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

func TestTransferListBuilderEmptyIsNotNull(t *testing.T) {
	b, err := newTransferListBuilder(t.Context(), false, false)
	if err != nil {
		t.Fatal(err)
	}
	v := b.values()
	if v["transfers"].IsNull() || v["ids"].IsNull() || v["customer_id_by_transfer"].IsNull() || !strings.Contains(v["transfers"].Type().String(), "Object") {
		t.Fatalf("values %v", v)
	}
	b, _ = newTransferListBuilder(t.Context(), true, true)
	if v := b.values(); !v["transfers"].IsNull() || v["ids"].IsNull() {
		t.Fatalf("ids_only: %v", v)
	}
}

// The value built for each transfer is the one the framework would build
// from the flattened model, in the data source's order.
func TestTransferListBuilderMatchesTheFramework(t *testing.T) {
	ctx := t.Context()
	at := func(minute int) *time.Time {
		v := time.Date(2026, 1, 2, 3, minute, 0, 0, time.UTC)
		return &v
	}
	full := partnercenter.Transfer{
		ID: "b", Status: "InProgress", TransferType: 3, CustomerName: "Northwind", CustomerEmailID: "it@northwind.example",
		SourcePartnerTenantID: "s", SourcePartnerName: "Contoso", TargetPartnerTenantID: "t", TargetPartnerName: "Fabrikam",
		TargetProductTypes: []string{"Software", "SaaS"}, Participants: []partnercenter.Participant{{Key: "TransactionReseller", Value: "r"}},
		TransferDirection: 2, CreatedTime: at(5), LastModifiedTime: at(6),
		LineItems: []partnercenter.TransferLineItem{{ID: "1", SubscriptionID: "sub", ProductType: "OnlineServicesNCE", Quantity: 2,
			AddonItems: []partnercenter.TransferLineItem{{SubscriptionID: "addon", Quantity: 1}}}},
	}
	pending := partnercenter.Transfer{ID: "a", Status: "Pending", CreatedTime: at(5)}
	old := partnercenter.Transfer{ID: "z", Status: "Expired", CreatedTime: at(1)}
	for _, withoutLineItems := range []bool{false, true} {
		b, err := newTransferListBuilder(ctx, false, withoutLineItems)
		if err != nil {
			t.Fatal(err)
		}
		listed := []transfers.Listed{{CustomerID: "c2", Transfer: &transfers.Transfer{Transfer: full}},
			{CustomerID: "c1", Transfer: &transfers.Transfer{Transfer: pending}}, {CustomerID: "c3", Transfer: &transfers.Transfer{Transfer: old}}}
		for _, l := range listed {
			if err := b.add(l); err != nil {
				t.Fatal(err)
			}
		}
		v := b.values()
		var elems []tftypes.Value
		if err := v["transfers"].As(&elems); err != nil {
			t.Fatal(err)
		}
		for i, l := range []transfers.Listed{listed[2], listed[1], listed[0]} {
			m, diags := flattenTransfer(ctx, &l.Transfer.Transfer, l.CustomerID, nil)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if withoutLineItems {
				m.LineItems = types.MapNull(lineItemObjectType)
			}
			obj, diags := types.ObjectValueFrom(ctx, transferAttrTypes, m)
			if diags.HasError() {
				t.Fatal(diags)
			}
			want, err := obj.ToTerraformValue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !elems[i].Equal(want) {
				t.Errorf("withoutLineItems=%v: transfer %d = %s, want %s", withoutLineItems, i, elems[i], want)
			}
		}
		wantIDs := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{
			tftypes.NewValue(tftypes.String, "z"), tftypes.NewValue(tftypes.String, "a"), tftypes.NewValue(tftypes.String, "b")})
		if !v["ids"].Equal(wantIDs) {
			t.Errorf("ids %s", v["ids"])
		}
	}
}

// TestGetModelMatchesTheFrameworksGet reads a transfer's state both ways:
// the direct conversion must give what the framework's reflection gives,
// line items, add-ons and timeouts included, and a value it cannot convert
// must go to the fallback.
func TestGetModelMatchesTheFrameworksGet(t *testing.T) {
	ctx := t.Context()
	var sresp resource.SchemaResponse
	NewTransferResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	created := time.Date(2026, 3, 1, 10, 15, 30, 0, time.UTC)
	wire := &partnercenter.Transfer{
		ID: "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11", Status: "InProgress", TransferType: 5,
		CustomerEmailID: "it@contoso.example", SourcePartnerTenantID: "33333333-3333-3333-3333-333333333333",
		TargetPartnerTenantID: "22222222-2222-2222-2222-222222222222", CreatedTime: &created, TargetProductTypes: []string{"OnlineServicesNCE"},
		LineItems: []partnercenter.TransferLineItem{{
			ID: "0", SubscriptionID: "9a7c2c5e-6e2d-4c1e-9c7f-1d4b7b3e2a10", ProductType: "OnlineServicesNCE", Quantity: 7,
			AddonItems: []partnercenter.TransferLineItem{{SubscriptionID: "addon-1", Quantity: 7}},
		}},
	}
	var model transferResourceModel
	model.CustomerID = types.StringValue("11111111-1111-1111-1111-111111111111")
	model.Timeouts = timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType})}
	out, diags := stateFrom(ctx, wire, model)
	if diags.HasError() {
		t.Fatal(diags)
	}
	state := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}
	if diags := state.Set(ctx, &out); diags.HasError() {
		t.Fatal(diags)
	}
	var viaFramework, direct transferResourceModel
	if diags := state.Get(ctx, &viaFramework); diags.HasError() {
		t.Fatal(diags)
	}
	if err := terraformToModel(ctx, state.Raw, state.Schema.Type(), &direct); err != nil {
		t.Fatalf("direct conversion: %v", err)
	}
	if !reflect.DeepEqual(direct, viaFramework) {
		t.Errorf("direct conversion differs from the framework's Get:\n%+v\n%+v", direct, viaFramework)
	}
	if direct.LineItems.IsNull() || direct.ID.ValueString() != wire.ID {
		t.Errorf("the state lost its content: %+v", direct)
	}
	// A struct that does not fit the schema goes to the fallback.
	var other struct {
		ID types.String `tfsdk:"id"`
	}
	called := false
	getModel(ctx, state.Raw, state.Schema.Type(), func(context.Context, any) diag.Diagnostics { called = true; return nil }, &other)
	if !called {
		t.Error("a model that does not fit the schema must go to the framework's Get, which reports why")
	}
}
