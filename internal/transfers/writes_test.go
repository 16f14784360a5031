// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// pending creates a request as the target and returns it as the source
// sees it.
func (w *world) pending(t *testing.T) *Transfer {
	t.Helper()
	created, err := w.target.client.CreateTransfer(t.Context(), w.customerID, w.request())
	if err != nil {
		t.Fatal(err)
	}
	return Wrap(created)
}

func (w *world) items(n int) []partnercenter.SubmitLineItem {
	var out []partnercenter.SubmitLineItem
	for _, id := range w.subs[:n] {
		out = append(out, partnercenter.SubmitLineItem{SubscriptionID: id, ProductType: partnercenter.ProductOnlineServicesNCE})
	}
	return out
}

// A submit whose answer is lost after the commit is checked by a GET and
// not sent again, in every MS-RequestId mode.
func TestSubmitAnswerLostIsCheckedNotResent(t *testing.T) {
	for _, mode := range emulator.RequestIDModes {
		t.Run(mode, func(t *testing.T) {
			w := newWorld(t, mode)
			tr := w.pending(t)
			w.emu.SetFaults(emulator.Fault{Route: emulator.RouteSubmit, Method: "PATCH", Kind: emulator.FaultDropAfterCommit, Count: 1})
			got, err := w.source.svc.Submit(t.Context(), w.customerID, tr.ID, w.items(2))
			if err != nil {
				t.Fatal(err)
			}
			if !got.Submitted() || !got.HasItems(w.items(2)) {
				t.Errorf("got %+v", got)
			}
			if w.requests("submit PATCH") != 1 || w.source.svc.Stats().Recovered != 1 {
				t.Errorf("requests %v stats %+v, want 1 submit, recovered", w.emu.Stats().Requests, w.source.svc.Stats())
			}
		})
	}
}

// Dropped before the server saw it: the GET shows Pending, so it is sent
// again.
func TestSubmitLostBeforeCommitIsResent(t *testing.T) {
	w := newWorld(t, emulator.RequestIDConflict)
	tr := w.pending(t)
	w.emu.SetFaults(emulator.Fault{Route: emulator.RouteSubmit, Method: "PATCH", Kind: emulator.FaultDropBeforeCommit, Count: 1})
	got, err := w.source.svc.Submit(t.Context(), w.customerID, tr.ID, w.items(1))
	if err != nil || !got.Submitted() {
		t.Fatalf("got %+v, %v", got, err)
	}
	if st := w.source.svc.Stats(); st.Resent != 1 {
		t.Errorf("stats %+v, want one re-send", st)
	}
}

// Submitting again what was already submitted with exactly these items is
// a success; with other items it is an error.
func TestSubmitAlreadySubmitted(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	tr := w.pending(t)
	if _, err := w.source.client.SubmitTransfer(t.Context(), w.customerID, tr.ID, w.items(2)); err != nil {
		t.Fatal(err)
	}
	if got, err := w.source.svc.Submit(t.Context(), w.customerID, tr.ID, w.items(2)); err != nil || !got.Submitted() {
		t.Errorf("same items: %+v, %v; want success", got, err)
	}
	if _, err := w.source.svc.Submit(t.Context(), w.customerID, tr.ID, w.items(3)); err == nil || !strings.Contains(err.Error(), "other line items") {
		t.Errorf("other items: err = %v, want it to say the items differ", err)
	}
}

// A cancel whose answer is lost is checked and not sent again; cancelling
// a request that is already cancelled succeeds.
func TestCancelAnswerLostAndAlreadyCancelled(t *testing.T) {
	for _, mode := range emulator.RequestIDModes {
		t.Run(mode, func(t *testing.T) {
			w := newWorld(t, mode)
			tr := w.pending(t)
			w.emu.SetFaults(emulator.Fault{Route: emulator.RouteCancel, Method: "PATCH", Kind: emulator.FaultDropAfterCommit, Count: 1})
			got, err := w.target.svc.Cancel(t.Context(), w.customerID, tr)
			if err != nil || got.State() != Canceled {
				t.Fatalf("got %+v, %v", got, err)
			}
			if w.requests("cancel PATCH") != 1 {
				t.Errorf("%d cancels sent, want 1", w.requests("cancel PATCH"))
			}
			// The state still says Pending: cancelling again succeeds.
			if got, err := w.target.svc.Cancel(t.Context(), w.customerID, tr); err != nil || got.State() != Canceled {
				t.Errorf("cancel of a cancelled request: %+v, %v", got, err)
			}
		})
	}
}

// Only the target may cancel, only a Pending request: the source's cancel
// sends nothing, and a request submitted meanwhile is reported, not failed.
func TestCancelNotAllowed(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	tr := w.pending(t)
	asSource, err := w.source.svc.Get(t.Context(), w.customerID, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.source.svc.Cancel(t.Context(), w.customerID, asSource); !errors.Is(err, ErrCannotCancel) || w.requests("cancel PATCH") != 0 {
		t.Errorf("source cancel: %v after %d PATCHes", err, w.requests("cancel PATCH"))
	}
	if _, err := w.source.client.SubmitTransfer(t.Context(), w.customerID, tr.ID, w.items(1)); err != nil {
		t.Fatal(err)
	}
	_, err = w.target.svc.Cancel(t.Context(), w.customerID, tr) // tr still says Pending
	if !errors.Is(err, ErrCannotCancel) || !strings.Contains(err.Error(), "in progress") {
		t.Errorf("cancel of a submitted request: %v", err)
	}
}

// A 503 answer to a cancel that the server applied: found by the GET.
func TestCancel5xxAfterCommit(t *testing.T) {
	w := newWorld(t, emulator.RequestIDNone)
	tr := w.pending(t)
	var once atomic.Bool
	w.setIntercept(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.Method != http.MethodPatch || once.Swap(true) {
			return false
		}
		next.ServeHTTP(httptest.NewRecorder(), r)
		http.Error(rw, "upstream timeout", http.StatusGatewayTimeout)
		return true
	})
	if got, err := w.target.svc.Cancel(t.Context(), w.customerID, tr); err != nil || got.State() != Canceled {
		t.Fatalf("got %+v, %v", got, err)
	}
	if w.requests("cancel PATCH") != 1 {
		t.Errorf("%d cancels sent, want 1", w.requests("cancel PATCH"))
	}
}

// Only 404 with code 900100 means the transfer is gone; a 404 from a wrong
// path, a 401 or a 403 does not.
func TestReadGoneOnlyOnDocumentedNotFound(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	_, err := w.target.svc.Get(t.Context(), w.customerID, "0f0f0f0f-0000-4000-8000-000000000000")
	if !IsGone(err) {
		t.Errorf("unknown transfer: %v, want gone", err)
	}
	w.setIntercept(func(rw http.ResponseWriter, r *http.Request, _ http.Handler) bool {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/transfers/") {
			http.Error(rw, "no route", http.StatusNotFound)
			return true
		}
		return false
	})
	tr := w.pending(t)
	if _, err := w.target.svc.Get(t.Context(), w.customerID, tr.ID); err == nil || IsGone(err) || !partnercenter.IsNotFound(err) {
		t.Errorf("a 404 without code 900100: %v, want a plain error", err)
	}
	for _, status := range []int{401, 403} {
		w.setIntercept(func(rw http.ResponseWriter, r *http.Request, _ http.Handler) bool {
			if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/transfers/") {
				rw.WriteHeader(status)
				return true
			}
			return false
		})
		if _, err := w.target.svc.Get(t.Context(), w.customerID, tr.ID); err == nil || IsGone(err) {
			t.Errorf("HTTP %d: %v, want an error that is not gone", status, err)
		}
	}
}

// A line item that fails twice and then succeeds: the wait reports the item
// error as a warning and keeps waiting until the transfer completes.
func TestWaitKeepsWaitingThroughRetriedLineItem(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	w.emu.SetSubscriptionOutcome(w.subs[0], emulator.Outcome{FailuresBeforeSuccess: 2, Code: "900103", Message: "Transfer order was not successful."})
	tr := w.pending(t)
	submitted, err := w.source.svc.Submit(t.Context(), w.customerID, tr.ID, w.items(2))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { // move virtual time on once the wait has polled each stage twice
		defer close(done)
		for range 3 {
			seen := w.emu.Stats().Requests["get GET"]
			for w.emu.Stats().Requests["get GET"] < seen+2 {
				time.Sleep(time.Millisecond)
			}
			w.emu.Advance(time.Minute)
		}
	}()
	got, err := w.source.svc.Wait(t.Context(), w.customerID, tr.ID, submitted, time.Now(), nil)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if got.Transfer.Status != partnercenter.StatusComplete {
		t.Errorf("wait ended at %s, want Complete", got.Transfer.Status)
	}
	if len(got.ItemWarnings) != 1 || !strings.Contains(got.ItemWarnings[0], "900103") || !strings.Contains(got.ItemWarnings[0], w.subs[0]) {
		t.Errorf("item warnings %q, want one naming %s and 900103", got.ItemWarnings, w.subs[0])
	}
}
