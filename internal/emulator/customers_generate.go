// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// maxGeneratedCustomers bounds one generate call (memory, not time: 100,000
// customers with 3 subscriptions each take about a second).
const maxGeneratedCustomers = 100_000

// generatedNamespace makes generated ids deterministic: the same call on a
// fresh emulator yields the same customers and subscriptions.
var generatedNamespace = uuid.MustParse("6d1f4b9e-3c2a-4e57-9a0b-7c5e2f1d8a43")

// GenerateCustomers describes a batch of synthetic customers for scale
// tests: POST /_emulator/customers/generate or Emulator.GenerateCustomers.
type GenerateCustomers struct {
	// Count is how many customers to add (1 to 100,000).
	Count int `json:"count"`
	// PartnerTenantIDs are related to every customer (default: every
	// partner of the seed).
	PartnerTenantIDs []string `json:"partnerTenantIds,omitempty"`
	// OwnerPartnerTenantID owns the subscriptions (default: the first
	// related partner).
	OwnerPartnerTenantID string `json:"ownerPartnerTenantId,omitempty"`
	// SubscriptionsPerCustomer is the number of base subscriptions (default
	// 3; 0 with NoSubscriptions). Every other license has one add-on.
	SubscriptionsPerCustomer int  `json:"subscriptionsPerCustomer,omitempty"`
	NoSubscriptions          bool `json:"noSubscriptions,omitempty"`
	// NamePrefix starts every company name (default "Customer"); names are
	// "<prefix> 00001", ...
	NamePrefix string `json:"namePrefix,omitempty"`
	// Batch distinguishes the ids of several generate calls (default 0).
	Batch int `json:"batch,omitempty"`
}

// generatedKinds are the subscription kinds generated customers cycle
// through: product type, name, offer, billing cycle, seats.
var generatedKinds = []struct {
	productType, name, offer, cycle string
	seats                           int
}{
	{"OnlineServicesNCE", "Microsoft 365 Business Premium", "CFQ7TTC0LCHC:0002", "monthly", 10},
	{"OnlineServicesNCE", "Microsoft 365 E3", "CFQ7TTC0LFLZ:0001", "annual", 25},
	{"AzureSubscription", "Azure plan", "DZH318Z0BPS6:0001", "monthly", 1},
	{"OnlineServicesNCE", "Exchange Online (Plan 1)", "CFQ7TTC0LH16:0001", "monthly", 5},
}

// GenerateCustomers adds g.Count customers with subscriptions and returns
// their ids in order. Nothing is added when any customer is invalid
// (e.g. ids of this batch already exist).
func (e *Emulator) GenerateCustomers(g GenerateCustomers) ([]string, error) {
	if g.Count < 1 || g.Count > maxGeneratedCustomers {
		return nil, fmt.Errorf("count must be from 1 to %d", maxGeneratedCustomers)
	}
	if g.SubscriptionsPerCustomer < 0 {
		return nil, errors.New("subscriptionsPerCustomer must not be negative")
	}
	if g.SubscriptionsPerCustomer == 0 && !g.NoSubscriptions {
		g.SubscriptionsPerCustomer = 3
	}
	if g.NoSubscriptions {
		g.SubscriptionsPerCustomer = 0
	}
	if g.NamePrefix == "" {
		g.NamePrefix = "Customer"
	}
	e.lock()
	defer e.unlock()
	partners := g.PartnerTenantIDs
	if len(partners) == 0 {
		partners = append(partners, e.w.partnerOrder...)
	}
	if len(partners) == 0 {
		return nil, errors.New("the emulator has no partners to relate customers to")
	}
	owner := g.OwnerPartnerTenantID
	if owner == "" {
		owner = partners[0]
	}
	id := func(kind string, i, j int) string {
		return uuid.NewSHA1(generatedNamespace, fmt.Appendf(nil, "%d/%s/%d/%d", g.Batch, kind, i, j)).String()
	}
	customers := make([]Customer, 0, g.Count)
	for i := range g.Count {
		c := Customer{ID: id("customer", i, 0), Name: fmt.Sprintf("%s %05d", g.NamePrefix, i+1),
			PartnerTenantIDs: partners}
		for j := range g.SubscriptionsPerCustomer {
			k := generatedKinds[(i+j)%len(generatedKinds)]
			s := Subscription{ID: id("subscription", i, j), OwnerPartnerTenantID: owner, ProductType: k.productType,
				FriendlyName: k.name, OfferID: k.offer, BillingCycle: k.cycle, Quantity: k.seats + i%7}
			if k.productType == "OnlineServicesNCE" && j%2 == 0 {
				s.AddOns = []Subscription{{ID: id("addon", i, j), FriendlyName: "Microsoft Teams Phone Standard",
					OfferID: "CFQ7TTC0J1FV:0001", BillingCycle: k.cycle, Quantity: s.Quantity}}
			}
			c.Subscriptions = append(c.Subscriptions, s)
		}
		customers = append(customers, c)
	}
	// Validate the whole batch against the world before adding any of it.
	ids := make([]string, 0, len(customers))
	seen := map[string]bool{}
	for _, c := range customers {
		if e.w.customers[c.ID] != nil || seen[c.ID] {
			return nil, fmt.Errorf("customer %s already exists: use another batch number", c.ID)
		}
		seen[c.ID] = true
	}
	for _, c := range customers {
		if err := e.w.addCustomer(c); err != nil {
			return ids, fmt.Errorf("generated customer %s: %w", c.ID, err)
		}
		ids = append(ids, c.ID)
	}
	return ids, nil
}
