// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	_ "embed" // The example seed is compiled in as the default.
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

// Seed is the emulator's initial world: partners with their app
// registrations, customers with reseller relationships and subscriptions,
// and (in snapshots) transfer requests. A snapshot of a real partner is a
// seed with a Snapshot header (snapshot.go).
type Seed struct {
	// Snapshot is set in files written by partnercenter-snapshot; a seed
	// whose header says it is incomplete is refused.
	Snapshot  *SnapshotInfo `json:"snapshot,omitempty"`
	Partners  []Partner     `json:"partners"`
	Customers []Customer    `json:"customers"`
	// Transfers are existing transfer requests in the server's view
	// (transferDirection and partnertenantid are ignored), in any order.
	Transfers []Transfer `json:"transfers,omitempty"`
}

// Partner is a CSP partner organization (an Entra tenant) and the apps that
// can obtain tokens for it. An app's tenantId may be omitted; it is the
// partner's.
type Partner struct {
	TenantID string          `json:"tenantId"`
	Name     string          `json:"name"`
	MpnID    string          `json:"mpnId,omitempty"`
	EmailID  string          `json:"emailId,omitempty"`
	Apps     []fakeentra.App `json:"apps,omitempty"`
}

// Customer is a customer tenant. PartnerTenantIDs are the partners with a
// reseller relationship to it; only they can create transfers for it.
type Customer struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	// Domain is companyProfile.domain (default: the name in lower case,
	// letters and digits only, + ".onmicrosoft.com").
	Domain           string         `json:"domain,omitempty"`
	PartnerTenantIDs []string       `json:"partnerTenantIds"`
	Subscriptions    []Subscription `json:"subscriptions,omitempty"`
}

// Subscription is a transferable item (license subscription, Azure
// subscription, reservation or savings plan) owned by one partner. Add-ons
// move with their base subscription and inherit its owner.
type Subscription struct {
	ID                   string `json:"id"`
	OwnerPartnerTenantID string `json:"ownerPartnerTenantId,omitempty"`
	ProductType          string `json:"productType"`
	FriendlyName         string `json:"friendlyName,omitempty"`
	BillingCycle         string `json:"billingCycle,omitempty"`
	OfferID              string `json:"offerId,omitempty"`
	Quantity             int    `json:"quantity,omitempty"`
	// OfferName is the catalog name (default: the friendly name).
	OfferName string `json:"offerName,omitempty"`
	// Status is the subscription's status on the wire (default "active";
	// one of active, pending, suspended, expired, disabled, deleted).
	Status string `json:"status,omitempty"`
	// TermDuration is the ISO 8601 term (default "P1Y"; "P1M" for monthly
	// terms).
	TermDuration string `json:"termDuration,omitempty"`
	// CommitmentEndDate is the term's end, RFC 3339 (optional).
	CommitmentEndDate string `json:"commitmentEndDate,omitempty"`
	// AutoRenew is autoRenewEnabled (default true).
	AutoRenew *bool `json:"autoRenewEnabled,omitempty"`
	IsTrial   bool  `json:"isTrial,omitempty"`
	// TransferredTo is set on a subscription that left its partner in a
	// completed transfer: the id it has at the target. The owner stays the
	// former one; the subscription is no longer listed or transferable
	// (see README "Customers and subscriptions").
	TransferredTo string         `json:"transferredToSubscriptionId,omitempty"`
	AddOns        []Subscription `json:"addOns,omitempty"`
}

//go:embed default_seed.json
var defaultSeedJSON []byte

// DefaultSeed returns the built-in seed (a copy of examples/emulator/seed.json):
// "Contoso Old Partner" (source) and "Fabrikam New Partner" (target), each
// with one client-secret app, and one customer related to both with
// subscriptions owned by the source.
func DefaultSeed() Seed {
	s, err := ParseSeed(defaultSeedJSON)
	if err != nil {
		panic(fmt.Sprintf("built-in seed is invalid: %v", err)) // Guarded by a test.
	}
	return s
}

// LoadSeed reads and validates a seed file.
func LoadSeed(path string) (Seed, error) {
	b, err := os.ReadFile(path) // #nosec G304 -- the path is the operator's own seed file.
	if err != nil {
		return Seed{}, fmt.Errorf("reading seed: %w", err)
	}
	s, err := ParseSeed(b)
	if err != nil {
		return Seed{}, fmt.Errorf("seed %s: %w", path, err)
	}
	return s, nil
}

// ParseSeed decodes seed JSON strictly (unknown fields are errors, so typos
// in a hand-written seed do not pass silently) and validates it.
func ParseSeed(b []byte) (Seed, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return Seed{}, fmt.Errorf("decoding seed JSON: %w", err)
	}
	return s.normalized()
}

// SubscriptionCount is how many subscriptions the seed's customers have,
// add-ons included.
func (s Seed) SubscriptionCount() int {
	n := 0
	for _, c := range s.Customers {
		for _, sub := range c.Subscriptions {
			n += 1 + len(sub.AddOns)
		}
	}
	return n
}

// normalized validates the seed as a whole (each partner and customer, id
// uniqueness, references) and returns it with canonical lower-case ids,
// canonical product types, app tenants and subscription defaults filled in.
func (s Seed) normalized() (Seed, error) {
	if err := s.Snapshot.check(); err != nil {
		return Seed{}, err
	}
	w := newWorld()
	out := Seed{Snapshot: s.Snapshot}
	for _, p := range s.Partners {
		if err := w.addPartner(p); err != nil {
			return Seed{}, err
		}
		np, _ := normalizePartner(p) // Valid: addPartner checked it.
		out.Partners = append(out.Partners, np)
	}
	for _, c := range s.Customers {
		if err := w.addCustomer(c); err != nil {
			return Seed{}, err
		}
		nc, _ := normalizeCustomer(c)
		out.Customers = append(out.Customers, nc)
	}
	for _, t := range s.Transfers {
		rec, err := seedTransferRecord(t)
		if err != nil {
			return Seed{}, err
		}
		out.Transfers = append(out.Transfers, rec.view())
	}
	if err := w.addSeedTransfers(s.Transfers); err != nil {
		return Seed{}, err
	}
	return out, nil
}

// normalizePartner validates p and returns it with canonical ids and the
// apps' tenant filled in.
func normalizePartner(p Partner) (Partner, error) {
	tenant, err := namedEntityID("partner", "tenantId", p.TenantID, p.Name)
	if err != nil {
		return p, err
	}
	p.TenantID = tenant
	apps := make([]fakeentra.App, 0, len(p.Apps))
	for i, a := range p.Apps {
		if a.TenantID == "" {
			a.TenantID = tenant
		}
		if t, ok := canonicalGUID(a.TenantID); !ok || t != tenant {
			return p, fmt.Errorf("partner %q: app %d belongs to tenant %q, not the partner's", p.Name, i, a.TenantID)
		}
		a.TenantID = tenant
		if strings.TrimSpace(a.ClientID) == "" {
			return p, fmt.Errorf("partner %q: app %d needs a clientId", p.Name, i)
		}
		apps = append(apps, a)
	}
	p.Apps = apps
	return p, nil
}

// namedEntityID checks the id (a GUID, field names it in errors) and the
// name every seeded partner and customer needs, and returns the canonical id.
func namedEntityID(kind, field, id, name string) (string, error) {
	canonical, ok := canonicalGUID(id)
	if !ok {
		return "", fmt.Errorf("%s %q: %s %q is not a GUID", kind, name, field, id)
	}
	if strings.TrimSpace(name) == "" {
		return "", fmt.Errorf("%s %s: name is required", kind, canonical)
	}
	return canonical, nil
}

// normalizeCustomer validates c on its own (no cross references) and returns
// it with canonical ids and product types and defaults filled in.
func normalizeCustomer(c Customer) (Customer, error) {
	id, err := namedEntityID("customer", "id", c.ID, c.Name)
	if err != nil {
		return c, err
	}
	c.ID = id
	partners := make([]string, 0, len(c.PartnerTenantIDs))
	for _, p := range c.PartnerTenantIDs {
		t, ok := canonicalGUID(p)
		if !ok {
			return c, fmt.Errorf("customer %s: partnerTenantId %q is not a GUID", id, p)
		}
		partners = append(partners, t)
	}
	c.PartnerTenantIDs = partners
	subs := make([]Subscription, 0, len(c.Subscriptions))
	for _, s := range c.Subscriptions {
		ns, err := normalizeSubscription(s, "")
		if err != nil {
			return c, fmt.Errorf("customer %s: %w", id, err)
		}
		subs = append(subs, ns)
	}
	c.Subscriptions = subs
	return c, nil
}

func normalizeSubscription(s Subscription, parent string) (Subscription, error) {
	id, ok := canonicalGUID(s.ID)
	if !ok {
		return s, fmt.Errorf("subscription id %q is not a GUID", s.ID)
	}
	s.ID = id
	if s.TransferredTo != "" {
		to, ok := canonicalGUID(s.TransferredTo)
		if !ok {
			return s, fmt.Errorf("subscription %s: transferredToSubscriptionId %q is not a GUID", id, s.TransferredTo)
		}
		s.TransferredTo = to
	}
	if s.OwnerPartnerTenantID != "" {
		owner, ok := canonicalGUID(s.OwnerPartnerTenantID)
		if !ok {
			return s, fmt.Errorf("subscription %s: ownerPartnerTenantId %q is not a GUID", id, s.OwnerPartnerTenantID)
		}
		s.OwnerPartnerTenantID = owner
	}
	if parent != "" && s.ProductType == "" {
		s.ProductType = parent
	}
	pt, ok := canonicalProductType(s.ProductType)
	if !ok {
		return s, fmt.Errorf("subscription %s: productType %q is not one of %s", id, s.ProductType,
			strings.Join(productTypes, ", "))
	}
	s.ProductType = pt
	if s.Quantity < 0 {
		return s, fmt.Errorf("subscription %s: quantity must not be negative", id)
	}
	if s.Quantity == 0 {
		s.Quantity = 1
	}
	if s.BillingCycle == "" {
		s.BillingCycle = "monthly"
	}
	if s.FriendlyName == "" {
		s.FriendlyName = pt + " " + id[:8]
	}
	if err := normalizeSubscriptionDetails(&s); err != nil {
		return s, fmt.Errorf("subscription %s: %w", id, err)
	}
	addOns := make([]Subscription, 0, len(s.AddOns))
	for _, a := range s.AddOns {
		if len(a.AddOns) > 0 {
			return s, fmt.Errorf("subscription %s: add-on %s cannot have add-ons", id, a.ID)
		}
		na, err := normalizeSubscription(a, pt)
		if err != nil {
			return s, fmt.Errorf("subscription %s: add-on: %w", id, err)
		}
		if na.OwnerPartnerTenantID != "" && na.OwnerPartnerTenantID != s.OwnerPartnerTenantID {
			return s, fmt.Errorf("subscription %s: add-on %s must have the base subscription's owner", id, na.ID)
		}
		na.OwnerPartnerTenantID = s.OwnerPartnerTenantID
		addOns = append(addOns, na)
	}
	s.AddOns = addOns
	return s, nil
}
