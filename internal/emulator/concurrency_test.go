// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestConcurrentClientsKeepTheStateConsistent(t *testing.T) {
	h := newHarness(t)
	h.token(targetTenant)
	h.token(sourceTenant)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				rid := fmt.Sprintf("%08d-0000-4000-8000-%012d", w, i)
				c := call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant),
					headers: map[string]string{"MS-RequestId": rid}}
				// Two racing copies of the same request: one transfer.
				var inner sync.WaitGroup
				results := make([]response, 2)
				for k := range results {
					inner.Go(func() {
						res, err := h.try(c)
						if err != nil {
							errs <- err
						}
						results[k] = res
					})
				}
				inner.Wait()
				if results[0].status != http.StatusCreated || string(results[0].body) != string(results[1].body) {
					errs <- fmt.Errorf("racing duplicates got %d and %d", results[0].status, results[1].status)
				}
				h.e.Advance(time.Millisecond)
				h.do(call{tenant: sourceTenant, method: http.MethodGet, path: transfersPath(customerID)})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(h.e.Transfers()); n != workers*each {
		t.Errorf("%d transfers, want %d", n, workers*each)
	}
}

func TestEventSubscribersMayCallBack(t *testing.T) {
	h := newHarness(t)
	var seen []string
	unsubscribe := h.e.Subscribe(func(ev Event) {
		// Reading state from inside a callback must not deadlock, and sees the change.
		tr, ok := h.e.Transfer(ev.CustomerID, ev.TransferID)
		if !ok || tr.Status != ev.Transfer.Status {
			t.Errorf("callback saw %s, event says %s", tr.Status, ev.Transfer.Status)
		}
		seen = append(seen, ev.Name)
	})
	tr := h.create()
	h.submit(tr.ID, item(subE3, nce))
	h.e.Advance(DefaultCompletionDelay)
	unsubscribe()
	h.create()
	want := []string{eventCreateTransfer, eventUpdateTransfer, eventCompleteTransfer}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("events = %v, want %v", seen, want)
	}
}

func TestPanickingSubscriberDoesNotStopDelivery(t *testing.T) {
	h := newHarness(t)
	calls := 0
	h.e.Subscribe(func(Event) {
		calls++
		if calls == 1 {
			panic("subscriber bug")
		}
	})
	func() {
		defer func() { _ = recover() }()
		h.e.mu.Lock()
		h.e.emitLocked(CauseCreate, &transferRecord{CustomerTenantID: customerID}, h.e.Now())
		h.e.unlock()
	}()
	h.create()
	if calls != 2 {
		t.Errorf("subscriber called %d times, want 2", calls)
	}
}
