// SPDX-License-Identifier: MPL-2.0

package snapshot

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// subscriptionStatuses are the statuses the emulator serves.
var subscriptionStatuses = []string{
	partnercenter.SubscriptionActive, partnercenter.SubscriptionPending, partnercenter.SubscriptionSuspended,
	partnercenter.SubscriptionExpired, partnercenter.SubscriptionDisabled, partnercenter.SubscriptionDeleted,
}

// customerRead is what one customer contributes to a snapshot.
type customerRead struct {
	customer  emulator.Customer
	transfers []emulator.Transfer
	leftOut   []string
}

// convertCustomer turns what the partner read of one customer into the
// emulator's seed types: subscriptions the emulator can serve (base ones
// with their add-ons nested, in list order) and the transfer requests.
func convertCustomer(self string, c partnercenter.Customer, subs []partnercenter.Subscription, transfers []partnercenter.Transfer) customerRead {
	id := strings.ToLower(c.TenantID())
	out := customerRead{customer: emulator.Customer{ID: id, Name: c.CompanyName(), Domain: c.Domain(), PartnerTenantIDs: []string{self}}}
	if strings.TrimSpace(out.customer.Name) == "" {
		out.customer.Name = "Customer " + id[:min(8, len(id))]
	}
	bases := map[string]int{}
	var addOns []partnercenter.Subscription
	for _, s := range subs {
		if s.IsAddOn() {
			addOns = append(addOns, s)
			continue
		}
		es, why := convertSubscription(self, s)
		if why != "" {
			out.leftOut = append(out.leftOut, fmt.Sprintf("customer %s subscription %s: %s", id, s.ID, why))
			continue
		}
		bases[strings.ToLower(s.ID)] = len(out.customer.Subscriptions)
		out.customer.Subscriptions = append(out.customer.Subscriptions, es)
	}
	for _, s := range addOns {
		i, ok := bases[strings.ToLower(s.ParentSubscriptionID)]
		if !ok {
			out.leftOut = append(out.leftOut, fmt.Sprintf("customer %s add-on %s: its base %s is not listed", id, s.ID, s.ParentSubscriptionID))
			continue
		}
		es, why := convertSubscription(self, s)
		if why != "" {
			out.leftOut = append(out.leftOut, fmt.Sprintf("customer %s add-on %s: %s", id, s.ID, why))
			continue
		}
		es.OwnerPartnerTenantID = ""
		base := &out.customer.Subscriptions[i]
		es.ProductType = base.ProductType
		base.AddOns = append(base.AddOns, es)
	}
	var newest time.Time
	for _, t := range transfers {
		et := convertTransfer(t)
		out.transfers = append(out.transfers, et)
		for _, p := range []string{et.SourcePartnerTenantID, et.TargetPartnerTenantID} {
			if p != "" && !slices.Contains(out.customer.PartnerTenantIDs, p) {
				out.customer.PartnerTenantIDs = append(out.customer.PartnerTenantIDs, p)
			}
		}
		if et.CreatedTime != nil && !et.CreatedTime.Before(newest) && et.CustomerEmailID != "" {
			newest, out.customer.Email = *et.CreatedTime, et.CustomerEmailID
		}
	}
	return out
}

// convertSubscription keeps every field the emulator serves, or says why
// the subscription cannot be served.
func convertSubscription(self string, s partnercenter.Subscription) (emulator.Subscription, string) {
	pt := s.TransferProductType()
	if pt == "" {
		return emulator.Subscription{}, "no new-commerce product type (legacy): the emulator cannot serve it"
	}
	status := strings.ToLower(strings.TrimSpace(s.Status))
	if status == "" {
		status = partnercenter.SubscriptionActive
	}
	if !slices.Contains(subscriptionStatuses, status) {
		return emulator.Subscription{}, fmt.Sprintf("status %q is not one the emulator serves", s.Status)
	}
	commitmentEnd := s.CommitmentEndDate
	if commitmentEnd != "" {
		if _, err := time.Parse(time.RFC3339, commitmentEnd); err != nil {
			commitmentEnd = ""
		}
	}
	autoRenew := s.AutoRenewEnabled
	return emulator.Subscription{
		ID: strings.ToLower(s.ID), OwnerPartnerTenantID: self, ProductType: pt, FriendlyName: s.FriendlyName,
		BillingCycle: s.BillingCycle, OfferID: s.OfferID, Quantity: int(s.Quantity), OfferName: s.OfferName,
		Status: status, TermDuration: s.TermDuration, CommitmentEndDate: commitmentEnd, AutoRenew: &autoRenew,
		IsTrial: s.IsTrial,
	}, ""
}

// convertTransfer copies a transfer in the server's view; the per-caller
// members (transferDirection, partnertenantid) are left out.
func convertTransfer(t partnercenter.Transfer) emulator.Transfer {
	participants := make([]emulator.Participant, 0, len(t.Participants))
	for _, p := range t.Participants {
		participants = append(participants, emulator.Participant{Key: p.Key, Value: p.Value})
	}
	if len(participants) == 0 {
		participants = nil
	}
	return emulator.Transfer{
		ID: t.ID, Status: t.Status, TransferType: t.TransferType, CustomerEmailID: t.CustomerEmailID,
		CustomerName: t.CustomerName, CustomerTenantID: strings.ToLower(t.CustomerTenantID),
		SourcePartnerName: t.SourcePartnerName, SourcePartnerTenantID: strings.ToLower(t.SourcePartnerTenantID),
		SourcePartnerEmailID: t.SourcePartnerEmailID, TargetPartnerName: t.TargetPartnerName,
		TargetPartnerTenantID: strings.ToLower(t.TargetPartnerTenantID), TargetPartnerEmailID: t.TargetPartnerEmailID,
		TargetProductTypes: slices.Clone(t.TargetProductTypes), PartnerOnRecord: t.PartnerOnRecord, Participants: participants,
		IgnoreEligibilityCheck: t.IgnoreEligibilityCheck, CreatedTime: t.CreatedTime, LastModifiedTime: t.LastModifiedTime,
		ExpirationTime: t.ExpirationTime, CompletedTime: t.CompletedTime, LastModifiedUser: t.LastModifiedUser,
		LineItems: convertLineItems(t.LineItems),
	}
}

func convertLineItems(items []partnercenter.TransferLineItem) []emulator.LineItem {
	out := make([]emulator.LineItem, 0, len(items))
	for _, li := range items {
		out = append(out, emulator.LineItem{
			ID: string(li.ID), SubscriptionID: li.SubscriptionID, ProductType: li.ProductType, OfferID: li.OfferID,
			FriendlyName: li.FriendlyName, Quantity: li.Quantity, BillingCycle: li.BillingCycle,
			TransferGroupID: li.TransferGroupID, Status: li.Status, OrderID: li.OrderID,
			TargetSubscriptionID: li.TargetSubscriptionID, AddonItems: convertLineItems(li.AddonItems),
			TransferError: li.TransferError, TransferErrorCode: li.TransferErrorCode,
		})
	}
	if len(out) == 0 && items != nil {
		return []emulator.LineItem{}
	}
	return out
}

// partners lists the snapshot's partner first, then every partner the
// requests name, by tenant id, each with the name and e-mail the newest
// request gives it (fallback for the snapshot's partner: fallbackName).
func partners(self, fallbackName string, transfers []emulator.Transfer) []emulator.Partner {
	type seen struct {
		name, email string
		at          time.Time
	}
	known := map[string]*seen{}
	note := func(id, name, email string, at time.Time) {
		if id == "" {
			return
		}
		s := known[id]
		if s == nil {
			s = &seen{}
			known[id] = s
		}
		if name != "" && !at.Before(s.at) {
			s.name, s.at = name, at
			if email != "" {
				s.email = email
			}
		}
	}
	for _, t := range transfers {
		var at time.Time
		if t.CreatedTime != nil {
			at = *t.CreatedTime
		}
		note(t.SourcePartnerTenantID, t.SourcePartnerName, t.SourcePartnerEmailID, at)
		note(t.TargetPartnerTenantID, t.TargetPartnerName, t.TargetPartnerEmailID, at)
	}
	partner := func(id string) emulator.Partner {
		p := emulator.Partner{TenantID: id}
		if s := known[id]; s != nil {
			p.Name, p.EmailID = s.name, s.email
		}
		if p.Name == "" && id == self {
			p.Name = fallbackName
		}
		if p.Name == "" {
			p.Name = "Partner " + id[:min(8, len(id))]
		}
		return p
	}
	out := []emulator.Partner{partner(self)}
	ids := make([]string, 0, len(known))
	for id := range known {
		if id != self {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		out = append(out, partner(id))
	}
	return out
}
