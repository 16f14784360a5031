// SPDX-License-Identifier: MPL-2.0

package snapshot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

// assertGETOnly checks that the snapshot sent only GETs (besides the token
// request to Entra ID) and exactly the minimum: one customers page per 500,
// one subscription list and one transfer list per customer.
func assertGETOnly(t *testing.T, stats emulator.Stats, customers int) {
	t.Helper()
	api := 0
	for key, n := range stats.Requests {
		switch {
		case key == "token POST" || key == "openid-configuration GET" || key == "instance-discovery GET":
			continue // Entra ID: signing in
		case !strings.HasSuffix(key, " GET"):
			t.Errorf("the snapshot sent %d %q requests; it must only read", n, key)
		}
		api += n
	}
	pages := (customers + 499) / 500
	want := map[string]int{"listCustomers GET": pages, "listSubscriptions GET": customers, "list GET": customers}
	for key, n := range want {
		if stats.Requests[key] != n {
			t.Errorf("%s = %d, want %d (requests: %v)", key, stats.Requests[key], n, stats.Requests)
		}
	}
	if api != pages+2*customers {
		t.Errorf("API requests = %d, want %d: %v", api, pages+2*customers, stats.Requests)
	}
}

// serve starts emulator B from a snapshot file, with A's target as the
// other partner.
func (w *world) serve(t *testing.T, path string) (*emulator.Emulator, *emulator.Server) {
	t.Helper()
	s, err := emulator.LoadSeed(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err = s.ForRehearsal(emulator.Rehearsal{Other: w.target.seed()})
	if err != nil {
		t.Fatal(err)
	}
	emu, err := emulator.New(emulator.Options{Seed: s, Speed: 0})
	if err != nil {
		t.Fatal(err)
	}
	ca, err := emulator.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(emu, "127.0.0.1:0", ca)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return emu, srv
}

func TestSnapshotSeedsAnIdenticalEmulator(t *testing.T) {
	w := newWorld(t, 12)
	w.emu.ResetStats()
	seed, err := w.take(t, t.Context(), Options{Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	assertGETOnly(t, w.emu.Stats(), w.customers)
	if h := seed.Snapshot; !h.Complete || h.CustomersRead != w.customers || h.CustomersTotal != w.customers || h.Anonymized {
		t.Fatalf("header = %+v", *h)
	}
	// The world has what the test is about: add-ons, a trial, a suspended
	// subscription, pending requests.
	var addOns, trials, suspended, pending int
	for _, c := range seed.Customers {
		for _, s := range c.Subscriptions {
			addOns += len(s.AddOns)
			if s.IsTrial {
				trials++
			}
			if s.Status == "suspended" {
				suspended++
			}
		}
	}
	for _, tr := range seed.Transfers {
		if tr.Status == "Pending" {
			pending++
		}
	}
	if addOns == 0 || trials != 1 || suspended != 1 || pending != 4 || len(seed.Transfers) != 6 {
		t.Fatalf("snapshot has %d add-ons, %d trials, %d suspended, %d pending of %d transfers", addOns, trials, suspended, pending, len(seed.Transfers))
	}

	path := filepath.Join(t.TempDir(), "partner.json")
	if err := WriteFile(path, seed); err != nil {
		t.Fatal(err)
	}
	_, srvB := w.serve(t, path)
	asSourceB := w.source
	asSourceB.ClientSecret = emulator.DefaultSnapshotClientSecret
	got, want := readView(t, w.client(t, srvB, asSourceB)), readView(t, w.client(t, w.srv, w.source))
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		x, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("emulator B serves another view than A:\nB: %s\nA: %s", g, x)
	}
	// The other side can rehearse: the target creates a request in B.
	target := w.client(t, srvB, w.target)
	if _, err := target.CreateTransfer(t.Context(), want.Customers[5].ID, createRequest(w)); err != nil {
		t.Fatalf("the other partner cannot create a request in B: %v", err)
	}
}

func TestAnonymizedSnapshotHidesNamesDomainsAndAddresses(t *testing.T) {
	w := newWorld(t, 4)
	plain, err := w.take(t, t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("0123456789abcdef0123456789abcdef")
	anon, err := w.take(t, t.Context(), Options{Anonymizer: NewAnonymizer(key), PartnerName: w.source.Name})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(anon)
	if err != nil {
		t.Fatal(err)
	}
	lowered := bytes.ToLower(b)
	for _, original := range w.originals {
		if bytes.Contains(lowered, []byte(strings.ToLower(original))) {
			t.Errorf("the anonymized snapshot contains %q", original)
		}
	}
	if !anon.Snapshot.Anonymized {
		t.Error("header does not say anonymized")
	}
	// Ids, offers, quantities, terms, statuses and dates are kept; names are
	// replaced consistently (a request's customer name is its customer's).
	for i, c := range anon.Customers {
		p := plain.Customers[i]
		if c.ID != p.ID || c.Name == p.Name || c.Domain == p.Domain || len(c.Subscriptions) != len(p.Subscriptions) {
			t.Fatalf("customer %d: %+v vs %+v", i, c, p)
		}
		for j, s := range c.Subscriptions {
			ps := p.Subscriptions[j]
			if strings.EqualFold(ps.OfferName, ps.FriendlyName) {
				s.OfferName, ps.OfferName = "", ""
			}
			s.FriendlyName, ps.FriendlyName = "", ""
			s.AddOns, ps.AddOns = slices.Clone(s.AddOns), slices.Clone(ps.AddOns)
			for k := range s.AddOns {
				s.AddOns[k].FriendlyName, ps.AddOns[k].FriendlyName = "", ""
				s.AddOns[k].OfferName, ps.AddOns[k].OfferName = "", ""
			}
			if !reflect.DeepEqual(s, ps) {
				t.Errorf("subscription %s changed beyond its friendly name:\n%+v\n%+v", s.ID, s, ps)
			}
		}
	}
	names := map[string]string{}
	for _, c := range anon.Customers {
		names[c.ID] = c.Name
	}
	for i, tr := range anon.Transfers {
		p := plain.Transfers[i]
		if tr.ID != p.ID || tr.Status != p.Status || !tr.CreatedTime.Equal(*p.CreatedTime) || tr.CustomerName == p.CustomerName {
			t.Errorf("transfer %d: %+v vs %+v", i, tr, p)
		}
	}
	special := anon.Customers[len(anon.Customers)-1]
	for _, tr := range anon.Transfers {
		if tr.CustomerTenantID == special.ID && tr.CustomerName != special.Name {
			t.Errorf("request names its customer %q, the customer is %q", tr.CustomerName, special.Name)
		}
	}
	// Deterministic: the same key gives the same file; another key another.
	again, err := w.take(t, t.Context(), Options{Anonymizer: NewAnonymizer(key), PartnerName: w.source.Name})
	if err != nil {
		t.Fatal(err)
	}
	again.Snapshot, anon.Snapshot = nil, nil
	if !reflect.DeepEqual(again, anon) {
		a, _ := json.MarshalIndent(again, "", " ")
		b, _ := json.MarshalIndent(anon, "", " ")
		t.Errorf("two anonymized snapshots with the same key differ:\n%s\n%s", a, b)
	}
	other, err := w.take(t, t.Context(), Options{Anonymizer: NewAnonymizer([]byte("another key"))})
	if err != nil {
		t.Fatal(err)
	}
	if other.Customers[0].Name == anon.Customers[0].Name {
		t.Error("another key gives the same pseudonym")
	}
	// And it serves.
	anon.Snapshot = other.Snapshot
	if _, err := anon.ForRehearsal(emulator.Rehearsal{}); err != nil {
		t.Fatalf("anonymized snapshot does not serve: %v", err)
	}
}

func TestInterruptedSnapshotIsNeverLoadedAndResumes(t *testing.T) {
	w := newWorld(t, 20)
	// Slow subscription lists, one customer at a time, so the run is
	// stopped part-way: the checkpoint cancels it once 3 customers are in.
	w.emu.SetFaults(emulator.Fault{Route: emulator.RouteListSubscriptions, Kind: emulator.FaultLatency, Latency: 20 * time.Millisecond})
	partial := filepath.Join(t.TempDir(), "partner.json"+PartialSuffix)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, err := w.take(t, ctx, Options{Concurrency: 1, CheckpointInterval: 10 * time.Millisecond, Checkpoint: func(s emulator.Seed) error {
		if s.Snapshot.CustomersRead >= 3 {
			cancel()
		}
		return WriteFile(partial, s)
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Take = %v, want context.Canceled", err)
	}
	saved, err := ReadPartial(partial)
	if err != nil || saved == nil {
		t.Fatalf("partial file: %v", err)
	}
	read := saved.Snapshot.CustomersRead
	if saved.Snapshot.Complete || read < 3 || read >= w.customers || len(saved.Customers) != read {
		t.Fatalf("partial header = %+v with %d customers", *saved.Snapshot, len(saved.Customers))
	}
	if _, err := emulator.LoadSeed(partial); !errors.Is(err, emulator.ErrIncompleteSnapshot) {
		t.Fatalf("LoadSeed(partial) = %v, want ErrIncompleteSnapshot", err)
	}
	if problem := ResumeProblem(saved, strings.ToUpper(w.source.TenantID), false); problem != "" {
		t.Fatalf("cannot resume: %s", problem)
	}
	if problem := ResumeProblem(saved, w.source.TenantID, true); !strings.Contains(problem, "-anonymize=false") {
		t.Fatalf("resume with other anonymization: %q", problem)
	}

	// The rerun reads only the customers the partial file lacks, and ends
	// with the same snapshot as an uninterrupted run.
	w.emu.SetFaults()
	w.emu.ResetStats()
	resumed, err := w.take(t, t.Context(), Options{Resume: saved})
	if err != nil {
		t.Fatal(err)
	}
	left := w.customers - read
	stats := w.emu.Stats()
	if stats.Requests["listSubscriptions GET"] != left || stats.Requests["list GET"] != left || stats.Requests["listCustomers GET"] != 1 {
		t.Fatalf("resumed run requests = %v, want 1 customers page and %d of each list", stats.Requests, left)
	}
	fresh, err := w.take(t, t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !resumed.Snapshot.Complete || !resumed.Snapshot.StartedAt.Equal(saved.Snapshot.StartedAt) {
		t.Fatalf("resumed header = %+v", *resumed.Snapshot)
	}
	resumed.Snapshot, fresh.Snapshot = nil, nil
	if !reflect.DeepEqual(resumed, fresh) {
		t.Fatal("the resumed snapshot differs from an uninterrupted one")
	}
}

func TestWriteFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "partner.json")
	if err := os.WriteFile(path, []byte("previous"), 0o600); err != nil {
		t.Fatal(err)
	}
	// An unencodable seed fails before anything is replaced.
	bad := emulator.Seed{Partners: []emulator.Partner{{Apps: []fakeentra.App{{}}}}}
	bad.Snapshot = &emulator.SnapshotInfo{StartedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := WriteFile(path, bad); err == nil {
		t.Fatal("WriteFile of an unencodable time succeeded")
	}
	if b, _ := os.ReadFile(path); string(b) != "previous" {
		t.Fatalf("file = %q after a failed write", b)
	}
	if err := WriteFile(path, emulator.Seed{}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries, want only the snapshot (no temporary file left)", len(entries))
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, want 0600", info.Mode().Perm())
	}
}
