// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// A create that gets its answer sends one POST; with adoption on it lists
// the customer once first, with adoption off not at all.
func TestCreateAnswered(t *testing.T) {
	for _, adopt := range []bool{false, true} {
		w := newWorld(t, emulator.RequestIDReplay)
		got, err := w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{AdoptOrphans: adopt})
		if err != nil {
			t.Fatal(err)
		}
		if got.Transfer.Status != partnercenter.StatusPending || got.Adopted || got.Recovered || len(got.Warnings) != 0 {
			t.Errorf("adopt=%v: %+v", adopt, got)
		}
		wantLists := 0
		if adopt {
			wantLists = 1
		}
		if w.requests("create POST") != 1 || w.requests("list GET") != wantLists {
			t.Errorf("adopt=%v: requests %v, want 1 create and %d lists", adopt, w.emu.Stats().Requests, wantLists)
		}
	}
}

// The answer of a committed create is lost: whatever the server does with a
// repeated MS-RequestId, the check finds the request and nothing is sent
// again.
func TestCreateAnswerLostAfterCommitIsFoundNotResent(t *testing.T) {
	for _, mode := range emulator.RequestIDModes {
		t.Run(mode, func(t *testing.T) {
			w := newWorld(t, mode)
			w.emu.SetFaults(emulator.Fault{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultDropAfterCommit, Count: 1})
			got, err := w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !got.Recovered || len(got.Warnings) == 0 || !strings.Contains(got.Warnings[0], got.Transfer.ID) {
				t.Errorf("want a recovered transfer with a warning naming it, got %+v", got)
			}
			if n := len(w.emu.Transfers()); n != 1 || w.requests("create POST") != 1 {
				t.Errorf("server holds %d transfers after %d POSTs, want 1 and 1", n, w.requests("create POST"))
			}
			if st := w.target.svc.Stats(); st.Reconciled != 1 || st.Recovered != 1 || st.Resent != 0 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// The connection drops before the server saw the create: the check finds
// nothing, so the same request (same MS-RequestId) is sent again.
func TestCreateLostBeforeCommitIsResent(t *testing.T) {
	w := newWorld(t, emulator.RequestIDConflict)
	w.emu.SetFaults(emulator.Fault{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultDropBeforeCommit, Count: 1})
	var ids []string
	var mu sync.Mutex
	w.setIntercept(func(_ http.ResponseWriter, r *http.Request, _ http.Handler) bool {
		if isCreate(r) {
			mu.Lock()
			ids = append(ids, r.Header.Get("MS-RequestId"))
			mu.Unlock()
		}
		return false
	})
	got, err := w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Recovered || len(w.emu.Transfers()) != 1 {
		t.Errorf("got %+v; server holds %d transfers, want 1", got, len(w.emu.Transfers()))
	}
	if len(ids) != 2 || ids[0] != ids[1] {
		t.Errorf("MS-RequestIds %v, want the same one on both sends", ids)
	}
	if st := w.target.svc.Stats(); st.Reconciled != 1 || st.Resent != 1 {
		t.Errorf("stats %+v", st)
	}
}

// A 503 after the server committed: a 5xx proves nothing, so it is checked
// and found, not re-sent (the client's own retry is held back).
func TestCreate5xxAfterCommitIsFound(t *testing.T) {
	w := newWorld(t, emulator.RequestIDNone)
	var once atomic.Bool
	w.setIntercept(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if !isCreate(r) || once.Swap(true) {
			return false
		}
		next.ServeHTTP(httptest.NewRecorder(), r) // committed, answer discarded
		http.Error(rw, `{"code":"900135","description":"initiate transfer failed, retry later"}`, http.StatusServiceUnavailable)
		return true
	})
	got, err := w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Recovered || len(w.emu.Transfers()) != 1 || w.requests("create POST") != 1 {
		t.Errorf("got %+v; %d transfers after %d POSTs, want 1 and 1", got, len(w.emu.Transfers()), w.requests("create POST"))
	}
}

// A create refused with a 4xx on every attempt made nothing: no search.
func TestCreateRefusedIsNotSearched(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	req := w.request()
	req.SourcePartnerTenantID = w.target.tenantID // 900148: source is the caller
	_, err := w.target.svc.Create(t.Context(), w.customerID, req, CreateOptions{})
	if !partnercenter.Refused(err) {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if w.requests("list GET") != 0 || w.target.svc.Stats().Reconciled != 0 {
		t.Errorf("a refused create was searched for: %v", w.emu.Stats().Requests)
	}
}

// When the check itself fails, nothing is sent again: the error says a
// request may exist.
func TestCreateCheckFailsIsNotResent(t *testing.T) {
	w := newWorld(t, emulator.RequestIDNone)
	w.emu.SetFaults(
		emulator.Fault{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultDropAfterCommit, Count: 1},
		emulator.Fault{Route: emulator.RouteList, Method: "GET", Kind: emulator.FaultStatus, Status: 403},
	)
	_, err := w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
	if err == nil || !strings.Contains(err.Error(), "not sent again") {
		t.Fatalf("err = %v, want the check's failure", err)
	}
	if w.requests("create POST") != 1 {
		t.Errorf("%d POSTs, want 1", w.requests("create POST"))
	}
}

// A server that processed one create twice: the request whose answer was
// lost is adopted and the extra one cancelled, with a warning naming it.
func TestCreateExtrasAreCancelled(t *testing.T) {
	w := newWorld(t, emulator.RequestIDNone)
	var once atomic.Bool
	w.setIntercept(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if !isCreate(r) || once.Swap(true) {
			return false
		}
		body := readBody(r)
		next.ServeHTTP(httptest.NewRecorder(), cloneWithBody(r, body))
		next.ServeHTTP(httptest.NewRecorder(), cloneWithBody(r, body))
		dropConnection(rw)
		return true
	})
	got, err := w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{partnercenter.StatusPending: 1, partnercenter.StatusCanceled: 1}; !sameCounts(w.statuses(), want) {
		t.Errorf("server statuses %v, want %v", w.statuses(), want)
	}
	var extra string
	for _, tr := range w.emu.Transfers() {
		if tr.Status == partnercenter.StatusCanceled {
			extra = tr.ID
		}
	}
	if !warned(got.Warnings, extra) || extra == got.Transfer.ID {
		t.Errorf("warnings %q do not name the cancelled extra %s", got.Warnings, extra)
	}
	if st := w.target.svc.Stats(); st.ExtrasCanceled != 1 {
		t.Errorf("stats %+v", st)
	}
}

// An interrupt right after a create whose answer was lost: the check runs on
// a context that survives the interrupt and finds the request.
func TestCreateInterruptedStillFindsRequest(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	ctx, cancel := context.WithCancel(t.Context())
	w.setIntercept(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if !isCreate(r) {
			return false
		}
		next.ServeHTTP(httptest.NewRecorder(), r)
		cancel()
		dropConnection(rw)
		return true
	})
	got, err := w.target.svc.Create(ctx, w.customerID, w.request(), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Recovered || len(w.emu.Transfers()) != 1 {
		t.Errorf("got %+v with %d transfers", got, len(w.emu.Transfers()))
	}
}

// An orphan (a Pending request no state holds, left by a killed apply) is
// adopted by the next create with the same inputs, unless adoption is off;
// a request with other inputs is never adopted.
func TestCreateAdoptsOrphan(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	orphan, err := w.target.client.CreateTransfer(t.Context(), w.customerID, w.request())
	if err != nil {
		t.Fatal(err)
	}
	other := w.request()
	other.TargetPartnerEmailID = "someone-else@fabrikam.example"
	if _, err := w.target.client.CreateTransfer(t.Context(), w.customerID, other); err != nil {
		t.Fatal(err)
	}
	next := w.service(w.target) // the next apply: a new provider instance
	got, err := next.Create(t.Context(), w.customerID, w.request(), CreateOptions{AdoptOrphans: true})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Adopted || got.Transfer.ID != orphan.ID || !warned(got.Warnings, orphan.ID) {
		t.Errorf("got %+v, want orphan %s adopted with a warning", got, orphan.ID)
	}
	// A second create of the same apply cannot take the same orphan.
	second, err := next.Create(t.Context(), w.customerID, w.request(), CreateOptions{AdoptOrphans: true})
	if err != nil {
		t.Fatal(err)
	}
	if second.Adopted || second.Transfer.ID == orphan.ID {
		t.Errorf("the orphan was adopted twice: %+v", second)
	}
	off, err := w.service(w.target).Create(t.Context(), w.customerID, w.request(), CreateOptions{AdoptOrphans: false})
	if err != nil {
		t.Fatal(err)
	}
	if off.Adopted {
		t.Error("adoption off still adopted")
	}
	if n := len(w.emu.Transfers()); n != 4 || w.requests("create POST") != 4 {
		t.Errorf("%d transfers after %d POSTs, want 4 and 4", n, w.requests("create POST"))
	}
}

// Parallel identical creates with every 2nd committed answer lost, in each
// MS-RequestId mode: exactly one request each, each held once.
func TestCreateParallelExactlyOnce(t *testing.T) {
	const n = 20
	for _, mode := range emulator.RequestIDModes {
		t.Run(mode, func(t *testing.T) {
			w := newWorld(t, mode)
			w.emu.SetFaults(emulator.Fault{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultDropAfterCommit, Every: 2})
			ids := make([]string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					got, err := w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{AdoptOrphans: true})
					if err != nil {
						t.Error(err)
						return
					}
					ids[i] = got.Transfer.ID
				})
			}
			wg.Wait()
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Errorf("transfer %s held twice", id)
				}
				seen[id] = true
			}
			if got := len(w.emu.Transfers()); got != n || w.requests("create POST") != n {
				t.Errorf("%d transfers after %d POSTs, want %d and %d", got, w.requests("create POST"), n, n)
			}
		})
	}
}

func warned(warnings []string, id string) bool {
	for _, w := range warnings {
		if id != "" && strings.Contains(w, id) {
			return true
		}
	}
	return false
}

func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A server that answers a repeated MS-RequestId with 409 900104 although
// the first request made nothing: the create goes through with a new id.
func TestCreateConflictWithNothingMadeUsesNewRequestID(t *testing.T) {
	w := newWorld(t, emulator.RequestIDConflict)
	var first atomic.Bool
	w.setIntercept(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if !isCreate(r) || first.Swap(true) {
			return false
		}
		// The server registers the MS-RequestId but fails before it commits.
		rec := httptest.NewRecorder()
		bad := cloneWithBody(r, []byte(`{"sourcePartnerTenantId":"not-a-guid"}`))
		bad.Header.Set("MS-RequestId", r.Header.Get("MS-RequestId"))
		next.ServeHTTP(rec, bad)
		http.Error(rw, "internal error", http.StatusInternalServerError)
		return true
	})
	got, err := w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.emu.Transfers()) != 1 || got.Transfer == nil {
		t.Errorf("%d transfers, want 1", len(w.emu.Transfers()))
	}
	if st := w.target.svc.Stats(); st.Resent != 2 || w.emu.Stats().RepeatsRefused != 1 {
		t.Errorf("stats %+v, emulator %+v; want two re-sends, the first refused as a repeat", st, w.emu.Stats())
	}
}
