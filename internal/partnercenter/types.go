// SPDX-License-Identifier: MPL-2.0

// Package partnercenter is a client for the Microsoft Partner Center
// partner-to-partner transfer API. It holds wire types with the exact JSON
// names the service uses and knows nothing about Terraform.
package partnercenter

import "time"

// Transfer statuses in the one spelling the decoder gives them (other
// documented spellings are mapped in wire_decode.go). Values the public
// documentation does not pin down (the stored value after a cancel, the
// failure value) are the ones the project's emulator uses by default; see the
// emulator section of the README. The rules that follow from a status live
// in internal/transfers (Status).
const (
	StatusPending    = "Pending"
	StatusInProgress = "InProgress"
	StatusComplete   = "Complete"
	StatusExpired    = "Expired"
	StatusCanceled   = "Canceled"
	StatusFailed     = "Failed"

	// StatusCancelRequest is the value a target partner PATCHes to cancel.
	StatusCancelRequest = "Cancel"
)

// Transfer types (integers on the wire).
const (
	TransferTypeNewCommerce    = 3 // "New Commerce" on the create page, ModernAzure on the resource page
	TransferTypeNewCommerceAlt = 5 // NewCommerce on the resource page
)

// Transfer directions, relative to the calling partner.
const (
	DirectionIncoming = 1 // the caller is the target (gaining) partner
	DirectionOutgoing = 2 // the caller is the source (losing) partner
)

// Product types accepted in targetProductTypes and lineItems[].productType.
const (
	ProductAzureSubscription = "AzureSubscription"
	ProductAzureReservation  = "AzureReservation"
	ProductAzureSavingsPlan  = "AzureSavingsPlan"
	ProductOnlineServicesNCE = "OnlineServicesNCE"
	ProductSoftware          = "Software"
	ProductSaaS              = "SaaS"
)

// ProductTypes lists every known product type, in documentation order.
var ProductTypes = []string{
	ProductAzureSubscription, ProductAzureReservation, ProductAzureSavingsPlan,
	ProductOnlineServicesNCE, ProductSoftware, ProductSaaS,
}

// ParticipantTransactionReseller is the participant key an indirect provider
// uses to name the indirect reseller.
const ParticipantTransactionReseller = "TransactionReseller"

// Transfer is the TransferEntity resource. It decodes leniently (see
// wire_decode.go): member names in any case, numbers or strings, null or
// missing times and line items; statuses and product types that differ from
// the documented spelling only in letter case get the documented spelling,
// anything else is kept as sent. Server-assigned ids are never validated.
type Transfer struct {
	ID                     string             `json:"id,omitempty"`
	Status                 string             `json:"status,omitempty"`
	TransferType           int                `json:"transferType,omitempty"`
	CustomerEmailID        string             `json:"customerEmailId"`
	CustomerName           string             `json:"customerName,omitempty"`
	CustomerTenantID       string             `json:"customerTenantId,omitempty"`
	PartnerTenantID        string             `json:"partnertenantid,omitempty"` // all lower-case on the wire
	SourcePartnerName      string             `json:"sourcePartnerName,omitempty"`
	SourcePartnerTenantID  string             `json:"sourcePartnerTenantId,omitempty"`
	SourcePartnerEmailID   string             `json:"sourcePartnerEmailId,omitempty"`
	TargetPartnerName      string             `json:"targetPartnerName,omitempty"`
	TargetPartnerTenantID  string             `json:"targetPartnerTenantId,omitempty"`
	TargetPartnerEmailID   string             `json:"targetPartnerEmailId,omitempty"`
	TargetProductTypes     []string           `json:"targetProductTypes,omitempty"`
	PartnerOnRecord        string             `json:"partnerOnRecord,omitempty"`
	Participants           []Participant      `json:"participants,omitempty"`
	TransferDirection      int                `json:"transferDirection,omitempty"`
	IgnoreEligibilityCheck bool               `json:"ignoreEligibilityCheck"`
	AlternateID            string             `json:"alternateId,omitempty"`
	CreatedTime            *time.Time         `json:"createdTime,omitempty"`
	LastModifiedTime       *time.Time         `json:"lastModifiedTime,omitempty"`
	CompletedTime          *time.Time         `json:"completedTime"`
	ExpirationTime         *time.Time         `json:"expirationTime"`
	LastModifiedUser       string             `json:"lastModifiedUser,omitempty"`
	LineItems              []TransferLineItem `json:"lineItems"`
	Links                  *Links             `json:"links,omitempty"`
	Attributes             *Attributes        `json:"attributes,omitempty"`
}

// TransferLineItem is one item (subscription, reservation, savings plan) in a
// transfer. Only SubscriptionID and ProductType are sent by the source
// partner; the rest is filled in by the service. ProductType holds a
// documented name (ProductTypes) or, when the service sends a number whose
// meaning no page documents, that number as text ("5").
type TransferLineItem struct {
	// ID is a string in the documentation and an integer in examples; the
	// client accepts both (see FlexString).
	ID                FlexString `json:"id,omitempty"`
	SubscriptionID    string     `json:"subscriptionId"`
	ProductType       string     `json:"productType,omitempty"`
	OfferID           string     `json:"offerId,omitempty"`
	FriendlyName      string     `json:"friendlyName,omitempty"`
	Quantity          int        `json:"quantity,omitempty"`
	BillingCycle      string     `json:"billingCycle,omitempty"`
	PartnerIDOnRecord string     `json:"partnerIdOnRecord,omitempty"`
	TransferGroupID   string     `json:"transferGroupId,omitempty"`
	Status            string     `json:"status,omitempty"`
	OrderID           string     `json:"orderId,omitempty"`
	// TargetSubscriptionID is the subscription id at the target partner
	// after completion. Not documented for new commerce; the emulator
	// fills it, the real service may leave it empty.
	TargetSubscriptionID string             `json:"targetSubscriptionId,omitempty"`
	AddonItems           []TransferLineItem `json:"addonItems,omitempty"`
	TransferError        string             `json:"transferError,omitempty"`
	// TransferErrorCode carries the service's error code for a failed line
	// (emulator extension; empty when the service gives only text).
	TransferErrorCode string `json:"transferErrorCode,omitempty"`
}

// Participant is a .NET KeyValuePair<string,string>. The service's
// serializer writes Key/Value; the emulator accepts any casing.
type Participant struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Links holds hypermedia links of a resource or collection.
type Links struct {
	Self *Link `json:"self,omitempty"`
	Next *Link `json:"next,omitempty"`
}

// Link is one hypermedia link.
type Link struct {
	URI     string        `json:"uri"`
	Method  string        `json:"method"`
	Headers []Participant `json:"headers"`
}

// Attributes is the service's object metadata.
type Attributes struct {
	ObjectType string `json:"objectType,omitempty"`
	Etag       string `json:"etag,omitempty"`
}

// TransferCollection is the paged collection shape of list responses. The
// list endpoint may also answer with a bare JSON array; the client accepts
// both.
type TransferCollection struct {
	TotalCount int         `json:"totalCount"`
	Items      []Transfer  `json:"items"`
	Links      *Links      `json:"links,omitempty"`
	Attributes *Attributes `json:"attributes,omitempty"`
}

// CreateTransferRequest is the body of POST /v1/customers/{id}/transfers.
type CreateTransferRequest struct {
	SourcePartnerTenantID string        `json:"sourcePartnerTenantId"`
	SourcePartnerName     string        `json:"sourcePartnerName,omitempty"`
	CustomerEmailID       string        `json:"customerEmailId"`
	CustomerName          string        `json:"customerName,omitempty"`
	TargetPartnerTenantID string        `json:"targetPartnerTenantId,omitempty"`
	TargetPartnerEmailID  string        `json:"targetPartnerEmailId,omitempty"`
	TargetProductTypes    []string      `json:"targetProductTypes,omitempty"`
	PartnerOnRecord       string        `json:"partnerOnRecord,omitempty"`
	Participants          []Participant `json:"participants,omitempty"`
	TransferType          int           `json:"transferType"`
}

// SubmitTransferRequest is the source partner's PATCH body that accepts a
// transfer with the items to move.
type SubmitTransferRequest struct {
	ID        string           `json:"id"`
	LineItems []SubmitLineItem `json:"lineItems"`
}

// SubmitLineItem is one item the source partner selects.
type SubmitLineItem struct {
	ID             string `json:"id,omitempty"`
	SubscriptionID string `json:"subscriptionId"`
	ProductType    string `json:"productType"`
}

// CancelTransferRequest is the target partner's PATCH body that cancels a
// pending transfer.
type CancelTransferRequest struct {
	ID                    string `json:"id"`
	Status                string `json:"status"`
	TargetPartnerTenantID string `json:"targetPartnerTenantId,omitempty"`
	SourcePartnerTenantID string `json:"sourcePartnerTenantId,omitempty"`
	CustomerName          string `json:"customerName,omitempty"`
}

// ErrorBody is Partner Center's error JSON.
type ErrorBody struct {
	Code        FlexString `json:"code"`
	Description string     `json:"description"`
	Data        []any      `json:"data,omitempty"`
	Source      string     `json:"source"`
}

// ThrottleBody is the different body of a 429 response.
type ThrottleBody struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
}

// WebhookRegistration is the webhook registration resource (PascalCase on
// the wire, unlike the transfer API).
type WebhookRegistration struct {
	SubscriberID  string   `json:"SubscriberId,omitempty"`
	WebhookURL    string   `json:"WebhookUrl"`
	WebhookEvents []string `json:"WebhookEvents"`
}

// WebhookEvent is the envelope Partner Center POSTs to a registered URL.
type WebhookEvent struct {
	EventName             string `json:"EventName"`
	ResourceURI           string `json:"ResourceUri"`
	ResourceName          string `json:"ResourceName"`
	AuditURI              string `json:"AuditUri"`
	ResourceChangeUtcDate string `json:"ResourceChangeUtcDate"`
}

// Transfer webhook event names.
const (
	EventCreateTransfer   = "create-transfer"
	EventUpdateTransfer   = "update-transfer"
	EventCompleteTransfer = "complete-transfer"
	EventFailTransfer     = "fail-transfer"
)

// TransferEvents lists the transfer event names.
var TransferEvents = []string{EventCreateTransfer, EventUpdateTransfer, EventCompleteTransfer, EventFailTransfer}
