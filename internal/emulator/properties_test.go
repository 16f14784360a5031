// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"testing"
)

// A create or PATCH body with a property no documentation lists is
// refused, naming it: a client that misnames partnerOnRecord (say) fails
// its tests instead of losing the value.
func TestUnknownPropertiesAreRefused(t *testing.T) {
	h := newHarness(t)
	misnamed := createBodyFor(sourceTenant)
	misnamed["partnerOnRecrod"] = "1234567"
	h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: misnamed}).
		expectError(t, http.StatusBadRequest, codeInvalidInput, "partnerOnRecrod")

	nested := createBodyFor(sourceTenant)
	nested["participants"] = []map[string]string{{"Key": "TransactionReseller", "Valeu": "7654321"}}
	h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: nested}).
		expectError(t, http.StatusBadRequest, codeInvalidInput, "participants[0].Valeu")
	if n := len(h.e.Transfers()); n != 0 {
		t.Fatalf("a refused create left %d transfers", n)
	}

	tr := h.create()
	submit := map[string]any{"id": tr.ID, "lineItems": []map[string]string{
		{"subscriptionID": subE3, "productType": "OnlineServicesNCE", "quantiy": "3"}, // subscriptionID: known, in another casing
	}}
	h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: submit}).
		expectError(t, http.StatusBadRequest, codeInvalidInput, "lineItems[0].quantiy")

	cancel := map[string]any{"id": tr.ID, "status": "Cancel", "reason": "changed our mind"}
	h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: cancel}).
		expectError(t, http.StatusBadRequest, codeInvalidInput, "reason")
	if got := h.get(targetTenant, tr.ID).Status; got != "Pending" {
		t.Fatalf("after refused PATCHes the transfer is %s, want Pending", got)
	}
}

// Every documented member binds, in any casing: the create page's request
// example (a whole InProgress entity, with legacy line fields) is not
// refused for its properties, and a PascalCase body like a real client's
// is accepted.
func TestDocumentedPropertiesAreKnown(t *testing.T) {
	for _, body := range []string{
		`{"SourcePartnerTenantId":"` + sourceTenant + `","SourcePartnerName":"Contoso","CustomerEmailId":"a@b.example","CustomerName":"N",` +
			`"TargetPartnerEmailId":"ref-1","TransferType":"3","Participants":[{"Key":"TransactionReseller","Value":"7654321"}],` +
			`"partnerOnRecord":"1234567","targetProductTypes":["OnlineServicesNCE"],"ignoreEligibilityCheck":false}`,
		`{"id":"x","status":"InProgress","createdTime":null,"lastModifiedTime":null,"expirationTime":null,"completedTime":null,` +
			`"customerTenantId":"` + customerID + `","partnertenantid":"x","transferDirection":1,"lastModifiedUser":"u","links":{},` +
			`"attributes":{},"alternateId":null,"targetPartnerProjectId":null,"targetPartnerName":"T","sourcePartnerEmailId":"",` +
			`"lineItems":[{"id":0,"subscriptionId":"s","productType":"OnlineServicesNCE","offerId":"o","orderId":"o","billingCycle":"unknown",` +
			`"friendlyName":"f","quantity":1,"partnerIdOnRecord":"p","transferGroupId":"0","status":"Complete","transferError":"",` +
			`"addonItems":[{"subscriptionId":"a"}]}]}`,
	} {
		if unknown := unknownProperties([]byte(body)); len(unknown) != 0 {
			t.Errorf("documented properties refused: %v in %s", unknown, body)
		}
	}
	if got := unknownProperties([]byte(`{"lineItems":[{"addonItems":[{"subscriptionId":"a","seats":2}]}]}`)); len(got) != 1 || got[0] != "lineItems[0].addonItems[0].seats" {
		t.Errorf("unknown add-on property reported as %v", got)
	}

	h := newHarness(t)
	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: `{"SourcePartnerTenantId":"` + sourceTenant +
		`","CustomerEmailId":"it@northwind.example","TransferType":"3","PartnerOnRecord":"1234567"}`})
	if res.status != http.StatusCreated {
		t.Fatalf("PascalCase create refused: HTTP %d %s", res.status, res.body)
	}
	if got := res.transfer(t).PartnerOnRecord; got != "1234567" {
		t.Errorf("partnerOnRecord stored as %q", got)
	}
}

// With IgnoreUnknownProperties the emulator binds like the .NET binder is
// expected to: unknown properties are dropped.
func TestIgnoreUnknownProperties(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.IgnoreUnknownProperties = true })
	body := createBodyFor(sourceTenant)
	body["partnerOnRecrod"] = "1234567"
	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: body})
	if res.status != http.StatusCreated {
		t.Fatalf("HTTP %d %s", res.status, res.body)
	}
	if got := res.transfer(t).PartnerOnRecord; got != "" {
		t.Errorf("a misnamed property was stored as partnerOnRecord %q", got)
	}
}
