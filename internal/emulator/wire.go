// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"slices"
	"time"
)

// The emulator is a second, independent implementation of the API: it
// never imports the provider's client (internal/partnercenter), so a wrong
// assumption in the client's types cannot hide in a matching one here. The
// types below are what the emulator sends; their member names follow
// Microsoft's documentation (REFERENCE.md §2), and WireVariants (variants.go)
// reshapes them into the other documented forms.

// Transfer statuses the emulator stores and sends (REFERENCE.md §3.4).
const (
	statusPending       = "Pending"
	statusInProgress    = "InProgress"
	statusComplete      = "Complete"
	statusExpired       = "Expired"
	statusCanceled      = "Canceled"
	statusFailed        = "Failed"
	statusCancelRequest = "Cancel" // what the target PATCHes to cancel
)

// transferType values accepted on create (REFERENCE.md §3.1).
const (
	transferTypeNewCommerce    = 3
	transferTypeNewCommerceAlt = 5
)

// transferDirection values, relative to the caller (REFERENCE.md §3.3).
const (
	directionIncoming = 1
	directionOutgoing = 2
)

// productTypes are the documented product type names, in documentation order.
var productTypes = []string{"AzureSubscription", "AzureReservation", "AzureSavingsPlan", "OnlineServicesNCE", "Software", "SaaS"}

// Transfer webhook event names (REFERENCE.md §7.2).
const (
	eventCreateTransfer   = "create-transfer"
	eventUpdateTransfer   = "update-transfer"
	eventCompleteTransfer = "complete-transfer"
	eventFailTransfer     = "fail-transfer"
)

// Participant is a .NET KeyValuePair<string,string>.
type Participant struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Link is one hypermedia link.
type Link struct {
	URI     string        `json:"uri"`
	Method  string        `json:"method"`
	Headers []Participant `json:"headers"`
}

// Links holds a resource's or collection's links.
type Links struct {
	Self *Link `json:"self,omitempty"`
	Next *Link `json:"next,omitempty"`
}

// Attributes is the service's object metadata.
type Attributes struct {
	ObjectType string `json:"objectType"`
}

// LineItem is one transfer line item as the emulator stores and sends it.
// ID is a string, as the documentation types it (WireVariants can send the
// numbers Microsoft's examples show).
type LineItem struct {
	ID                   string     `json:"id"`
	SubscriptionID       string     `json:"subscriptionId"`
	ProductType          string     `json:"productType"`
	OfferID              string     `json:"offerId,omitempty"`
	FriendlyName         string     `json:"friendlyName,omitempty"`
	Quantity             int        `json:"quantity"`
	BillingCycle         string     `json:"billingCycle,omitempty"`
	TransferGroupID      string     `json:"transferGroupId,omitempty"`
	Status               string     `json:"status,omitempty"`
	OrderID              string     `json:"orderId,omitempty"`
	TargetSubscriptionID string     `json:"targetSubscriptionId,omitempty"`
	AddonItems           []LineItem `json:"addonItems,omitempty"`
	TransferError        string     `json:"transferError,omitempty"`
	TransferErrorCode    string     `json:"transferErrorCode,omitempty"`
}

// Transfer is the server's view of a transfer for Go callers and the admin
// API (transferDirection 0, partnertenantid the target partner). It is a
// snapshot: changing it changes nothing in the emulator.
type Transfer struct {
	ID                     string        `json:"id"`
	Status                 string        `json:"status"`
	TransferType           int           `json:"transferType"`
	CustomerEmailID        string        `json:"customerEmailId"`
	CustomerName           string        `json:"customerName"`
	CustomerTenantID       string        `json:"customerTenantId"`
	PartnerTenantID        string        `json:"partnertenantid"`
	SourcePartnerName      string        `json:"sourcePartnerName"`
	SourcePartnerTenantID  string        `json:"sourcePartnerTenantId"`
	SourcePartnerEmailID   string        `json:"sourcePartnerEmailId"`
	TargetPartnerName      string        `json:"targetPartnerName"`
	TargetPartnerTenantID  string        `json:"targetPartnerTenantId"`
	TargetPartnerEmailID   string        `json:"targetPartnerEmailId"`
	TargetProductTypes     []string      `json:"targetProductTypes"`
	PartnerOnRecord        string        `json:"partnerOnRecord,omitempty"`
	Participants           []Participant `json:"participants,omitempty"`
	TransferDirection      int           `json:"transferDirection"`
	IgnoreEligibilityCheck bool          `json:"ignoreEligibilityCheck"`
	CreatedTime            *time.Time    `json:"createdTime"`
	LastModifiedTime       *time.Time    `json:"lastModifiedTime"`
	ExpirationTime         *time.Time    `json:"expirationTime"`
	CompletedTime          *time.Time    `json:"completedTime"`
	LastModifiedUser       string        `json:"lastModifiedUser"`
	LineItems              []LineItem    `json:"lineItems"`
}

// view is the server view of rec for Go callers.
func (rec *transferRecord) view() Transfer {
	at := func(t time.Time) *time.Time { return &t }
	t := Transfer{
		ID:                     rec.ID,
		Status:                 rec.Status,
		TransferType:           rec.TransferType,
		CustomerEmailID:        rec.CustomerEmailID,
		CustomerName:           rec.CustomerName,
		CustomerTenantID:       rec.CustomerTenantID,
		PartnerTenantID:        rec.TargetPartnerTenantID,
		SourcePartnerName:      rec.SourcePartnerName,
		SourcePartnerTenantID:  rec.SourcePartnerTenantID,
		SourcePartnerEmailID:   rec.SourcePartnerEmailID,
		TargetPartnerName:      rec.TargetPartnerName,
		TargetPartnerTenantID:  rec.TargetPartnerTenantID,
		TargetPartnerEmailID:   rec.TargetPartnerEmailID,
		TargetProductTypes:     slices.Clone(rec.TargetProductTypes),
		PartnerOnRecord:        rec.PartnerOnRecord,
		Participants:           slices.Clone(rec.Participants),
		IgnoreEligibilityCheck: rec.IgnoreEligibilityCheck,
		CreatedTime:            at(rec.CreatedTime),
		LastModifiedTime:       at(rec.LastModifiedTime),
		ExpirationTime:         at(rec.ExpirationTime),
		LastModifiedUser:       rec.LastModifiedUser,
		LineItems:              cloneLineItems(rec.LineItems),
	}
	if rec.CompletedTime != nil {
		t.CompletedTime = at(*rec.CompletedTime)
	}
	return t
}

// throttleBody is the 429 body, a different shape from errors (REFERENCE.md §5.4).
type throttleBody struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
}
