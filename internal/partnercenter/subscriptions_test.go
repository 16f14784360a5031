// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"net/http"
	"testing"
)

// subscriptionsExample is internal/emulator/REFERENCE-CUSTOMERS-AUDIT.md's §3.6 reconstruction, shortened.
const subscriptionsExample = `{"totalCount":4,"items":[
 {"id":"a4c1340d-6911-4758-bba3-0c4c6007d161","offerId":"CFQ7TTC0LH18:0001:CFQ7TTC0K971","offerName":"Microsoft 365 Business Basic",
  "friendlyName":"Microsoft 365 Business Basic","productType":{"id":"OnlineServicesNCE","displayName":"OnlineServicesNCE"},
  "quantity":15,"unitType":"Licenses","commitmentEndDate":"2026-01-13T00:00:00Z","status":"active","autoRenewEnabled":true,
  "isTrial":false,"billingType":"license","billingCycle":"monthly","termDuration":"P1Y","attributes":{"objectType":"Subscription"}},
 {"id":"5e0f2f8e-1a2b-4c3d-9e8f-001122334455","offerId":"CFQ7TTC0XXXX:0001:CFQ7TTC0YYYY","productType":{"id":"OnlineServicesNCE"},
  "quantity":15,"parentSubscriptionId":"a4c1340d-6911-4758-bba3-0c4c6007d161","status":"active"},
 {"id":"3f15978e-005c-b763-bb78-2a8fab289c58","productType":{"id":"Azure","subType":{"id":"Azure"}},"quantity":1,"status":"active"},
 {"id":"a67afaf0-2f79-4c12-8fd1-6005ed24bb28","productType":{"id":"Azure","subType":{"id":"SavingsPlan"}},"quantity":1,"billingCycle":"one_time"},
 {"id":"11111111-2f79-4c12-8fd1-6005ed24bb28","productType":{"id":"Azure","subType":{"id":"VirtualMachines"}},"quantity":2},
 {"id":"22222222-2f79-4c12-8fd1-6005ed24bb28","offerId":"MS-AZR-0145P","quantity":1}
],"links":{"self":{"uri":"/customers/c/subscriptions","method":"GET","headers":[]}},"attributes":{"objectType":"Collection"}}`

func TestListSubscriptionsDecodesDocumentedShape(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", subscriptionsExample)
	})
	c, _ := newTestClient(t, srv)
	var subs []Subscription
	if err := c.ListSubscriptions(t.Context(), customerID, func(s Subscription) error {
		subs = append(subs, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if r := log.all(); len(r) != 1 || r[0].Path != "/v1/customers/"+customerID+"/subscriptions" {
		t.Fatalf("requests = %+v", r)
	}
	wantTypes := []string{ProductOnlineServicesNCE, ProductOnlineServicesNCE, ProductAzureSubscription,
		ProductAzureSavingsPlan, ProductAzureReservation, ""}
	if len(subs) != len(wantTypes) {
		t.Fatalf("%d subscriptions, want %d", len(subs), len(wantTypes))
	}
	for i, want := range wantTypes {
		if got := subs[i].TransferProductType(); got != want {
			t.Errorf("subscription %d (%s): transfer product type %q, want %q", i, subs[i].ID, got, want)
		}
	}
	base := subs[0]
	if base.FriendlyName != "Microsoft 365 Business Basic" || base.Quantity != 15 || base.BillingCycle != "monthly" ||
		base.TermDuration != "P1Y" || !base.AutoRenewEnabled || base.Status != SubscriptionActive ||
		base.CommitmentEndDate != "2026-01-13T00:00:00Z" || base.IsAddOn() {
		t.Errorf("base subscription decoded as %+v", base)
	}
	if !subs[1].IsAddOn() || subs[1].ParentSubscriptionID != base.ID {
		t.Errorf("add-on decoded as %+v", subs[1])
	}
}

func TestListSubscriptionsRejectsEmptyCustomer(t *testing.T) {
	c := &Client{}
	if err := c.ListSubscriptions(t.Context(), " ", func(Subscription) error { return nil }); err == nil {
		t.Fatal("want an error for an empty customer id")
	}
}
