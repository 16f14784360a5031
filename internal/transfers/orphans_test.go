// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// A request this partner made with the same inputs that nothing here holds
// is reported, once the calls about resources in state are quiet; the
// check concludes only in a process that refreshed resources.
func TestCheckCreateReportsUnheldRequest(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	orphan, err := w.target.client.CreateTransfer(t.Context(), w.customerID, w.request())
	if err != nil {
		t.Fatal(err)
	}
	other := w.request()
	other.CustomerEmailID = "someone-else@northwind.example"
	if _, err := w.target.client.CreateTransfer(t.Context(), w.customerID, other); err != nil {
		t.Fatal(err)
	}
	svc := w.service(w.target)
	svc.QuietWindow = 20 * time.Millisecond
	check, err := svc.CheckCreate(t.Context(), w.customerID, w.request())
	if err != nil {
		t.Fatal(err)
	}
	if len(check.Unheld) != 1 || check.Unheld[0].ID != orphan.ID || check.Conclusive {
		t.Fatalf("check %+v, want only %s, inconclusive (nothing was refreshed)", check, orphan.ID)
	}
	// A refresh of some other resource makes the next check conclusive.
	svc.InState("another-transfer", true)()
	if check, err = svc.CheckCreate(t.Context(), w.customerID, w.request()); err != nil || len(check.Unheld) != 1 || !check.Conclusive {
		t.Fatalf("after a refresh: %+v, %v; want the orphan, conclusive", check, err)
	}
	if got := w.requests("list GET"); got != 1 {
		t.Errorf("%d lists for two checks of one customer, want 1", got)
	}
}

// The resource holding the request may be refreshed after the new
// resource's plan started (Terraform runs them in parallel): the check
// waits for the calls under way and does not report it.
func TestCheckCreateWaitsForRefreshUnderWay(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	held, err := w.target.client.CreateTransfer(t.Context(), w.customerID, w.request())
	if err != nil {
		t.Fatal(err)
	}
	svc := w.service(w.target)
	svc.QuietWindow = time.Hour // only the holder's refresh may end the wait
	busy := svc.InState("some-other-transfer", true)
	go func() {
		time.Sleep(100 * time.Millisecond)
		svc.InState(held.ID, true)() // the holder's refresh
		busy()
	}()
	check, err := svc.CheckCreate(t.Context(), w.customerID, w.request())
	if err != nil {
		t.Fatal(err)
	}
	if len(check.Unheld) != 0 {
		t.Errorf("reported %s, which a resource in state holds", check.Unheld[0].ID)
	}
}

// Parallel checks and creates of one customer share one list.
func TestCheckCreateListsOncePerCustomer(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	svc := w.service(w.target)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := svc.CheckCreate(t.Context(), w.customerID, w.request()); err != nil {
				t.Error(err)
			}
			if _, err := svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if w.requests("list GET") != 1 || w.requests("create POST") != 10 {
		t.Errorf("requests %v, want 1 list and 10 creates", w.emu.Stats().Requests)
	}
}

// Without AdoptOrphans a create never takes a request it did not make,
// even one its plan's check reported.
func TestCreateNeverAdoptsByDefault(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	orphan, err := w.target.client.CreateTransfer(t.Context(), w.customerID, w.request())
	if err != nil {
		t.Fatal(err)
	}
	svc := w.service(w.target)
	svc.QuietWindow = time.Millisecond
	if _, err := svc.CheckCreate(t.Context(), w.customerID, w.request()); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Adopted || got.Transfer.ID == orphan.ID || len(w.emu.Transfers()) != 2 {
		t.Errorf("got %+v with %d transfers; want a new request next to %s", got, len(w.emu.Transfers()), orphan.ID)
	}
}

// Mutation: the lost-create search drops its "created since the first
// attempt" filter. An older request with the same inputs (no list was
// taken, so nothing else excludes it) must not pass for the one a create
// whose POST never reached the server made.
func TestLostCreateIgnoresRequestsOlderThanTheFirstAttempt(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	old, err := w.target.client.CreateTransfer(t.Context(), w.customerID, w.request())
	if err != nil {
		t.Fatal(err)
	}
	svc := w.service(w.target)
	svc.now = func() time.Time { return time.Now().Add(time.Hour) } // the create starts an hour later
	w.emu.SetFaults(emulator.Fault{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultDropBeforeCommit, Count: 1})
	got, err := svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Recovered || got.Transfer.ID == old.ID || len(w.emu.Transfers()) != 2 {
		t.Errorf("the lost create took %s (recovered %v), created an hour before it; want a request of its own (%d on the server)",
			got.Transfer.ID, got.Recovered, len(w.emu.Transfers()))
	}
}

// Mutation: the lost-create search drops the exclusion of requests that
// existed before (the customer's list, taken by the plan's check in the
// same process). A recent request with the same inputs is not the one a
// create whose POST never reached the server made.
func TestLostCreateIgnoresRequestsThatExistedBefore(t *testing.T) {
	w := newWorld(t, emulator.RequestIDReplay)
	before, err := w.target.client.CreateTransfer(t.Context(), w.customerID, w.request())
	if err != nil {
		t.Fatal(err)
	}
	svc := w.service(w.target)
	svc.QuietWindow = time.Millisecond
	if _, err := svc.CheckCreate(t.Context(), w.customerID, w.request()); err != nil {
		t.Fatal(err)
	}
	w.emu.SetFaults(emulator.Fault{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultDropBeforeCommit, Count: 1})
	got, err := svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Recovered || got.Transfer.ID == before.ID || len(w.emu.Transfers()) != 2 {
		t.Errorf("the lost create took %s (recovered %v), which existed before it; want a request of its own (%d on the server)",
			got.Transfer.ID, got.Recovered, len(w.emu.Transfers()))
	}
}

// Mutation: a claim is granted without waiting for POSTs in flight. Create
// X's answer is lost after its commit while create Y's POST has committed
// a newer request and still awaits its answer: X must wait for Y's answer
// (which holds Y's request) before claiming, or it takes Y's request.
func TestLostCreateWaitsForPostsInFlight(t *testing.T) {
	w := newWorld(t, emulator.RequestIDNone)
	xCommitted, yCommitted, releaseY := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var posts atomic.Int32
	w.setIntercept(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if !isCreate(r) {
			return false
		}
		switch posts.Add(1) {
		case 1: // X: committed, answer held until Y committed, then lost
			next.ServeHTTP(httptest.NewRecorder(), r)
			close(xCommitted)
			<-yCommitted
			dropConnection(rw)
			go func() { time.Sleep(300 * time.Millisecond); close(releaseY) }()
			return true
		case 2: // Y: committed, answer held until released
			rec := httptest.NewRecorder()
			time.Sleep(10 * time.Millisecond) // Y's request is the newer one
			next.ServeHTTP(rec, r)
			close(yCommitted)
			<-releaseY
			for k, v := range rec.Header() {
				rw.Header()[k] = v
			}
			rw.WriteHeader(rec.Code)
			_, _ = rw.Write(rec.Body.Bytes())
			return true
		}
		return false
	})
	var x, y *Created
	var wg sync.WaitGroup
	wg.Go(func() {
		var err error
		if x, err = w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{}); err != nil {
			t.Error(err)
		}
	})
	<-xCommitted
	wg.Go(func() {
		var err error
		if y, err = w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{}); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
	if x == nil || y == nil {
		t.FailNow()
	}
	if x.Transfer.ID == y.Transfer.ID {
		t.Errorf("both creates hold %s: the lost create claimed a request whose POST was still awaiting its answer", x.Transfer.ID)
	}
	if got := w.statuses(); got[partnercenter.StatusPending] != 2 || len(w.emu.Transfers()) != 2 {
		t.Errorf("server statuses %v, want 2 Pending", got)
	}
}

// Mutation: the extras check ignores claims. After a lost answer the
// create cancels further requests made from it, but never one another
// create of the same Service holds.
func TestExtrasCheckLeavesRequestsOtherCreatesHold(t *testing.T) {
	w := newWorld(t, emulator.RequestIDNone)
	other, err := w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.emu.SetFaults(emulator.Fault{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultDropAfterCommit, Count: 1})
	lost, err := w.target.svc.Create(t.Context(), w.customerID, w.request(), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !lost.Recovered || lost.Transfer.ID == other.Transfer.ID {
		t.Fatalf("the lost create got %+v, want its own request recovered", lost)
	}
	if got := w.statuses(); got[partnercenter.StatusPending] != 2 || got[partnercenter.StatusCanceled] != 0 {
		t.Errorf("server statuses %v: the extras check cancelled %s, which another create holds", got, other.Transfer.ID)
	}
}
