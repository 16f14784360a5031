// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordEvents collects events for assertions.
func recordEvents(e *Emulator) func() []Event {
	var mu sync.Mutex
	var events []Event
	e.Subscribe(func(ev Event) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
	})
	return func() []Event {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(events)
	}
}

func causes(events []Event) string {
	var out []string
	for _, ev := range events {
		out = append(out, ev.Cause+":"+ev.Name)
	}
	return strings.Join(out, ",")
}

func TestSubmitThenCompleteMovesSubscriptionsToTheTarget(t *testing.T) {
	h := newHarness(t)
	events := recordEvents(h.e)
	created := h.create()
	h.e.Advance(time.Minute)
	submitted := h.submit(created.ID, item(subE3, nce), item(strings.ToUpper(subAzure), "azuresubscription"))

	if submitted.Status != statusInProgress || submitted.TransferDirection != directionOutgoing {
		t.Fatalf("after submit: status %s direction %d", submitted.Status, submitted.TransferDirection)
	}
	if len(submitted.LineItems) != 2 {
		t.Fatalf("line items = %d, want 2", len(submitted.LineItems))
	}
	e3, az := submitted.LineItems[0], submitted.LineItems[1]
	wantE3 := LineItem{
		ID: "0", SubscriptionID: subE3, ProductType: nce, OfferID: "CFQ7TTC0LFLZ:0001", FriendlyName: "Microsoft 365 E3",
		Quantity: 25, BillingCycle: "monthly", TransferGroupID: "0", Status: statusInProgress,
		AddonItems: []LineItem{{
			ID: "0", SubscriptionID: subAddOn, ProductType: nce, OfferID: "CFQ7TTC0J1FV:0001",
			FriendlyName: "Microsoft Teams Phone Standard", Quantity: 25, BillingCycle: "monthly",
			TransferGroupID: "0", Status: statusInProgress,
		}},
	}
	if describe(e3) != describe(wantE3) {
		t.Errorf("E3 line\n got %s\nwant %s", describe(e3), describe(wantE3))
	}
	if az.ID != "1" || az.SubscriptionID != subAzure || az.ProductType != azure || az.TransferGroupID != "1" {
		t.Errorf("Azure line = %s", describe(az))
	}
	if submitted.CompletedTime != nil {
		t.Error("completedTime set while InProgress")
	}
	if !strings.Contains(string(h.do(call{tenant: sourceTenant, method: http.MethodGet, path: transferPath(customerID, created.ID)}).body), `"id":"0"`) {
		t.Error("line item ids must be JSON strings")
	}

	h.e.Advance(DefaultCompletionDelay - time.Nanosecond)
	if got := h.get(targetTenant, created.ID); got.Status != statusInProgress {
		t.Fatalf("status just before the delay = %s", got.Status)
	}
	if h.owner(subE3) != sourceTenant {
		t.Fatal("subscription moved before completion")
	}
	h.e.Advance(time.Nanosecond)
	done := h.get(targetTenant, created.ID)
	wantDone := testStart.Add(time.Minute + DefaultCompletionDelay).Truncate(time.Second)
	if done.Status != statusComplete || done.CompletedTime == nil || !done.CompletedTime.Equal(wantDone) {
		t.Fatalf("after the delay: status %s completedTime %v, want Complete at %v", done.Status, done.CompletedTime, wantDone)
	}
	for _, li := range append(slices.Clone(done.LineItems), done.LineItems[0].AddonItems...) {
		if li.Status != statusComplete || li.OrderID == "" ||
			li.TargetSubscriptionID == "" || li.TargetSubscriptionID == li.SubscriptionID {
			t.Errorf("completed line = %s", describe(li))
		}
	}
	if done.LineItems[0].OrderID == done.LineItems[1].OrderID {
		t.Error("lines of different transfer groups share an order")
	}
	for _, sub := range []string{subE3, subAddOn, subAzure} {
		if got := h.owner(sub); got != targetTenant {
			t.Errorf("owner of %s = %s, want the target", sub, got)
		}
	}
	if h.owner(subBusiness) != sourceTenant {
		t.Error("a subscription outside the transfer moved")
	}
	if got := causes(events()); got != "create:create-transfer,submit:update-transfer,complete:complete-transfer" {
		t.Errorf("events = %s", got)
	}
	// Terminal states never change.
	h.e.Advance(365 * 24 * time.Hour)
	if got := h.get(sourceTenant, created.ID); got.Status != statusComplete {
		t.Errorf("completed transfer became %s", got.Status)
	}
}

func TestFailingOutcomeFailsTheTransferButCompletesOtherLines(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.FailedStatus = "Failure" })
	events := recordEvents(h.e)
	created := h.create()
	h.submit(created.ID, item(subE3, nce), item(subBusiness, nce))
	// Outcomes are read when the transfer is processed, so setting one after
	// the submit counts.
	h.e.SetSubscriptionOutcome(strings.ToUpper(subE3), Outcome{Fail: true, Code: "900145", Message: "Reservations must be canceled first."})
	h.e.Advance(DefaultCompletionDelay)

	got := h.get(targetTenant, created.ID)
	if got.Status != "Failure" || got.CompletedTime == nil {
		t.Fatalf("status %s completedTime %v, want the configured failure status", got.Status, got.CompletedTime)
	}
	failed, ok := got.LineItems[0], got.LineItems[1]
	if failed.Status != statusFailed || failed.TransferError != "Reservations must be canceled first." ||
		failed.TransferErrorCode != "900145" || failed.OrderID != "" {
		t.Errorf("failed line = %s", describe(failed))
	}
	if addOn := failed.AddonItems[0]; addOn.Status != statusFailed || addOn.TransferErrorCode != "900145" {
		t.Errorf("an add-on must fail with its base subscription: %s", describe(addOn))
	}
	if ok.Status != statusComplete || ok.OrderID == "" {
		t.Errorf("the other line = %s", describe(ok))
	}
	if h.owner(subE3) != sourceTenant || h.owner(subAddOn) != sourceTenant || h.owner(subBusiness) != targetTenant {
		t.Error("only completed lines may change owner")
	}
	if evs := events(); evs[len(evs)-1].Name != eventFailTransfer {
		t.Errorf("last event = %s", causes(evs))
	}
	// The failed subscription is free again and can go in a new transfer.
	h.e.SetSubscriptionOutcome(subE3, Outcome{})
	retry := h.create()
	h.submit(retry.ID, item(subE3, nce))
	h.e.Advance(DefaultCompletionDelay)
	if got := h.get(targetTenant, retry.ID); got.Status != statusComplete {
		t.Errorf("retry status = %s", got.Status)
	}
}

func TestOutcomeDefaults(t *testing.T) {
	h := newHarness(t)
	created := h.create()
	h.e.SetSubscriptionOutcome(subAzure, Outcome{Fail: true})
	h.submit(created.ID, item(subAzure, azure))
	h.e.Advance(DefaultCompletionDelay)
	li := h.get(sourceTenant, created.ID).LineItems[0]
	if li.TransferErrorCode != defaultFailureCode || li.TransferError != defaultFailureMessage {
		t.Errorf("default failure = %q %q", li.TransferErrorCode, li.TransferError)
	}
}

func TestSubmitValidation(t *testing.T) {
	h := newHarness(t)
	created := h.create()
	restricted := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID),
		body: map[string]any{"sourcePartnerTenantId": sourceTenant, "customerEmailId": "a@b.example", "transferType": 3,
			"targetProductTypes": []string{"AzureSubscription"}}}).transfer(t)
	otherCustomer := Customer{ID: "c3c3c3c3-0000-4000-8000-000000000099", Name: "Other", PartnerTenantIDs: []string{sourceTenant},
		Subscriptions: []Subscription{{ID: "d4d4d4d4-0000-4000-8000-000000000099", OwnerPartnerTenantID: sourceTenant, ProductType: nce}}}
	if err := h.e.AddCustomer(otherCustomer); err != nil {
		t.Fatal(err)
	}
	missing := "d4d4d4d4-0000-4000-8000-0000000000aa"
	tests := []struct {
		name     string
		id       string
		body     any
		status   int
		code     string
		mentions []string
	}{
		{"unknown subscription", created.ID, submitBody(created.ID, item(missing, nce)), 400, codeInvalidSubscription, []string{missing, "does not exist"}},
		{"subscription of another customer", created.ID, submitBody(created.ID, item("d4d4d4d4-0000-4000-8000-000000000099", nce)), 400, codeInvalidSubscription, []string{"does not exist for customer"}},
		{"malformed subscription id", created.ID, submitBody(created.ID, item("sub-1", nce)), 400, codeInvalidSubscription, []string{"sub-1"}},
		{"add-on on its own", created.ID, submitBody(created.ID, item(subAddOn, nce)), 400, codeInvalidSubscription, []string{"add-on", subE3}},
		{"wrong product type", created.ID, submitBody(created.ID, item(subE3, azure)), 400, codeInvalidSubscription, []string{"is a OnlineServicesNCE, not a AzureSubscription"}},
		{"listed twice", created.ID, submitBody(created.ID, item(subE3, nce), item(subE3, nce)), 400, codeInvalidSubscription, []string{"more than once"}},
		{"outside targetProductTypes", restricted.ID, submitBody(restricted.ID, item(subE3, nce)), 400, codeInvalidSubscription, []string{"targetProductTypes"}},
		{"unknown product type", created.ID, submitBody(created.ID, item(subE3, "Hardware")), 400, codeInvalidInput, []string{"Hardware"}},
		{"missing product type", created.ID, `{"lineItems":[{"subscriptionId":"` + subE3 + `"}]}`, 400, codeInvalidInput, []string{"lineItems[0].productType is required"}},
		{"missing subscription id", created.ID, `{"lineItems":[{"productType":"OnlineServicesNCE"}]}`, 400, codeInvalidInput, []string{"lineItems[0].subscriptionId is required"}},
		{"no line items", created.ID, `{"id":"` + created.ID + `","lineItems":[]}`, 400, codeInvalidInput, []string{"lineItems are required"}},
		{"id mismatch", created.ID, submitBody(restricted.ID, item(subE3, nce)), 400, codeInvalidInput, []string{"does not match"}},
		{"cancel with line items", created.ID, `{"status":"Cancel","lineItems":[{"subscriptionId":"` + subE3 + `","productType":"OnlineServicesNCE"}]}`, 400, codeInvalidInput, []string{"not both"}},
		{"unknown status", created.ID, `{"status":"Reject"}`, 400, codeInvalidInput, []string{`"Reject"`}},
		{"odd status with items", created.ID, `{"status":"Complete","lineItems":[{"subscriptionId":"` + subE3 + `","productType":"OnlineServicesNCE"}]}`, 400, codeInvalidInput, []string{`"Complete"`}},
		{"transfer path not a GUID", "abc", submitBody("abc", item(subE3, nce)), 400, codeInvalidInput, []string{`"abc"`}},
		{"unknown transfer", "99999999-0000-4000-8000-000000000000", submitBody("99999999-0000-4000-8000-000000000000", item(subE3, nce)), 404, codeTransferNotFound, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, tc.id), body: tc.body})
			res.expectError(t, tc.status, tc.code, tc.mentions...)
		})
	}
	eb := h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, created.ID),
		body: submitBody(created.ID, item(subE3, nce), item(missing, nce))}).errorBody(t)
	if len(eb.Data) != 1 || eb.Data[0] != missing {
		t.Errorf("data = %v, want the invalid subscription id", eb.Data)
	}
	for _, tr := range h.e.Transfers() {
		if tr.Status != statusPending || len(tr.LineItems) != 0 {
			t.Errorf("a rejected submit changed transfer %s: %s", tr.ID, tr.Status)
		}
	}
	// Accepted spellings of an optional status alongside line items.
	for _, status := range []string{"InProgress", "accepted"} {
		tr := h.create()
		body := submitBody(tr.ID, item(subRI, "AzureReservation"))
		body["status"] = status
		res := h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: body})
		if res.status != http.StatusOK {
			t.Errorf("status %q with items: HTTP %d %s", status, res.status, res.body)
		}
		h.e.Advance(DefaultCompletionDelay)
		h.e.mu.Lock()
		h.e.w.subscriptions[subRI].TransferredTo = "" // Give it back for the next round.
		h.e.mu.Unlock()
	}
}

func TestSubscriptionInAnotherInProgressTransferConflicts(t *testing.T) {
	h := newHarness(t)
	first, second := h.create(), h.create()
	h.submit(first.ID, item(subE3, nce))
	res := h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, second.ID),
		body: submitBody(second.ID, item(subBusiness, nce), item(subE3, nce))})
	res.expectError(t, http.StatusConflict, codeOriginalInProgress, first.ID, subE3)
	if got := h.get(sourceTenant, second.ID); got.Status != statusPending {
		t.Fatalf("conflicting submit changed the transfer to %s", got.Status)
	}
	// Resubmitting the InProgress one is "being processed".
	res = h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, first.ID), body: submitBody(first.ID, item(subBusiness, nce))})
	res.expectError(t, http.StatusConflict, codeProcessedElsewhere, first.ID)
	// Once the first completes, the subscription belongs to the target.
	h.e.Advance(DefaultCompletionDelay)
	res = h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, second.ID), body: submitBody(second.ID, item(subE3, nce))})
	res.expectError(t, http.StatusBadRequest, codeInvalidSubscription, "was transferred to another partner")
	res = h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, first.ID), body: submitBody(first.ID, item(subBusiness, nce))})
	res.expectError(t, http.StatusBadRequest, codeCannotProcess, "Complete transfer "+first.ID)
}

func TestCancel(t *testing.T) {
	for _, tc := range []struct {
		name           string
		canceledStatus string
		want           string
	}{
		{"default status", "", statusCanceled},
		{"configured status", "Cancelled", "Cancelled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.CanceledStatus = tc.canceledStatus })
			events := recordEvents(h.e)
			tr := h.create()
			cancelBody := map[string]any{"id": tr.ID, "status": "Cancel", "targetPartnerTenantId": targetTenant,
				"sourcePartnerTenantId": sourceTenant, "customerName": "Northwind Traders"}
			// Only the creating target may cancel.
			h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: cancelBody}).
				expectError(t, http.StatusForbidden, codeRoleNotAllowed, "target")
			h.e.Advance(time.Hour)
			res := h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: cancelBody})
			if res.status != http.StatusOK {
				t.Fatalf("cancel: HTTP %d %s", res.status, res.body)
			}
			got := res.transfer(t)
			if got.Status != tc.want || !got.LastModifiedTime.Equal(testStart.Add(time.Hour).Truncate(time.Second)) || got.CompletedTime != nil {
				t.Fatalf("after cancel: %s", describe(got))
			}
			// Canceling again names the status.
			h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: cancelBody}).
				expectError(t, http.StatusBadRequest, codeCannotProcess, tc.want+" transfer "+tr.ID)
			h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: submitBody(tr.ID, item(subE3, nce))}).
				expectError(t, http.StatusBadRequest, codeCannotProcess, tc.want)
			// A canceled transfer does not expire later.
			h.e.Advance(60 * 24 * time.Hour)
			if got := h.get(targetTenant, tr.ID); got.Status != tc.want {
				t.Errorf("status after 60 days = %s", got.Status)
			}
			if got := causes(events()); got != "create:create-transfer,cancel:update-transfer" {
				t.Errorf("events = %s", got)
			}
		})
	}
}

func TestCancelChecksBodyAndStatus(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID),
		body: map[string]any{"status": "cancel", "sourcePartnerTenantId": targetTenant}}).
		expectError(t, http.StatusBadRequest, codeInvalidInput, "sourcePartnerTenantId")
	h.submit(tr.ID, item(subE3, nce))
	h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: `{"Status":"Cancel"}`}).
		expectError(t, http.StatusBadRequest, codeCannotProcess, "InProgress transfer "+tr.ID)
	// The target cannot submit.
	other := h.create()
	h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, other.ID), body: submitBody(other.ID, item(subBusiness, nce))}).
		expectError(t, http.StatusForbidden, codeRoleNotAllowed, "source")
}

func TestPendingTransferExpires(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.PendingExpiry = 48 * time.Hour })
	events := recordEvents(h.e)
	tr := h.create()
	if !tr.ExpirationTime.Equal(testStart.Add(48 * time.Hour).Truncate(time.Second)) {
		t.Fatalf("expirationTime = %v", tr.ExpirationTime)
	}
	h.e.Advance(48*time.Hour - time.Second)
	if got := h.get(targetTenant, tr.ID); got.Status != statusPending {
		t.Fatalf("status a second before expiry = %s", got.Status)
	}
	h.e.Advance(time.Second)
	got := h.get(sourceTenant, tr.ID)
	if got.Status != statusExpired || !got.LastModifiedTime.Equal(*got.ExpirationTime) {
		t.Fatalf("after expiry: status %s lastModified %v expiration %v", got.Status, got.LastModifiedTime, got.ExpirationTime)
	}
	h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: submitBody(tr.ID, item(subE3, nce))}).
		expectError(t, http.StatusBadRequest, codeCannotProcess, "Expired")
	h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: `{"status":"Cancel"}`}).
		expectError(t, http.StatusBadRequest, codeCannotProcess, "Expired")
	evs := events()
	if causes(evs) != "create:create-transfer,expire:update-transfer" || !evs[1].Time.Equal(testStart.Add(48*time.Hour)) {
		t.Errorf("events = %s at %v", causes(evs), evs[len(evs)-1].Time)
	}
	if evs[1].Transfer.Status != statusExpired || evs[1].PartnerTenantIDs[0] != targetTenant {
		t.Errorf("expire event = %s", describe(evs[1]))
	}
}

func TestTransitionsSettleInDeadlineOrder(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.PendingExpiry = 2 * time.Hour })
	events := recordEvents(h.e)
	expiring := h.create()
	h.e.Advance(time.Hour)
	completing := h.create()
	h.submit(completing.ID, item(subE3, nce))
	if err := h.e.SetTransferCompletionDelay(completing.ID, 3*time.Hour); err != nil {
		t.Fatal(err)
	}
	// One jump past both deadlines applies them in time order.
	h.e.Advance(10 * time.Hour)
	var order []string
	for _, ev := range events() {
		if ev.Cause == CauseExpire || ev.Cause == CauseComplete {
			order = append(order, ev.TransferID+"@"+ev.Time.Format(time.RFC3339))
		}
	}
	want := []string{
		expiring.ID + "@" + testStart.Add(2*time.Hour).Format(time.RFC3339),
		completing.ID + "@" + testStart.Add(4*time.Hour).Format(time.RFC3339),
	}
	if !slices.Equal(order, want) {
		t.Errorf("transitions = %v, want %v", order, want)
	}
}

func TestSetTransferCompletionDelay(t *testing.T) {
	h := newHarness(t)
	pending := h.create()
	if err := h.e.SetTransferCompletionDelay(pending.ID, 72*time.Hour); err != nil {
		t.Fatal(err)
	}
	h.e.SetCompletionDelay(time.Minute)
	h.submit(pending.ID, item(subE3, nce))
	other := h.create()
	h.submit(other.ID, item(subBusiness, nce))
	h.e.Advance(time.Hour)
	if h.get(targetTenant, pending.ID).Status != statusInProgress || h.get(targetTenant, other.ID).Status != statusComplete {
		t.Fatal("per-transfer delay must override the global one")
	}
	// Shortening an InProgress transfer's delay into the past completes it.
	if err := h.e.SetTransferCompletionDelay(pending.ID, 30*time.Minute); err != nil {
		t.Fatal(err)
	}
	got := h.get(targetTenant, pending.ID)
	if got.Status != statusComplete || !got.CompletedTime.Equal(testStart.Add(30*time.Minute).Truncate(time.Second)) {
		t.Fatalf("after shortening: %s at %v", got.Status, got.CompletedTime)
	}
	if err := h.e.SetTransferCompletionDelay(pending.ID, time.Minute); err == nil {
		t.Error("a completed transfer accepted a new delay")
	}
	if err := h.e.SetTransferCompletionDelay("nope", time.Minute); err == nil {
		t.Error("an unknown transfer accepted a delay")
	}
}

func TestSettleAppliesDueTransitionsWithoutTraffic(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.PendingExpiry = time.Hour })
	events := recordEvents(h.e)
	h.create()
	h.real.Advance(time.Hour) // The virtual clock runs at speed 1 on the fake wall clock.
	if got := causes(events()); got != "create:create-transfer" {
		t.Fatalf("events before Settle = %s", got)
	}
	h.e.Settle()
	if got := causes(events()); got != "create:create-transfer,expire:update-transfer" {
		t.Errorf("events after Settle = %s", got)
	}
}
