// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	snapSelf     = "a1a1a1a1-0000-4000-8000-000000000001"
	snapOther    = "b2b2b2b2-0000-4000-8000-000000000002"
	snapCustomer = "c3c3c3c3-0000-4000-8000-000000000003"
	snapSub      = "d4d4d4d4-0000-4000-8000-000000000004"
)

// snapshotJSON is a complete snapshot of the source partner with one
// pending request from snapOther.
func snapshotJSON(complete bool, read int) string {
	c := "false"
	if complete {
		c = "true"
	}
	return `{
  "snapshot": {"format": 1, "complete": ` + c + `, "partnerTenantId": "` + snapSelf + `", "clientId": "e5e5e5e5-0000-4000-8000-000000000005",
    "startedAt": "2026-12-01T10:00:00Z", "anonymized": false, "customersTotal": 1, "customersRead": ` + strconv.Itoa(read) + `},
  "partners": [
    {"tenantId": "` + snapSelf + `", "name": "Contoso"},
    {"tenantId": "` + snapOther + `", "name": "Fabrikam"}
  ],
  "customers": [
    {"id": "` + snapCustomer + `", "name": "Northwind", "partnerTenantIds": ["` + snapSelf + `"],
     "subscriptions": [{"id": "` + snapSub + `", "ownerPartnerTenantId": "` + snapSelf + `", "productType": "OnlineServicesNCE", "status": "suspended", "isTrial": true}]}
  ],
  "transfers": [
    {"id": "f6f6f6f6-0000-4000-8000-000000000006", "status": "Pending", "transferType": 3, "customerEmailId": "it@northwind.example",
     "customerName": "Northwind", "customerTenantId": "` + snapCustomer + `", "partnertenantid": "", "sourcePartnerName": "Contoso",
     "sourcePartnerTenantId": "` + snapSelf + `", "sourcePartnerEmailId": "", "targetPartnerName": "Fabrikam",
     "targetPartnerTenantId": "` + snapOther + `", "targetPartnerEmailId": "", "targetProductTypes": null, "transferDirection": 0,
     "ignoreEligibilityCheck": false, "createdTime": "2026-12-01T09:00:00.1234567Z", "lastModifiedTime": "2026-12-01T09:00:00Z",
     "expirationTime": "2026-12-31T09:00:00Z", "completedTime": null, "lastModifiedUser": "", "lineItems": []}
  ]
}`
}

func TestSnapshotIncompleteIsRefused(t *testing.T) {
	_, err := ParseSeed([]byte(snapshotJSON(false, 0)))
	if !errors.Is(err, ErrIncompleteSnapshot) || !strings.Contains(err.Error(), "read 0 of 1 customers") ||
		!strings.Contains(err.Error(), "partnercenter-snapshot") {
		t.Fatalf("ParseSeed(incomplete) = %v, want ErrIncompleteSnapshot naming the counts and the command", err)
	}
	// A header that says complete but lacks customers is refused too.
	if _, err := ParseSeed([]byte(snapshotJSON(true, 0))); !errors.Is(err, ErrIncompleteSnapshot) {
		t.Fatalf("ParseSeed(complete, 0 of 1 read) = %v, want ErrIncompleteSnapshot", err)
	}
	s, err := ParseSeed([]byte(snapshotJSON(true, 1)))
	if err != nil {
		t.Fatal(err)
	}
	s.Snapshot.Complete = false
	if _, err := New(Options{Seed: s}); !errors.Is(err, ErrIncompleteSnapshot) {
		t.Fatalf("New(incomplete snapshot) = %v, want ErrIncompleteSnapshot", err)
	}
}

func TestSnapshotServedForRehearsal(t *testing.T) {
	s, err := ParseSeed([]byte(snapshotJSON(true, 1)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.ForRehearsal(Rehearsal{})
	if err != nil {
		t.Fatal(err)
	}
	// The other partner defaults to the one the request names, gets an app
	// and a relationship with the customer.
	if len(r.Partners) != 2 || r.Partners[1].TenantID != snapOther || len(r.Partners[1].Apps) != 1 ||
		r.Partners[1].Apps[0].ClientSecret != DefaultOtherPartnerClientSecret {
		t.Fatalf("partners = %s", describe(r.Partners))
	}
	if a := r.Partners[0].Apps; len(a) != 1 || a[0].ClientID != "e5e5e5e5-0000-4000-8000-000000000005" || a[0].ClientSecret != DefaultSnapshotClientSecret {
		t.Fatalf("snapshot partner apps = %s", describe(a))
	}
	if got := r.Customers[0].PartnerTenantIDs; len(got) != 2 || got[1] != snapOther {
		t.Fatalf("customer partners = %v", got)
	}
	clock := &fakeRealClock{now: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)}
	e, err := New(Options{Seed: r, Start: clock.now, RealClock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	got := e.Transfers()
	if len(got) != 1 || got[0].Status != "Pending" || got[0].CreatedTime.Format(time.RFC3339Nano) != "2026-12-01T09:00:00.1234567Z" {
		t.Fatalf("transfers = %s", describe(got))
	}
	// The seeded request expires at its own expirationTime, and Reset
	// brings it back.
	e.Advance(30 * 24 * time.Hour)
	if got := e.Transfers(); got[0].Status != "Expired" {
		t.Fatalf("after its expiry: %s", got[0].Status)
	}
	e.Reset()
	// Reset restores the seeded request; the clock kept running, so it is
	// due and expires again.
	if got := e.Transfers(); len(got) != 1 || got[0].Status != "Expired" || e.Stats().Total != 0 {
		t.Fatalf("after Reset: %s", describe(got))
	}
	sub, ok := e.Customer(snapCustomer)
	if !ok || sub.Subscriptions[0].Status != "suspended" || !sub.Subscriptions[0].IsTrial {
		t.Fatalf("customer = %s", describe(sub))
	}
	// Another named partner, and refusals.
	r, err = s.ForRehearsal(Rehearsal{Other: Partner{TenantID: "0f0f0f0f-0000-4000-8000-00000000000f", Name: "New Partner"}})
	if err != nil || len(r.Partners) != 3 || r.Partners[2].Name != "New Partner" {
		t.Fatalf("named other partner: %v %s", err, describe(r.Partners))
	}
	if _, err := s.ForRehearsal(Rehearsal{Other: Partner{TenantID: snapSelf}}); err == nil || !strings.Contains(err.Error(), "own partner") {
		t.Fatalf("other = self: %v", err)
	}
	if _, err := DefaultSeed().ForRehearsal(Rehearsal{}); err == nil || !strings.Contains(err.Error(), "not a snapshot") {
		t.Fatalf("plain seed: %v", err)
	}
}
