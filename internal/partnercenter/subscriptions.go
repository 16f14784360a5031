// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"strings"
)

// Subscription statuses (lower snake case on the wire).
const (
	SubscriptionActive    = "active"
	SubscriptionPending   = "pending"
	SubscriptionSuspended = "suspended"
	SubscriptionExpired   = "expired"
	SubscriptionDisabled  = "disabled"
	SubscriptionDeleted   = "deleted"
)

// Subscription is one item of GET /v1/customers/{c}/subscriptions: the
// fields a source partner needs to choose what to transfer. Dates stay the
// strings the service sent (it mixes 0 and 7 fractional digits).
type Subscription struct {
	ID                   string            `json:"id"`
	EntitlementID        string            `json:"entitlementId,omitempty"`
	OfferID              string            `json:"offerId,omitempty"`
	OfferName            string            `json:"offerName,omitempty"`
	FriendlyName         string            `json:"friendlyName,omitempty"`
	ProductType          *SubscriptionType `json:"productType,omitempty"`
	Quantity             int64             `json:"quantity"`
	UnitType             string            `json:"unitType,omitempty"`
	ParentSubscriptionID string            `json:"parentSubscriptionId,omitempty"`
	CreationDate         string            `json:"creationDate,omitempty"`
	EffectiveStartDate   string            `json:"effectiveStartDate,omitempty"`
	CommitmentEndDate    string            `json:"commitmentEndDate,omitempty"`
	Status               string            `json:"status,omitempty"`
	AutoRenewEnabled     bool              `json:"autoRenewEnabled"`
	BillingType          string            `json:"billingType,omitempty"`
	BillingCycle         string            `json:"billingCycle,omitempty"`
	TermDuration         string            `json:"termDuration,omitempty"`
	IsTrial              bool              `json:"isTrial"`
	PartnerID            string            `json:"partnerId,omitempty"`
	OrderID              string            `json:"orderId,omitempty"`
}

// SubscriptionType is a subscription's productType object ({id,
// displayName, subType}).
type SubscriptionType struct {
	ID          string            `json:"id"`
	DisplayName string            `json:"displayName,omitempty"`
	SubType     *SubscriptionType `json:"subType,omitempty"`
}

// TransferProductType maps the subscription's productType to the transfer
// line-item vocabulary: OnlineServicesNCE as is; Azure with subType Azure
// is an Azure plan (AzureSubscription), SavingsPlan an AzureSavingsPlan,
// any other Azure subType a reservation; Software and SaaS as is. Only
// OnlineServicesNCE is the same word in both vocabularies; the rest is the inference of
// internal/emulator/REFERENCE-CUSTOMERS-AUDIT.md §3.3. "" means legacy (no productType) or unknown:
// not transferable with the new-commerce API.
func (s Subscription) TransferProductType() string {
	if s.ProductType == nil {
		return ""
	}
	id := strings.TrimSpace(s.ProductType.ID)
	switch {
	case strings.EqualFold(id, ProductOnlineServicesNCE):
		return ProductOnlineServicesNCE
	case strings.EqualFold(id, ProductSoftware):
		return ProductSoftware
	case strings.EqualFold(id, ProductSaaS):
		return ProductSaaS
	case strings.EqualFold(id, "Azure"):
		sub := ""
		if s.ProductType.SubType != nil {
			sub = strings.TrimSpace(s.ProductType.SubType.ID)
		}
		switch {
		case sub == "" || strings.EqualFold(sub, "Azure"):
			return ProductAzureSubscription
		case strings.EqualFold(sub, "SavingsPlan"):
			return ProductAzureSavingsPlan
		default:
			return ProductAzureReservation
		}
	}
	// A transfer-vocabulary id (as some tools write it) maps to itself.
	for _, pt := range ProductTypes {
		if strings.EqualFold(pt, id) {
			return pt
		}
	}
	return ""
}

// IsAddOn reports whether the subscription is an add-on of another.
func (s Subscription) IsAddOn() bool { return strings.TrimSpace(s.ParentSubscriptionID) != "" }

// ListSubscriptions streams every subscription of the customer that the
// calling partner holds, add-ons included: GET
// /v1/customers/{customerID}/subscriptions. The service documents no
// paging for this list; continuation links are followed anyway, should it
// send them.
func (c *Client) ListSubscriptions(ctx context.Context, customerID string, each func(Subscription) error) error {
	if err := checkPathID("customer ID", customerID); err != nil {
		return err
	}
	u := c.endpointURL(apiVersionSegment, "customers", customerID, "subscriptions")
	return streamCollection(ctx, c, u, "subscription list", each)
}
