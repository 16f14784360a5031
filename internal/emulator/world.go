// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"slices"
)

// world is the emulator's mutable data: partners, customers, subscriptions
// and transfers, with the indexes the API needs to stay cheap at scale.
// It is guarded by Emulator.mu.
type world struct {
	partners      map[string]*Partner
	partnerOrder  []string
	customers     map[string]*customerState
	customerOrder []string
	subscriptions map[string]*subscriptionState
	// transfers is in creation order, which is also createdTime order
	// because the virtual clock never goes backwards.
	transfers    []*transferRecord
	transferByID map[string]*transferRecord
	// locks maps a subscription id to the InProgress transfer moving it.
	locks     map[string]*transferRecord
	outcomes  map[string]Outcome
	deadlines deadlineHeap
	seq       int64
}

// customerState is a customer plus its relationships and transfer indexes.
type customerState struct {
	Customer
	related map[string]bool
	// byPartner lists, per partner tenant, the customer's transfers in which
	// that partner is source or target, in creation order (append-only), so
	// a page of a list is a binary search plus a slice.
	byPartner map[string][]*transferRecord
}

// subscriptionState is one subscription (base or add-on) and its current owner.
type subscriptionState struct {
	Subscription
	CustomerID string
	ParentID   string
	AddOnIDs   []string
}

func newWorld() *world {
	return &world{
		partners:      map[string]*Partner{},
		customers:     map[string]*customerState{},
		subscriptions: map[string]*subscriptionState{},
		transferByID:  map[string]*transferRecord{},
		locks:         map[string]*transferRecord{},
		outcomes:      map[string]Outcome{},
	}
}

// worldFromSeed builds a fresh world; the seed was validated by New.
// Seeded transfers are indexed but not scheduled (see scheduleAllLocked).
func worldFromSeed(s Seed) (*world, error) {
	if err := s.Snapshot.check(); err != nil {
		return nil, err
	}
	w := newWorld()
	for _, p := range s.Partners {
		if err := w.addPartner(p); err != nil {
			return nil, err
		}
	}
	for _, c := range s.Customers {
		if err := w.addCustomer(c); err != nil {
			return nil, err
		}
	}
	if err := w.addSeedTransfers(s.Transfers); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *world) addPartner(p Partner) error {
	p, err := normalizePartner(p)
	if err != nil {
		return err
	}
	if _, dup := w.partners[p.TenantID]; dup {
		return fmt.Errorf("partner %s already exists", p.TenantID)
	}
	w.partners[p.TenantID] = &p
	w.partnerOrder = append(w.partnerOrder, p.TenantID)
	return nil
}

// addCustomer validates c against the world and adds it with its
// subscriptions. Nothing is added when any check fails.
func (w *world) addCustomer(c Customer) error {
	c, err := normalizeCustomer(c)
	if err != nil {
		return err
	}
	if _, dup := w.customers[c.ID]; dup {
		return fmt.Errorf("customer %s already exists", c.ID)
	}
	related := map[string]bool{}
	for _, p := range c.PartnerTenantIDs {
		if w.partners[p] == nil {
			return fmt.Errorf("customer %s: partnerTenantId %s is not a known partner", c.ID, p)
		}
		related[p] = true
	}
	states := map[string]*subscriptionState{}
	add := func(s Subscription, parent string) error {
		if w.subscriptions[s.ID] != nil || states[s.ID] != nil {
			return fmt.Errorf("customer %s: subscription %s already exists", c.ID, s.ID)
		}
		if s.OwnerPartnerTenantID == "" {
			return fmt.Errorf("customer %s: subscription %s needs an ownerPartnerTenantId", c.ID, s.ID)
		}
		if !related[s.OwnerPartnerTenantID] {
			return fmt.Errorf("customer %s: subscription %s is owned by %s, which is not in the customer's partnerTenantIds",
				c.ID, s.ID, s.OwnerPartnerTenantID)
		}
		st := &subscriptionState{Subscription: s, CustomerID: c.ID, ParentID: parent}
		st.AddOns = nil
		states[s.ID] = st
		return nil
	}
	for _, s := range c.Subscriptions {
		if err := add(s, ""); err != nil {
			return err
		}
		for _, a := range s.AddOns {
			if err := add(a, s.ID); err != nil {
				return err
			}
			states[s.ID].AddOnIDs = append(states[s.ID].AddOnIDs, a.ID)
		}
	}
	for id, st := range states {
		w.subscriptions[id] = st
	}
	w.customers[c.ID] = &customerState{Customer: c, related: related, byPartner: map[string][]*transferRecord{}}
	w.customerOrder = append(w.customerOrder, c.ID)
	return nil
}

// customerSubscriptions returns the customer's subscriptions with current
// owners, base subscriptions in seed order with their add-ons nested.
func (w *world) customerSubscriptions(c *customerState) []Subscription {
	out := make([]Subscription, 0, len(c.Subscriptions))
	for _, seeded := range c.Subscriptions {
		st := w.subscriptions[seeded.ID]
		s := st.Subscription
		s.AddOns = nil
		for _, id := range st.AddOnIDs {
			s.AddOns = append(s.AddOns, w.subscriptions[id].Subscription)
		}
		out = append(out, s)
	}
	return out
}

// indexTransfer adds a new transfer to every index.
func (w *world) indexTransfer(rec *transferRecord) {
	w.transfers = append(w.transfers, rec)
	w.transferByID[rec.ID] = rec
	c := w.customers[rec.CustomerTenantID]
	c.byPartner[rec.SourcePartnerTenantID] = append(c.byPartner[rec.SourcePartnerTenantID], rec)
	if rec.TargetPartnerTenantID != rec.SourcePartnerTenantID {
		c.byPartner[rec.TargetPartnerTenantID] = append(c.byPartner[rec.TargetPartnerTenantID], rec)
	}
}

// partnerTransfers returns the customer's transfers visible to partner.
func (w *world) partnerTransfers(customerID, partner string) []*transferRecord {
	c := w.customers[customerID]
	if c == nil {
		return nil
	}
	return c.byPartner[partner]
}

// transfersAfter returns up to limit records with Seq > afterSeq from a
// Seq-ordered slice, without scanning the skipped prefix.
func transfersAfter(list []*transferRecord, afterSeq int64, limit int) (page []*transferRecord, more bool) {
	start, _ := slices.BinarySearchFunc(list, afterSeq+1, func(r *transferRecord, seq int64) int {
		switch {
		case r.Seq < seq:
			return -1
		case r.Seq > seq:
			return 1
		}
		return 0
	})
	end := min(start+limit, len(list))
	return list[start:end], end < len(list)
}
