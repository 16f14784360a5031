// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"net/http"

	"strings"
	"time"

	"github.com/google/uuid"
)

// Subscription statuses on the wire.
var subscriptionStatuses = []string{"active", "pending", "suspended", "expired", "disabled", "deleted"}

// normalizeSubscriptionDetails validates and defaults the fields only the
// subscriptions API shows (status, term, renewal, trial).
func normalizeSubscriptionDetails(s *Subscription) error {
	if s.Status == "" {
		s.Status = "active"
	}
	ok := false
	for _, st := range subscriptionStatuses {
		if strings.EqualFold(st, s.Status) {
			s.Status, ok = st, true
		}
	}
	if !ok {
		return fmt.Errorf("status %q is not one of %s", s.Status, strings.Join(subscriptionStatuses, ", "))
	}
	if s.TermDuration == "" {
		s.TermDuration = "P1Y"
	}
	if !strings.HasPrefix(s.TermDuration, "P") {
		return fmt.Errorf("termDuration %q is not an ISO 8601 duration such as P1M or P1Y", s.TermDuration)
	}
	if s.CommitmentEndDate != "" {
		if _, err := time.Parse(time.RFC3339, s.CommitmentEndDate); err != nil {
			return fmt.Errorf("commitmentEndDate %q is not RFC 3339 (e.g. 2026-01-13T00:00:00Z)", s.CommitmentEndDate)
		}
	}
	if s.OfferName == "" {
		s.OfferName = s.FriendlyName
	}
	return nil
}

// wireSubscription is a Subscription resource in the documented shape.
type wireSubscription struct {
	ID                   string             `json:"id"`
	OfferID              string             `json:"offerId"`
	OfferName            string             `json:"offerName"`
	FriendlyName         string             `json:"friendlyName"`
	ProductType          *wireItemType      `json:"productType,omitempty"`
	Quantity             int                `json:"quantity"`
	UnitType             string             `json:"unitType"`
	ParentSubscriptionID string             `json:"parentSubscriptionId,omitempty"`
	CommitmentEndDate    string             `json:"commitmentEndDate,omitempty"`
	Status               string             `json:"status"`
	AutoRenewEnabled     bool               `json:"autoRenewEnabled"`
	IsTrial              bool               `json:"isTrial"`
	BillingType          string             `json:"billingType"`
	BillingCycle         string             `json:"billingCycle"`
	TermDuration         string             `json:"termDuration"`
	RenewalTermDuration  string             `json:"renewalTermDuration"`
	IsMicrosoftProduct   bool               `json:"isMicrosoftProduct"`
	PublisherName        string             `json:"publisherName"`
	PartnerID            string             `json:"partnerId"`
	ContractType         string             `json:"contractType"`
	Links                map[string]wireRef `json:"links"`
	Attributes           wireAttributes     `json:"attributes"`
}

// wireItemType is the productType object {id, displayName, subType}.
type wireItemType struct {
	ID          string        `json:"id"`
	DisplayName string        `json:"displayName"`
	SubType     *wireItemType `json:"subType,omitempty"`
}

// subscriptionKind maps the seed's transfer product type to the
// subscription's productType, unitType and billingType (REFERENCE-CUSTOMERS-AUDIT.md §3.3;
// the Azure plan and reservation shapes are inferred there).
func subscriptionKind(productType string) (pt *wireItemType, unitType, billingType string) {
	azure := func(sub string) *wireItemType {
		return &wireItemType{ID: "Azure", DisplayName: "Azure", SubType: &wireItemType{ID: sub, DisplayName: sub}}
	}
	switch productType {
	case "AzureSubscription":
		return azure("Azure"), "Usage-based", "usage"
	case "AzureSavingsPlan":
		return azure("SavingsPlan"), "Benefit", "benefit"
	case "AzureReservation":
		return azure("VirtualMachines"), "Benefit", "benefit"
	default: // OnlineServicesNCE, Software, SaaS
		return &wireItemType{ID: productType, DisplayName: productType}, "Licenses", "license"
	}
}

func subscriptionWire(customerID string, st *subscriptionState) wireSubscription {
	s := st.Subscription
	pt, unit, billing := subscriptionKind(s.ProductType)
	self := "/customers/" + customerID + "/subscriptions/" + s.ID
	links := map[string]wireRef{"self": {URI: self, Method: http.MethodGet, Headers: []wireKeyValue{}}}
	if st.ParentID != "" {
		links["parentSubscription"] = wireRef{URI: "/customers/" + customerID + "/subscriptions/" + st.ParentID,
			Method: http.MethodGet, Headers: []wireKeyValue{}}
	}
	status := s.Status
	if s.TransferredTo != "" {
		status = "deleted"
	}
	return wireSubscription{
		ID: s.ID, OfferID: s.OfferID, OfferName: s.OfferName, FriendlyName: s.FriendlyName, ProductType: pt,
		Quantity: s.Quantity, UnitType: unit, ParentSubscriptionID: st.ParentID, CommitmentEndDate: s.CommitmentEndDate,
		Status: status, AutoRenewEnabled: s.AutoRenew == nil || *s.AutoRenew, IsTrial: s.IsTrial,
		BillingType: billing, BillingCycle: s.BillingCycle, TermDuration: s.TermDuration, RenewalTermDuration: "",
		IsMicrosoftProduct: true, PublisherName: "Microsoft Corporation", PartnerID: "", ContractType: "subscription",
		Links: links, Attributes: wireAttributes{ObjectType: "Subscription"},
	}
}

// visibleSubscriptionsLocked lists what partner holds of the customer: each
// base subscription followed by its add-ons, in seed order (subscriptions
// received in a transfer come after the seeded ones).
func (e *Emulator) visibleSubscriptionsLocked(c *customerState, partner string) []wireSubscription {
	showDeparted := e.customerOptsLocked().Departed == DepartedDeleted
	out := []wireSubscription{}
	for _, seeded := range c.Subscriptions {
		base := e.w.subscriptions[seeded.ID]
		for _, id := range append([]string{base.ID}, base.AddOnIDs...) {
			st := e.w.subscriptions[id]
			if st.OwnerPartnerTenantID != partner || (st.TransferredTo != "" && !showDeparted) {
				continue
			}
			out = append(out, subscriptionWire(c.ID, st))
		}
	}
	return out
}

// subscriptionSeek is the token of an (optional) paged subscription list.
type subscriptionSeek struct {
	Epoch    int64  `json:"e"`
	Customer string `json:"c"`
	Partner  string `json:"p"`
	Offset   int    `json:"o"`
}

// handleListSubscriptions is GET /v1/customers/{c}/subscriptions: the
// caller's subscriptions of a customer it has a relationship with.
func (e *Emulator) handleListSubscriptions(req *apiRequest) apiResponse {
	customerID, ok := canonicalGUID(req.params["customerId"])
	if !ok {
		return errInvalidInput("The customer id %q in the path is not a GUID.", truncate(req.params["customerId"]))
	}
	tokenText := req.r.Header.Get(continuationHeader)
	e.lock()
	defer e.unlock()
	c := e.w.customers[customerID]
	if c == nil || !c.related[req.partner] {
		return errNoRelationship(customerID)
	}
	all := e.visibleSubscriptionsLocked(c, req.partner)
	type collection struct {
		TotalCount int                `json:"totalCount"`
		Items      []wireSubscription `json:"items"`
		Links      map[string]wireRef `json:"links"`
		Attributes wireAttributes     `json:"attributes"`
	}
	self := "/customers/" + customerID + "/subscriptions"
	coll := collection{Items: all, Links: map[string]wireRef{"self": {URI: self, Method: http.MethodGet, Headers: []wireKeyValue{}}},
		Attributes: wireAttributes{ObjectType: "Collection"}}
	if size := e.customerOptsLocked().SubscriptionPageSize; size > 0 {
		seek := subscriptionSeek{Epoch: e.listEpoch, Customer: customerID, Partner: req.partner}
		if tokenText != "" {
			var t subscriptionSeek
			if !decodePageToken(tokenText, &t) || t.Epoch != seek.Epoch || t.Customer != customerID ||
				t.Partner != req.partner || t.Offset < 0 {
				return errInvalidInput("The %s header is not a valid continuation token for this list.", continuationHeader)
			}
			seek.Offset = t.Offset
		}
		start := min(seek.Offset, len(all))
		end := min(start+size, len(all))
		coll.Items = all[start:end]
		if end < len(all) {
			seek.Offset = end
			coll.Links["next"] = wireRef{URI: "/v1" + self + "?seekOperation=Next", Method: http.MethodGet,
				Headers: []wireKeyValue{{Key: continuationHeader, Value: encodePageToken(seek)}}}
		}
	}
	coll.TotalCount = len(coll.Items)
	return jsonResponse(http.StatusOK, coll)
}

// handleGetSubscription is GET /v1/customers/{c}/subscriptions/{s}.
func (e *Emulator) handleGetSubscription(req *apiRequest) apiResponse {
	customerID, ok := canonicalGUID(req.params["customerId"])
	if !ok {
		return errInvalidInput("The customer id %q in the path is not a GUID.", truncate(req.params["customerId"]))
	}
	subID, _ := canonicalGUID(req.params["subscriptionId"])
	e.lock()
	defer e.unlock()
	c := e.w.customers[customerID]
	if c == nil || !c.related[req.partner] {
		return errNoRelationship(customerID)
	}
	st := e.w.subscriptions[subID]
	if st == nil || st.CustomerID != customerID || st.OwnerPartnerTenantID != req.partner ||
		(st.TransferredTo != "" && e.customerOptsLocked().Departed != DepartedDeleted) {
		return errorResponse(http.StatusNotFound, "800002", fmt.Sprintf("Subscription %s was not found for customer %s.",
			truncate(req.params["subscriptionId"]), customerID))
	}
	return jsonResponse(http.StatusOK, subscriptionWire(customerID, st))
}

// handOverSubscriptionLocked moves one completed line's subscription to
// the target partner and returns its id there. With SubscriptionIDsNew
// (the default) the target gets a new subscription (a new id, the same
// offer, seats and term) and the source's one leaves its list; an add-on
// follows its base, which must be handed over first. With
// SubscriptionIDsSame only the owner changes. The transfer lifecycle calls
// this once per completed line.
func (e *Emulator) handOverSubscriptionLocked(subscriptionID, target string) string {
	old := e.w.subscriptions[subscriptionID]
	if old == nil {
		return subscriptionID
	}
	if e.customerOptsLocked().TransferredIDs == SubscriptionIDsSame {
		old.OwnerPartnerTenantID = target
		return subscriptionID
	}
	if old.TransferredTo != "" {
		return old.TransferredTo
	}
	moved := &subscriptionState{Subscription: old.Subscription, CustomerID: old.CustomerID}
	moved.ID = uuid.NewString()
	moved.OwnerPartnerTenantID = target
	moved.TransferredTo = ""
	moved.Status = "active"
	moved.AddOns = nil
	old.TransferredTo = moved.ID
	e.w.subscriptions[moved.ID] = moved
	c := e.w.customers[old.CustomerID]
	if old.ParentID == "" {
		seeded := moved.Subscription
		c.Subscriptions = append(c.Subscriptions, seeded)
		return moved.ID
	}
	// An add-on hangs under its base's new subscription when the base has
	// moved, else (never in this emulator) under the old base.
	parent := e.w.subscriptions[old.ParentID]
	if parent != nil && parent.TransferredTo != "" {
		parent = e.w.subscriptions[parent.TransferredTo]
	}
	if parent != nil {
		moved.ParentID = parent.ID
		parent.AddOnIDs = append(parent.AddOnIDs, moved.ID)
	}
	return moved.ID
}
