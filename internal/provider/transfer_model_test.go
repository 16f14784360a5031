// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

func TestFlattenTransferKeepsUserKeysAndFields(t *testing.T) {
	created := time.Date(2026, 3, 1, 10, 15, 30, 123456700, time.UTC)
	wire := &partnercenter.Transfer{
		ID: "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11", Status: "InProgress", TransferType: 5,
		CustomerEmailID: "it@contoso.example", SourcePartnerTenantID: "33333333-3333-3333-3333-333333333333",
		TargetPartnerTenantID: "22222222-2222-2222-2222-222222222222", TransferDirection: partnercenter.DirectionOutgoing,
		CreatedTime: &created, TargetProductTypes: []string{"OnlineServicesNCE"},
		Participants: []partnercenter.Participant{{Key: "transactionreseller", Value: "1234567"}},
		LineItems: []partnercenter.TransferLineItem{{
			ID: "0", SubscriptionID: "9A7C2C5E-6E2D-4C1E-9C7F-1D4B7B3E2A10", ProductType: "OnlineServicesNCE", Quantity: 7,
			AddonItems: []partnercenter.TransferLineItem{{SubscriptionID: "addon-1", Quantity: 7}},
		}},
	}
	prior := []string{"9a7c2c5e-6e2d-4c1e-9c7f-1d4b7b3e2a10"}
	m, diags := flattenTransfer(t.Context(), wire, "11111111-1111-1111-1111-111111111111", prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got := m.TransferDirection.ValueString(); got != "outgoing" {
		t.Errorf("direction %q, want outgoing", got)
	}
	if got := m.TransactionResellerID.ValueString(); got != "1234567" {
		t.Errorf("reseller %q: participant keys are matched case-insensitively", got)
	}
	if got := m.CreatedTime.ValueString(); got != "2026-03-01T10:15:30Z" {
		t.Errorf("created_time %q, want RFC 3339 UTC", got)
	}
	if !m.CompletedTime.IsNull() {
		t.Errorf("completed_time should be null for an unfinished transfer")
	}
	items, _ := lineItemProductTypes(t.Context(), m.LineItems)
	if _, ok := items[prior[0]]; !ok || len(items) != 1 {
		t.Fatalf("line item keys %v: the upper-case GUID from the service must map to the user's lower-case key", items)
	}
	var li map[string]lineItemModel
	m.LineItems.ElementsAs(t.Context(), &li, false)
	if li[prior[0]].Quantity.ValueInt64() != 7 || len(li[prior[0]].AddOns.Elements()) != 1 {
		t.Errorf("line item details lost: %+v", li[prior[0]])
	}
}

func TestFlattenTransferNullProductTypesAndEmptyItems(t *testing.T) {
	m, diags := flattenTransfer(t.Context(), &partnercenter.Transfer{ID: "x", Status: "Pending"}, "c", nil)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !m.TargetProductTypes.IsNull() {
		t.Error("absent targetProductTypes must flatten to null (all types), not an empty set")
	}
	if m.LineItems.IsNull() || len(m.LineItems.Elements()) != 0 {
		t.Errorf("no line items must flatten to an empty map, got %v", m.LineItems)
	}
}

func TestExpandCreateRequest(t *testing.T) {
	ctx := t.Context()
	set, _ := types.SetValueFrom(ctx, types.StringType, []string{"AzureSubscription"})
	m := transferModel{
		SourcePartnerTenantID: types.StringValue("s"), SourcePartnerName: types.StringValue("Old"),
		CustomerEmail: types.StringValue("a@b.example"), TransferType: types.Int64Null(),
		TransactionResellerID: types.StringValue("555"), TargetProductTypes: set,
		TargetPartnerTenantID: types.StringUnknown(),
	}
	req, diags := expandCreateRequest(ctx, m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if req.TransferType != 3 {
		t.Errorf("transfer type %d, want the documented default 3", req.TransferType)
	}
	if len(req.Participants) != 1 || req.Participants[0].Key != "TransactionReseller" || req.Participants[0].Value != "555" {
		t.Errorf("participants %+v", req.Participants)
	}
	if req.TargetPartnerTenantID != "" {
		t.Errorf("an unknown target tenant must be left for the service to default, got %q", req.TargetPartnerTenantID)
	}
	if len(req.TargetProductTypes) != 1 || req.TargetProductTypes[0] != "AzureSubscription" {
		t.Errorf("product types %v", req.TargetProductTypes)
	}
}

func TestExpandSubmitLineItemsIsSorted(t *testing.T) {
	ctx := t.Context()
	m := unknownLineItemDetails(map[string]string{"b-sub": "AzureSubscription", "a-sub": "OnlineServicesNCE"})
	items, diags := expandSubmitLineItems(ctx, m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if len(items) != 2 || items[0].SubscriptionID != "a-sub" || items[1].ProductType != "AzureSubscription" {
		t.Fatalf("items %+v", items)
	}
}

func TestParseImportID(t *testing.T) {
	good := "11111111-1111-1111-1111-111111111111/2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11"
	c, tr, err := parseImportID(good)
	if err != nil || c != "11111111-1111-1111-1111-111111111111" || tr != "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11" {
		t.Fatalf("parseImportID(%q) = %q, %q, %v", good, c, tr, err)
	}
	// Transfer ids are Partner Center's: any path-safe form is accepted.
	if c, tr, err := parseImportID("11111111-1111-1111-1111-111111111111/a94dcde1-ecd7-wace-a6ef-ef73ba6b8ba5"); err != nil || tr != "a94dcde1-ecd7-wace-a6ef-ef73ba6b8ba5" || c == "" {
		t.Errorf("non-GUID transfer id rejected: %v", err)
	}
	for _, bad := range []string{"", "/", good + "/x", "11111111-1111-1111-1111-111111111111", "x/2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11",
		strings.Replace(good, "/", ":", 1), "11111111-1111-1111-1111-111111111111/", "11111111-1111-1111-1111-111111111111/a b"} {
		if _, _, err := parseImportID(bad); err == nil || !strings.Contains(err.Error(), "<customer_id>/<transfer_id>") {
			t.Errorf("parseImportID(%q) err = %v, want a message showing the expected form", bad, err)
		}
	}
}

func FuzzParseImportID(f *testing.F) {
	for _, s := range []string{"11111111-1111-1111-1111-111111111111/2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11", "a/b", "", "//", "\x00/\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, tr, err := parseImportID(s)
		if err != nil {
			return
		}
		if !isGUID(c) || !isServerID(tr) || c+"/"+tr != s {
			t.Fatalf("accepted %q as %q/%q", s, c, tr)
		}
	})
}

// call_timeout and refresh_final_transfers: the attribute, else the
// environment variable, else the default; an invalid variable is an error
// naming it.
func TestProviderSettingsAttributeThenEnv(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	set := providerModel{CallTimeout: types.StringValue("20m"), RefreshFinalTransfers: types.BoolValue(false)}
	unset := providerModel{CallTimeout: types.StringNull(), RefreshFinalTransfers: types.BoolNull()}
	if d, diags := callTimeoutFrom(unset, env("")); diags.HasError() || d != defaultCallTimeout {
		t.Errorf("default timeout %s %v", d, diags)
	}
	if r, diags := refreshFinalFrom(unset, env("")); diags.HasError() || r {
		t.Errorf("default refresh %v %v", r, diags)
	}
	// The attribute wins over the variable, even an invalid one.
	if d, diags := callTimeoutFrom(set, env("soon")); diags.HasError() || d != 20*time.Minute {
		t.Errorf("call_timeout = 20m gave %s %v", d, diags)
	}
	if r, diags := refreshFinalFrom(set, env("true")); diags.HasError() || r {
		t.Errorf("refresh_final_transfers = false gave %v %v", r, diags)
	}
	if d, diags := callTimeoutFrom(unset, env("15m")); diags.HasError() || d != 15*time.Minute {
		t.Errorf("PARTNERCENTER_CALL_TIMEOUT=15m gave %s %v", d, diags)
	}
	if _, diags := callTimeoutFrom(unset, env("soon")); !diags.HasError() || !strings.Contains(diags[0].Summary(), envCallTimeout) {
		t.Errorf("an invalid PARTNERCENTER_CALL_TIMEOUT must be an error naming it, got %v", diags)
	}
	if _, diags := refreshFinalFrom(unset, env("perhaps")); !diags.HasError() || !strings.Contains(diags[0].Summary(), envRefreshFinal) {
		t.Errorf("an invalid PARTNERCENTER_REFRESH_FINAL must be an error naming it, got %v", diags)
	}
	if r, _ := refreshFinalFrom(unset, env("true")); !r {
		t.Error("PARTNERCENTER_REFRESH_FINAL=true must force the read")
	}
}

// Identity import and string import accept and refuse the same ids.
func TestImportFormsAgree(t *testing.T) {
	customer := "11111111-1111-1111-1111-111111111111"
	for _, tc := range []struct{ customerID, transferID string }{
		{customer, "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11"},
		{customer, "a94dcde1-ecd7-wace-a6ef-ef73ba6b8ba5"},
		{customer, "12345"},
		{customer, ""},
		{customer, "a b"},
		{"not-a-guid", "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11"},
	} {
		_, _, stringErr := parseImportID(tc.customerID + "/" + tc.transferID)
		identityErr := checkImportIDs(tc.customerID, tc.transferID)
		if (stringErr == nil) != (identityErr == nil) {
			t.Errorf("%q, %q: string import %v, identity import %v", tc.customerID, tc.transferID, stringErr, identityErr)
		}
	}
}
