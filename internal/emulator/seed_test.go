// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltInSeedIsTheExample(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "emulator", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(example, defaultSeedJSON) {
		t.Fatal("internal/emulator/default_seed.json must be a copy of examples/emulator/seed.json")
	}
	s, err := LoadSeed(filepath.Join("..", "..", "examples", "emulator", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Partners) != 2 || s.Partners[0].Name != "Contoso Old Partner" || s.Partners[1].Name != "Fabrikam New Partner" {
		t.Errorf("partners = %s", describe(s.Partners))
	}
	if len(s.Customers) != 1 || len(s.Customers[0].Subscriptions) < 3 || len(s.Customers[0].Subscriptions[0].AddOns) != 1 {
		t.Errorf("customers = %s", describe(s.Customers))
	}
	if s.Partners[0].Apps[0].TenantID != sourceTenant {
		t.Error("app tenant not inferred from the partner")
	}
	if s.Customers[0].Subscriptions[0].AddOns[0].ProductType != "OnlineServicesNCE" {
		t.Error("add-on product type not inherited")
	}
}

func TestParseSeedRejectsInvalidSeeds(t *testing.T) {
	const p1 = `{"tenantId":"a1a1a1a1-0000-4000-8000-000000000001","name":"P1"}`
	seed := func(partners, customers string) string {
		return `{"partners":[` + partners + `],"customers":[` + customers + `]}`
	}
	customer := func(subs string) string {
		return `{"id":"c3c3c3c3-0000-4000-8000-000000000003","name":"C","partnerTenantIds":["a1a1a1a1-0000-4000-8000-000000000001"],"subscriptions":[` + subs + `]}`
	}
	const sub = `{"id":"d4d4d4d4-0000-4000-8000-000000000001","ownerPartnerTenantId":"a1a1a1a1-0000-4000-8000-000000000001","productType":"OnlineServicesNCE"`
	tests := []struct {
		name, json, mentions string
	}{
		{"unknown field", `{"partners":[],"customer":[]}`, "unknown field"},
		{"partner tenant not a GUID", seed(`{"tenantId":"contoso","name":"P"}`, ""), "contoso"},
		{"partner without name", seed(`{"tenantId":"a1a1a1a1-0000-4000-8000-000000000001"}`, ""), "name is required"},
		{"duplicate partner", seed(p1+","+p1, ""), "already exists"},
		{"app of another tenant", seed(`{"tenantId":"a1a1a1a1-0000-4000-8000-000000000001","name":"P","apps":[{"tenantId":"b2b2b2b2-0000-4000-8000-000000000002","clientId":"x"}]}`, ""), "not the partner's"},
		{"app without client id", seed(`{"tenantId":"a1a1a1a1-0000-4000-8000-000000000001","name":"P","apps":[{}]}`, ""), "clientId"},
		{"relationship to unknown partner", seed(p1, `{"id":"c3c3c3c3-0000-4000-8000-000000000003","name":"C","partnerTenantIds":["b2b2b2b2-0000-4000-8000-000000000002"]}`), "not a known partner"},
		{"owner without relationship", seed(p1, customer(`{"id":"d4d4d4d4-0000-4000-8000-000000000001","ownerPartnerTenantId":"b2b2b2b2-0000-4000-8000-000000000002","productType":"SaaS"}`)), "not in the customer's partnerTenantIds"},
		{"missing owner", seed(p1, customer(`{"id":"d4d4d4d4-0000-4000-8000-000000000001","productType":"SaaS"}`)), "ownerPartnerTenantId"},
		{"bad product type", seed(p1, customer(`{"id":"d4d4d4d4-0000-4000-8000-000000000001","ownerPartnerTenantId":"a1a1a1a1-0000-4000-8000-000000000001","productType":"Hardware"}`)), "Hardware"},
		{"duplicate subscription", seed(p1, customer(sub+"},"+sub+"}")), "already exists"},
		{"add-on with another owner", seed(p1, customer(sub+`,"addOns":[{"id":"e5e5e5e5-0000-4000-8000-000000000001","ownerPartnerTenantId":"b2b2b2b2-0000-4000-8000-000000000002"}]}`)), "base subscription's owner"},
		{"nested add-ons", seed(p1, customer(sub+`,"addOns":[{"id":"e5e5e5e5-0000-4000-8000-000000000001","addOns":[{"id":"e5e5e5e5-0000-4000-8000-000000000002"}]}]}`)), "cannot have add-ons"},
		{"negative quantity", seed(p1, customer(sub+`,"quantity":-1}`)), "quantity"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSeed([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.mentions) {
				t.Errorf("error = %v, want one mentioning %q", err, tc.mentions)
			}
		})
	}
	if _, err := LoadSeed(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("a missing seed file loaded")
	}
}

func TestAddCustomerIsAllOrNothing(t *testing.T) {
	h := newHarness(t)
	bad := Customer{ID: "c3c3c3c3-0000-4000-8000-0000000000bb", Name: "Half", PartnerTenantIDs: []string{sourceTenant},
		Subscriptions: []Subscription{
			{ID: "d4d4d4d4-0000-4000-8000-0000000000bb", OwnerPartnerTenantID: sourceTenant, ProductType: "SaaS"},
			{ID: subE3, OwnerPartnerTenantID: sourceTenant, ProductType: "SaaS"}, // Already exists.
		}}
	if err := h.e.AddCustomer(bad); err == nil {
		t.Fatal("a customer reusing a subscription id was added")
	}
	bad.Subscriptions = bad.Subscriptions[:1]
	if err := h.e.AddCustomer(bad); err != nil {
		t.Fatalf("the first subscription leaked from the failed add: %v", err)
	}
}

func TestSeedSubscriptionCountIncludesAddOns(t *testing.T) {
	s := Seed{Customers: []Customer{
		{Subscriptions: []Subscription{{ID: "a", AddOns: []Subscription{{ID: "a1"}, {ID: "a2"}}}, {ID: "b"}}},
		{},
		{Subscriptions: []Subscription{{ID: "c"}}},
	}}
	if got := s.SubscriptionCount(); got != 5 {
		t.Fatalf("SubscriptionCount() = %d, want 5 (3 subscriptions, 2 add-ons)", got)
	}
	if got := (Seed{}).SubscriptionCount(); got != 0 {
		t.Fatalf("empty seed: SubscriptionCount() = %d, want 0", got)
	}
}
