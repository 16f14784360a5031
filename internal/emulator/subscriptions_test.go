// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
)

type testSubscription struct {
	ID           string `json:"id"`
	OfferID      string `json:"offerId"`
	FriendlyName string `json:"friendlyName"`
	ProductType  *struct {
		ID      string `json:"id"`
		SubType *struct {
			ID string `json:"id"`
		} `json:"subType"`
	} `json:"productType"`
	Quantity             int    `json:"quantity"`
	ParentSubscriptionID string `json:"parentSubscriptionId"`
	Status               string `json:"status"`
	BillingCycle         string `json:"billingCycle"`
	TermDuration         string `json:"termDuration"`
	AutoRenewEnabled     bool   `json:"autoRenewEnabled"`
	Attributes           struct {
		ObjectType string `json:"objectType"`
	} `json:"attributes"`
}

func (h *harness) subscriptions(tenant string) []testSubscription {
	h.t.Helper()
	res := h.do(call{tenant: tenant, method: http.MethodGet, path: "/v1/customers/" + customerID + "/subscriptions"})
	if res.status != http.StatusOK {
		h.t.Fatalf("subscriptions: HTTP %d %s", res.status, res.body)
	}
	var coll struct {
		TotalCount int                `json:"totalCount"`
		Items      []testSubscription `json:"items"`
	}
	if err := json.Unmarshal(res.body, &coll); err != nil {
		h.t.Fatal(err)
	}
	if coll.TotalCount != len(coll.Items) {
		h.t.Fatalf("totalCount %d for %d items", coll.TotalCount, len(coll.Items))
	}
	return coll.Items
}

func TestSubscriptionsListTheSeedInTheDocumentedShape(t *testing.T) {
	h := newHarness(t)
	subs := h.subscriptions(sourceTenant)
	wantIDs := []string{subE3, subAddOn, subBusiness, subAzure, subRI}
	if len(subs) != len(wantIDs) {
		t.Fatalf("%d subscriptions, want %d: %+v", len(subs), len(wantIDs), subs)
	}
	for i, id := range wantIDs {
		if subs[i].ID != id || subs[i].Status != "active" || subs[i].Attributes.ObjectType != "Subscription" {
			t.Errorf("subscription %d = %+v, want %s active", i, subs[i], id)
		}
	}
	e3 := subs[0]
	if e3.FriendlyName != "Microsoft 365 E3" || e3.Quantity != 25 || e3.BillingCycle != "monthly" || e3.TermDuration != "P1Y" ||
		!e3.AutoRenewEnabled || e3.ProductType == nil || e3.ProductType.ID != "OnlineServicesNCE" {
		t.Errorf("E3 = %+v", e3)
	}
	if subs[1].ParentSubscriptionID != subE3 {
		t.Errorf("add-on parent = %q", subs[1].ParentSubscriptionID)
	}
	if pt := subs[3].ProductType; pt == nil || pt.ID != "Azure" || pt.SubType == nil || pt.SubType.ID != "Azure" {
		t.Errorf("Azure plan productType = %+v", pt)
	}
	if got := h.subscriptions(targetTenant); len(got) != 0 {
		t.Errorf("the target holds %d subscriptions before any transfer", len(got))
	}
	h.do(call{tenant: sourceTenant, method: http.MethodGet, path: "/v1/customers/c3c3c3c3-0000-4000-8000-0000000000ff/subscriptions"}).
		expectError(t, http.StatusForbidden, codeNoRelationship)
}

func TestCompletedTransferGivesTheTargetNewSubscriptions(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	h.submit(tr.ID, item(subE3, nce))
	h.e.Advance(DefaultCompletionDelay)
	done := h.get(targetTenant, tr.ID)
	newBase, newAddOn := done.LineItems[0].TargetSubscriptionID, done.LineItems[0].AddonItems[0].TargetSubscriptionID

	source := h.subscriptions(sourceTenant)
	for _, s := range source {
		if s.ID == subE3 || s.ID == subAddOn {
			t.Errorf("the source still lists %s after the transfer", s.ID)
		}
	}
	if len(source) != 3 {
		t.Errorf("source lists %d subscriptions, want 3", len(source))
	}
	target := h.subscriptions(targetTenant)
	if len(target) != 2 || target[0].ID != newBase || target[1].ID != newAddOn || target[1].ParentSubscriptionID != newBase ||
		target[0].FriendlyName != "Microsoft 365 E3" || target[0].Quantity != 25 || newBase == subE3 {
		t.Fatalf("target subscriptions = %+v (lines said %s, %s)", target, newBase, newAddOn)
	}
	// The old id cannot be transferred again; the new one is GETtable by the target only.
	res := h.do(call{tenant: targetTenant, method: http.MethodGet, path: "/v1/customers/" + customerID + "/subscriptions/" + newBase})
	if res.status != http.StatusOK {
		t.Errorf("GET new subscription: HTTP %d %s", res.status, res.body)
	}
	h.do(call{tenant: sourceTenant, method: http.MethodGet, path: "/v1/customers/" + customerID + "/subscriptions/" + subE3}).
		expectError(t, http.StatusNotFound, "800002")

	// Departed subscriptions can be shown as deleted instead.
	if err := h.e.SetCustomerAPIOptions(CustomerAPIOptions{Departed: DepartedDeleted}); err != nil {
		t.Fatal(err)
	}
	if s := h.subscriptions(sourceTenant); len(s) != 5 || s[0].ID != subE3 || s[0].Status != "deleted" {
		t.Errorf("with departed=deleted the source lists %+v", s)
	}
}

func TestSameIDsOptionOnlyChangesTheOwner(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Customers.TransferredIDs = SubscriptionIDsSame })
	tr := h.create()
	h.submit(tr.ID, item(subBusiness, nce))
	h.e.Advance(DefaultCompletionDelay)
	if got := h.get(targetTenant, tr.ID).LineItems[0].TargetSubscriptionID; got != subBusiness {
		t.Fatalf("target subscription id = %s, want the same id", got)
	}
	if target := h.subscriptions(targetTenant); len(target) != 1 || target[0].ID != subBusiness {
		t.Fatalf("target subscriptions = %+v", target)
	}
}

func TestSubscriptionsOptionalPaging(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Customers.SubscriptionPageSize = 2 })
	var ids []string
	path, token, requests := "/v1/customers/"+customerID+"/subscriptions", "", 0
	for {
		c := call{tenant: sourceTenant, method: http.MethodGet, path: path}
		if token != "" {
			c.headers = map[string]string{"MS-ContinuationToken": token}
		}
		res := h.do(c)
		requests++
		var page struct {
			Items []testSubscription `json:"items"`
			Links struct {
				Next *struct {
					URI     string `json:"uri"`
					Headers []struct{ Key, Value string }
				} `json:"next"`
			} `json:"links"`
		}
		if err := json.Unmarshal(res.body, &page); err != nil || res.status != 200 {
			t.Fatalf("HTTP %d %s", res.status, res.body)
		}
		for _, s := range page.Items {
			ids = append(ids, s.ID)
		}
		if page.Links.Next == nil {
			break
		}
		path, token = page.Links.Next.URI, page.Links.Next.Headers[0].Value
	}
	if len(ids) != 5 || requests != 3 {
		t.Fatalf("%d subscriptions in %d requests, want 5 in 3", len(ids), requests)
	}
}

func TestSeedSubscriptionDetailsAreValidated(t *testing.T) {
	for _, bad := range []Subscription{
		{ID: "d4d4d4d4-0000-4000-8000-0000000000c1", OwnerPartnerTenantID: sourceTenant, ProductType: nce, Status: "gone"},
		{ID: "d4d4d4d4-0000-4000-8000-0000000000c2", OwnerPartnerTenantID: sourceTenant, ProductType: nce, TermDuration: "1 year"},
		{ID: "d4d4d4d4-0000-4000-8000-0000000000c3", OwnerPartnerTenantID: sourceTenant, ProductType: nce, CommitmentEndDate: "tomorrow"},
	} {
		h := newHarness(t)
		err := h.e.AddCustomer(Customer{ID: "c3c3c3c3-0000-4000-8000-0000000000c9", Name: "Bad", PartnerTenantIDs: []string{sourceTenant},
			Subscriptions: []Subscription{bad}})
		if err == nil {
			t.Errorf("subscription %+v was accepted", bad)
		}
	}
}
