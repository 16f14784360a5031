// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

func TestCreateReturnsTheReferenceWireFormat(t *testing.T) {
	h := newHarness(t)
	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID),
		body:    createBodyFor(sourceTenant),
		headers: map[string]string{"MS-RequestId": "7c3a54a4-4bb8-4d61-9d43-6a35b7b1e7d1", "MS-CorrelationId": "corr-1"}})
	if res.status != http.StatusCreated {
		t.Fatalf("status = %d, want 201: %s", res.status, res.body)
	}
	if got := res.header.Get("MS-RequestId"); got != "7c3a54a4-4bb8-4d61-9d43-6a35b7b1e7d1" {
		t.Errorf("MS-RequestId echoed as %q", got)
	}
	if got := res.header.Get("MS-CorrelationId"); got != "corr-1" {
		t.Errorf("MS-CorrelationId echoed as %q", got)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	m := res.raw(t)
	id, _ := m["id"].(string)
	checks := map[string]any{
		"status":                 "Pending",
		"transferType":           float64(3),
		"transferDirection":      float64(1),
		"partnertenantid":        targetTenant,
		"customerTenantId":       customerID,
		"customerEmailId":        "it-admin@northwind.example",
		"customerName":           "Northwind Traders",
		"sourcePartnerTenantId":  sourceTenant,
		"sourcePartnerName":      "Contoso Old Partner",
		"targetPartnerTenantId":  targetTenant,
		"targetPartnerName":      "Fabrikam New Partner",
		"targetPartnerEmailId":   "",
		"completedTime":          nil,
		"targetProductTypes":     nil,
		"createdTime":            "2025-03-01T10:15:30.1234567Z",
		"lastModifiedTime":       "2025-03-01T10:15:30Z",
		"expirationTime":         "2025-03-31T10:15:30Z",
		"lineItems":              []any{},
		"ignoreEligibilityCheck": false,
		"attributes":             map[string]any{"objectType": "TransferEntity"},
		"links": map[string]any{"self": map[string]any{
			"uri": "/customers/" + customerID + "/transfers/" + id, "method": "GET", "headers": []any{},
		}},
	}
	for key, want := range checks {
		got, present := m[key]
		if !present {
			t.Errorf("%q missing from %s", key, res.body)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", key, got, want)
		}
	}
	if _, ok := m["partnerTenantId"]; ok {
		t.Error("partnertenantid must be all lower-case on the wire")
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`).MatchString(id) {
		t.Errorf("id %q is not a GUID", id)
	}
	if user, _ := m["lastModifiedUser"].(string); user == "" {
		t.Error("lastModifiedUser is empty; want the caller's object id")
	}

	// The source sees the same transfer as outgoing, with itself as partnertenantid.
	src := h.get(sourceTenant, id)
	if src.TransferDirection != directionOutgoing || src.PartnerTenantID != sourceTenant {
		t.Errorf("source view direction=%d partnertenantid=%s, want 2 and the source", src.TransferDirection, src.PartnerTenantID)
	}
	// The server view is what Go callers get.
	srv, ok := h.e.Transfer(customerID, id)
	if !ok || srv.TransferDirection != 0 || srv.Status != statusPending || !srv.CreatedTime.Equal(testStart) {
		t.Errorf("server view = %s", describe(srv))
	}
}

// documentedTransferMembers is the TransferEntity field list of Microsoft's
// REST reference (REFERENCE.md §2.1).
var documentedTransferMembers = []string{
	"alternateId", "attributes", "completedTime", "createdTime", "customerEmailId", "customerName", "customerTenantId",
	"expirationTime", "id", "ignoreEligibilityCheck", "lastModifiedTime", "lastModifiedUser", "lineItems", "links",
	"participants", "partnerOnRecord", "partnertenantid", "sourcePartnerEmailId", "sourcePartnerName", "sourcePartnerTenantId",
	"status", "targetPartnerEmailId", "targetPartnerName", "targetPartnerTenantId", "targetProductTypes", "transferDirection",
	"transferType",
}

func TestWireTransferSendsOnlyDocumentedMembers(t *testing.T) {
	// The default shape sends Microsoft's names and nothing a client could
	// not find in the documentation (WireVariants.ExtraMembers adds some).
	wt := reflect.TypeFor[wireTransfer]()
	for i := range wt.NumField() {
		name, _, _ := strings.Cut(wt.Field(i).Tag.Get("json"), ",")
		if !slices.Contains(documentedTransferMembers, name) {
			t.Errorf("emulator sends %q, which the TransferEntity documentation does not list", name)
		}
	}
}

func TestCreateBindsBodiesCaseInsensitively(t *testing.T) {
	h := newHarness(t)
	// What a real client (System.Text.Json, no naming policy) sent.
	body := `{"SourcePartnerTenantId":"A1A1A1A1-0000-4000-8000-000000000001","SourcePartnerName":"Contoso (as typed)",
		"CustomerEmailId":"admin@northwind.example","CustomerName":"Northwind","TargetPartnerEmailId":"crm-ref-42",
		"TransferType":"5","TargetProductTypes":["onlineservicesnce","AzureSubscription"],
		"Participants":[{"Key":"TransactionReseller","Value":"5556667"}],"PartnerOnRecord":"7654321"}`
	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: body})
	if res.status != http.StatusCreated {
		t.Fatalf("status = %d: %s", res.status, res.body)
	}
	tr := res.transfer(t)
	want := Transfer{
		TransferType: 5, SourcePartnerTenantID: sourceTenant, SourcePartnerName: "Contoso (as typed)",
		CustomerEmailID: "admin@northwind.example", CustomerName: "Northwind", TargetPartnerEmailID: "crm-ref-42",
		TargetProductTypes: []string{"OnlineServicesNCE", "AzureSubscription"}, PartnerOnRecord: "7654321",
		Participants: []Participant{{Key: "TransactionReseller", Value: "5556667"}},
	}
	got := Transfer{
		TransferType: tr.TransferType, SourcePartnerTenantID: tr.SourcePartnerTenantID, SourcePartnerName: tr.SourcePartnerName,
		CustomerEmailID: tr.CustomerEmailID, CustomerName: tr.CustomerName, TargetPartnerEmailID: tr.TargetPartnerEmailID,
		TargetProductTypes: tr.TargetProductTypes, PartnerOnRecord: tr.PartnerOnRecord, Participants: tr.Participants,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bound transfer\n got %s\nwant %s", describe(got), describe(want))
	}
	if !strings.Contains(string(res.body), `"participants":[{"key":"TransactionReseller","value":"5556667"}]`) {
		t.Errorf("participants not emitted as key/value: %s", res.body)
	}
}

func TestCreateValidation(t *testing.T) {
	h := newHarness(t)
	h.addOutsider()
	with := func(changes map[string]any) map[string]any {
		b := createBodyFor(sourceTenant)
		for k, v := range changes {
			if v == nil {
				delete(b, k)
				continue
			}
			b[k] = v
		}
		return b
	}
	unrelatedCustomer := "c3c3c3c3-0000-4000-8000-0000000000ff"
	tests := []struct {
		name     string
		tenant   string
		customer string
		body     any
		status   int
		code     string
		mentions []string
	}{
		{"missing email", targetTenant, customerID, with(map[string]any{"customerEmailId": nil}), 400, codeInvalidInput, []string{"customerEmailId is required"}},
		{"bad email", targetTenant, customerID, with(map[string]any{"customerEmailId": "not-an-email"}), 400, codeInvalidInput, []string{"not-an-email"}},
		{"missing source", targetTenant, customerID, with(map[string]any{"sourcePartnerTenantId": nil}), 400, codeInvalidInput, []string{"sourcePartnerTenantId is required"}},
		{"source not a GUID", targetTenant, customerID, with(map[string]any{"sourcePartnerTenantId": "contoso"}), 400, codeInvalidInput, []string{`"contoso" is not a GUID`}},
		{"missing transferType", targetTenant, customerID, with(map[string]any{"transferType": nil}), 400, codeInvalidInput, []string{"transferType is required"}},
		{"unsupported transferType", targetTenant, customerID, with(map[string]any{"transferType": 1}), 400, codeInvalidInput, []string{"transferType 1"}},
		{"non-numeric transferType", targetTenant, customerID, with(map[string]any{"transferType": "three"}), 400, codeInvalidInput, []string{"transferType must be an integer"}},
		{"unknown product type", targetTenant, customerID, with(map[string]any{"targetProductTypes": []string{"Hardware"}}), 400, codeInvalidInput, []string{`"Hardware"`}},
		{"wrong JSON type", targetTenant, customerID, with(map[string]any{"customerName": 42}), 400, codeInvalidInput, []string{"customerName"}},
		{"several problems at once", targetTenant, customerID, map[string]any{}, 400, codeInvalidInput, []string{"customerEmailId is required", "sourcePartnerTenantId is required", "transferType is required"}},
		{"not JSON", targetTenant, customerID, "<Transfer/>", 400, codeInvalidInput, []string{"JSON object"}},
		{"JSON array", targetTenant, customerID, "[]", 400, codeInvalidInput, []string{"JSON object"}},
		{"empty body", targetTenant, customerID, "", 400, codeInvalidInput, []string{"empty"}},
		{"customer path not a GUID", targetTenant, "northwind", createBodyFor(sourceTenant), 400, codeInvalidInput, []string{"northwind"}},
		{"source is the caller", targetTenant, customerID, createBodyFor(targetTenant), 400, codeSourceIsRequester, nil},
		{"unknown source partner", targetTenant, customerID, createBodyFor("99999999-0000-4000-8000-000000000009"), 400, codeUnknownSourcePartner, []string{"99999999-0000-4000-8000-000000000009"}},
		{"target is someone else", targetTenant, customerID, with(map[string]any{"targetPartnerTenantId": outsiderTenant}), 400, codeInvalidInput, []string{"targetPartnerTenantId"}},
		{"unknown customer", targetTenant, unrelatedCustomer, createBodyFor(sourceTenant), 403, codeNoRelationship, []string{unrelatedCustomer}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := h.do(call{tenant: tc.tenant, method: http.MethodPost, path: transfersPath(tc.customer), body: tc.body})
			eb := res.expectError(t, tc.status, tc.code, tc.mentions...)
			if eb.Data == nil {
				t.Error("data must be an array, not absent")
			}
		})
	}
	if n := len(h.e.Transfers()); n != 0 {
		t.Fatalf("%d transfers were created by invalid requests", n)
	}
}

func TestCreateRequiresARelationshipWithTheCustomer(t *testing.T) {
	h := newHarness(t)
	if err := h.e.AddPartner(Partner{TenantID: outsiderTenant, Name: "Unrelated", Apps: []fakeentra.App{{ClientID: "f6f6f6f6-0000-4000-8000-0000000000f6", ClientSecret: "s"}}}); err != nil {
		t.Fatal(err)
	}
	h.secrets[outsiderTenant] = [2]string{"f6f6f6f6-0000-4000-8000-0000000000f6", "s"}
	res := h.do(call{tenant: outsiderTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant)})
	res.expectError(t, http.StatusForbidden, codeNoRelationship, customerID)
	// An explicit target equal to the caller is fine.
	body := createBodyFor(sourceTenant)
	body["targetPartnerTenantId"] = strings.ToUpper(targetTenant)
	res = h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: body})
	if res.status != http.StatusCreated || res.transfer(t).TargetPartnerTenantID != targetTenant {
		t.Fatalf("explicit target: HTTP %d %s", res.status, res.body)
	}
}
