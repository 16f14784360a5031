// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// addCustomers adds n customers both partners resell to, each with perCustomer
// requests of the target; it returns their IDs in creation order.
func (w *world) addCustomers(n, perCustomer int) []string {
	w.t.Helper()
	var ids []string
	for range n {
		id := uuid.NewString()
		if err := w.emu.AddCustomer(emulator.Customer{ID: id, Name: "Customer " + id[:4],
			PartnerTenantIDs: []string{w.target.tenantID, w.source.tenantID}}); err != nil {
			w.t.Fatal(err)
		}
		for range perCustomer {
			w.create(id)
		}
		ids = append(ids, id)
	}
	return ids
}

func (w *world) create(customerID string) *partnercenter.Transfer {
	w.t.Helper()
	t, err := w.target.client.CreateTransfer(context.Background(), customerID, w.request())
	if err != nil {
		w.t.Fatal(err)
	}
	return t
}

// collect runs a List to the end.
func collect(t *testing.T, seq func(func(Listed, error) bool)) ([]Listed, []error) {
	t.Helper()
	var got []Listed
	var errs []error
	for l, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, l)
	}
	return got, errs
}

func TestListCustomerOrderFilterAndRequests(t *testing.T) {
	w := newWorld(t, "")
	ids := w.addCustomers(3, 2)
	// The source sees the same requests as outgoing.
	w.emu.ResetStats()
	query := Query{CustomerIDs: []string{ids[2], strings.ToUpper(ids[0]), ids[2], ids[0]}, Filter: Filter{Direction: Outgoing}}
	got, errs := collect(t, w.source.svc.List(t.Context(), query))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var order []string
	for _, l := range got {
		order = append(order, l.CustomerID)
		if l.Transfer.Direction() != Outgoing || !strings.EqualFold(l.Transfer.CustomerTenantID, l.CustomerID) {
			t.Errorf("listed %+v under %s", l.Transfer, l.CustomerID)
		}
	}
	// Customers in the order given, each once, the first spelling kept.
	want := []string{ids[2], ids[2], strings.ToUpper(ids[0]), strings.ToUpper(ids[0])}
	if !slices.Equal(order, want) {
		t.Fatalf("customers %v, want %v", order, want)
	}
	if n := w.requests("list GET"); n != 2 {
		t.Fatalf("%d list GETs, want 2 (one per distinct customer)", n)
	}

	// A filter nothing matches reads the same pages and yields nothing.
	w.emu.ResetStats()
	got, errs = collect(t, w.source.svc.List(t.Context(), Query{CustomerIDs: ids, Filter: Filter{Direction: Incoming}}))
	if len(got) != 0 || len(errs) != 0 || w.requests("list GET") != 3 {
		t.Fatalf("incoming for the source: %d listed, %v, %d list GETs; want 0, none, 3", len(got), errs, w.requests("list GET"))
	}
}

func TestListEveryCustomerInServiceOrder(t *testing.T) {
	w := newWorld(t, "")
	w.create(w.customerID)
	ids := w.addCustomers(4, 1)
	w.emu.ResetStats()
	got, errs := collect(t, w.target.svc.List(t.Context(), Query{Concurrency: 2}))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var order []string
	for _, l := range got {
		order = append(order, l.CustomerID)
	}
	var want []string
	err := w.target.client.ListCustomers(t.Context(), 0, func(c partnercenter.Customer) error {
		want = append(want, c.TenantID())
		return nil
	})
	if err != nil || len(want) != 5 || !slices.Contains(want, ids[3]) {
		t.Fatalf("customers %v, %v", want, err)
	}
	if !slices.Equal(order, want) {
		t.Fatalf("listed under %v, want the service's customer order %v", order, want)
	}
}

// The consumer stops: nothing more is requested, not even the rest of the
// customer being read.
func TestListStopsWhenTheConsumerStops(t *testing.T) {
	w := newWorld(t, "")
	ids := w.addCustomers(2, 0)
	for range emulator.DefaultPageSize + 50 {
		w.create(ids[0])
	}
	w.create(ids[1])

	cases := []struct {
		name      string
		take      int
		wantLists int
	}{
		{"first of the first page", 1, 1},
		{"last of the first page", emulator.DefaultPageSize, 1},
		{"into the second page", emulator.DefaultPageSize + 1, 2},
		{"all of the first customer", emulator.DefaultPageSize + 50, 2},
		{"into the second customer", emulator.DefaultPageSize + 51, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w.emu.ResetStats()
			n := 0
			for l, err := range w.target.svc.List(t.Context(), Query{CustomerIDs: ids, Concurrency: 1}) {
				if err != nil {
					t.Fatal(err)
				}
				if l.Transfer.ID == "" {
					t.Fatal("empty transfer")
				}
				if n++; n == tc.take {
					break
				}
			}
			if got := w.requests("list GET"); got != tc.wantLists || n != tc.take {
				t.Fatalf("took %d with %d list GETs, want %d with %d", n, got, tc.take, tc.wantLists)
			}
		})
	}
}

// A customer that cannot be read is named, and customers after it are
// never read.
func TestListFailingCustomerNamed(t *testing.T) {
	w := newWorld(t, "")
	ids := w.addCustomers(3, 1)
	broken := ids[1]
	w.setIntercept(func(rw http.ResponseWriter, r *http.Request, _ http.Handler) bool {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, broken) {
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusForbidden)
			_, _ = rw.Write([]byte(`{"code":"20002","description":"no relationship"}`))
			return true
		}
		return false
	})
	w.emu.ResetStats()
	got, errs := collect(t, w.target.svc.List(t.Context(), Query{CustomerIDs: ids, Concurrency: 1}))
	if len(errs) != 1 {
		t.Fatalf("errors %v, want one", errs)
	}
	var ce *CustomerError
	if !errors.As(errs[0], &ce) || ce.CustomerID != broken || !partnercenter.IsForbidden(errs[0]) {
		t.Fatalf("error %v (%T), want a CustomerError naming %s", errs[0], errs[0], broken)
	}
	// The first customer's request was yielded before the failure; the
	// third customer was never read.
	if len(got) != 1 || got[0].CustomerID != ids[0] || w.requests("list GET") != 1 {
		t.Fatalf("%d listed, %d list GETs (the broken one answered by the test); want 1 and 1", len(got), w.requests("list GET"))
	}
}

func TestListCancelledContextIsAnError(t *testing.T) {
	w := newWorld(t, "")
	ids := w.addCustomers(2, 1)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	n := 0
	var last error
	for _, err := range w.target.svc.List(ctx, Query{CustomerIDs: ids, Concurrency: 1}) {
		if err != nil {
			last = err
			continue
		}
		n++
		cancel()
	}
	if n != 1 || !errors.Is(last, context.Canceled) {
		t.Fatalf("listed %d, last error %v; want 1 and a cancellation", n, last)
	}
}

func TestFilterMatches(t *testing.T) {
	source, target := uuid.NewString(), uuid.NewString()
	tr := &partnercenter.Transfer{Status: partnercenter.StatusCanceled, TransferDirection: partnercenter.DirectionOutgoing,
		TransferType: 3, SourcePartnerTenantID: source, TargetPartnerTenantID: target}
	cases := []struct {
		f    Filter
		want bool
	}{
		{Filter{}, true},
		{Filter{Status: "canceled"}, true},
		{Filter{Status: Canceled}, true},
		{Filter{Status: Pending}, false},
		{Filter{Direction: Outgoing}, true},
		{Filter{Direction: Incoming}, false},
		{Filter{TransferType: 3}, true},
		{Filter{TransferType: 5}, false},
		{Filter{SourcePartnerTenantID: strings.ToUpper(source)}, true},
		{Filter{SourcePartnerTenantID: target}, false},
		{Filter{TargetPartnerTenantID: strings.ToUpper(target)}, true},
		{Filter{TargetPartnerTenantID: source}, false},
	}
	for _, tc := range cases {
		if got := tc.f.Matches(tr); got != tc.want {
			t.Errorf("%+v matches = %v, want %v", tc.f, got, tc.want)
		}
	}
	if (Filter{Status: InProgress}).Matches(&partnercenter.Transfer{Status: "inprogress"}) != true ||
		(Filter{Direction: Outgoing}).Matches(&partnercenter.Transfer{}) {
		t.Error("status without case, or a direction the service did not give")
	}
}

func TestCompareKeys(t *testing.T) {
	at := func(minute int) *time.Time {
		v := time.Date(2026, 1, 2, 3, minute, 0, 0, time.UTC)
		return &v
	}
	keys := []Key{
		{ID: "d", CustomerID: "b", Created: at(5)},
		{ID: "c", CustomerID: "a", Created: at(1)},
		{ID: "e", CustomerID: "A", Created: at(5)},
		{ID: "b", CustomerID: "b", Created: at(5)},
		{ID: "z", CustomerID: "a"},
		{ID: "a", CustomerID: "a", Created: at(9)},
		{ID: "y", CustomerID: "a"},
	}
	slices.SortFunc(keys, CompareKeys)
	var got []string
	for _, k := range keys {
		got = append(got, k.ID)
	}
	if want := "y z c e b d a"; strings.Join(got, " ") != want {
		t.Errorf("order = %v, want %s", got, want)
	}
}
