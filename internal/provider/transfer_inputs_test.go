// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

const echoSub = "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"

// seedTransfer decodes one of the client's verbatim fixtures of
// Microsoft's example bodies.
func seedTransfer(t *testing.T, name string) *partnercenter.Transfer {
	t.Helper()
	b, err := os.ReadFile("../partnercenter/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var tr partnercenter.Transfer
	if err := tr.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	return &tr
}

// TestKeepInputsOnDocumentedCreateAnswer replays issue 14's first failure
// (the documented 201 answer echoes customerEmailId "") and issue 23's (it
// fills targetPartnerEmailId in although the request sent none).
func TestKeepInputsOnDocumentedCreateAnswer(t *testing.T) {
	ctx := t.Context()
	wire := seedTransfer(t, "seed004_response_201_pending.json")
	flat, diags := flattenTransfer(ctx, wire, "aaaabbbb-0000-cccc-1111-dddd2222eeee", nil)
	if diags.HasError() {
		t.Fatal(diags)
	}
	plan := flat
	plan.CustomerEmail = types.StringValue("admin@northwind.example")
	plan.SourcePartnerName = types.StringValue("test_test_ip4_ag")
	plan.TransferType = types.Int64Value(5)
	plan.TargetPartnerEmail = types.StringNull()        // left unset: stays unset
	plan.PartnerOfRecord = types.StringValue("1234567") // configured, echoed as nothing
	plan.CustomerName = types.StringUnknown()           // not configured: Partner Center's value
	plan.Status = types.StringValue("Planned")
	got, diags := keepInputs(ctx, plan, flat)
	if diags.HasError() {
		t.Fatal(diags)
	}
	for name, pair := range map[string][2]string{
		"customer_email":      {got.CustomerEmail.ValueString(), "admin@northwind.example"},
		"source_partner_name": {got.SourcePartnerName.ValueString(), "test_test_ip4_ag"},
		"partner_of_record":   {got.PartnerOfRecord.ValueString(), "1234567"},
		"customer_name":       {got.CustomerName.ValueString(), "ipdbtrans2"},
		"status":              {got.Status.ValueString(), partnercenter.StatusPending},
		"target_partner_name": {got.TargetPartnerName.ValueString(), "Test_Test_DB_AG"},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s = %q, want %q", name, pair[0], pair[1])
		}
	}
	if !got.TargetPartnerEmail.IsNull() {
		t.Errorf("target_partner_email = %s, want null: it was left unset, whatever Partner Center filled in", got.TargetPartnerEmail)
	}
	if got.TransferType.ValueInt64() != 5 {
		t.Errorf("transfer_type = %d, want the configured 5", got.TransferType.ValueInt64())
	}
	// A state just imported (no inputs known) takes Partner Center's.
	imported, _ := keepInputs(ctx, transferModel{SourcePartnerTenantID: types.StringNull(), TargetPartnerEmail: types.StringNull(),
		CustomerEmail: types.StringNull(), LineItems: types.MapNull(lineItemObjectType)}, flat)
	if imported.TargetPartnerEmail.ValueString() != "817512d3-0689-47a0-bbf2-a7f11ae1fc11" || imported.SourcePartnerTenantID.ValueString() == "" {
		t.Errorf("an imported request shows %s / %s, want Partner Center's values", imported.TargetPartnerEmail, imported.SourcePartnerTenantID)
	}
}

// TestKeepSubmittedProductTypes replays issue 14's second failure: the
// documented in-progress body has "productType": 5.
func TestKeepSubmittedProductTypes(t *testing.T) {
	ctx := t.Context()
	wire := seedTransfer(t, "seed004_request_example_inprogress.json")
	wire.LineItems = append(wire.LineItems, partnercenter.TransferLineItem{SubscriptionID: "bbbb0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", ProductType: "7"})
	flat, diags := flattenTransfer(ctx, wire, "c", []string{echoSub})
	if diags.HasError() {
		t.Fatal(diags)
	}
	// Only the first item was submitted through this configuration.
	prior := flat
	prior.LineItems = unknownLineItemDetails(map[string]string{echoSub: partnercenter.ProductAzureSubscription})
	got, diags := keepInputs(ctx, prior, flat)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var items map[string]lineItemModel
	got.LineItems.ElementsAs(ctx, &items, false)
	if pt := items[echoSub].ProductType.ValueString(); pt != partnercenter.ProductAzureSubscription {
		t.Errorf("submitted item shows %q, want the submitted AzureSubscription", pt)
	}
	if items[echoSub].Status.ValueString() != partnercenter.StatusInProgress || items[echoSub].BillingCycle.ValueString() != "unknown" || items[echoSub].LineItemID.ValueString() != "0" {
		t.Errorf("service-filled details must come from the answer: %+v", items[echoSub])
	}
	if pt := items["bbbb0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"].ProductType.ValueString(); pt != "7" {
		t.Errorf("an item only Partner Center knows shows %q, want the number as sent", pt)
	}
	// The target's own view (no prior items) shows the documented number.
	target, _ := keepInputs(ctx, transferModel{LineItems: types.MapNull(lineItemObjectType)}, flat)
	target.LineItems.ElementsAs(ctx, &items, false)
	if pt := items[echoSub].ProductType.ValueString(); pt != "5" {
		t.Errorf("target view shows %q, want \"5\"", pt)
	}
}

func TestInputPlan(t *testing.T) {
	exists := tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})
	gone := tftypes.NewValue(tftypes.Object{}, nil)
	for _, tc := range []struct {
		name          string
		state, plan   tftypes.Value
		config, prior types.String
		replace       bool
		planned       types.String
	}{
		{"changed input replaces", exists, exists, types.StringValue("new@x.example"), types.StringValue("old@x.example"), true, types.StringValue("new@x.example")},
		{"empty echo updates in place", exists, exists, types.StringValue("it@x.example"), types.StringValue(""), false, types.StringValue("it@x.example")},
		{"other case updates in place", exists, exists, types.StringValue("it@x.example"), types.StringValue("IT@X.example"), false, types.StringValue("it@x.example")},
		{"null state updates in place", exists, exists, types.StringValue("it@x.example"), types.StringNull(), false, types.StringValue("it@x.example")},
		{"not configured keeps the state", exists, exists, types.StringNull(), types.StringValue("old@x.example"), false, types.StringValue("old@x.example")},
		{"not configured keeps a null state", exists, exists, types.StringNull(), types.StringNull(), false, types.StringNull()},
		{"create", gone, exists, types.StringValue("it@x.example"), types.StringNull(), false, types.StringValue("it@x.example")},
		{"destroy", exists, gone, types.StringValue("it@x.example"), types.StringValue("old@x.example"), false, types.StringValue("it@x.example")},
	} {
		req := planmodifier.StringRequest{
			State: tfsdk.State{Raw: tc.state}, Plan: tfsdk.Plan{Raw: tc.plan},
			ConfigValue: tc.config, StateValue: tc.prior, PlanValue: tc.config,
		}
		if tc.config.IsNull() {
			req.PlanValue = types.StringUnknown()
		}
		resp := planmodifier.StringResponse{PlanValue: req.PlanValue}
		if tc.state.IsNull() || tc.plan.IsNull() {
			resp.PlanValue = tc.config
		}
		inputPlan("customer_email").PlanModifyString(t.Context(), req, &resp)
		if resp.RequiresReplace != tc.replace || !resp.PlanValue.Equal(tc.planned) {
			t.Errorf("%s: RequiresReplace = %v, plan %s; want %v, %s", tc.name, resp.RequiresReplace, resp.PlanValue, tc.replace, tc.planned)
		}
	}
}
