// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// Lenient decoding of the TransferEntity. Microsoft's pages contradict each
// other on the wire shape (internal/emulator/REFERENCE.md §9.1): numbers where strings are
// documented, PascalCase member names from .NET serializers, null or missing
// times and collections. A refresh that fails to decode leaves the user with
// a transfer Terraform cannot read at all, so the client accepts every
// documented shape and never rejects a value it does not need to interpret.
// Member names match in any letter case (encoding/json does that already).

// transferShape mirrors Transfer with tolerant field types.
type transferShape struct {
	ID                     FlexString         `json:"id"`
	Status                 FlexString         `json:"status"`
	TransferType           flexInt            `json:"transferType"`
	CustomerEmailID        FlexString         `json:"customerEmailId"`
	CustomerName           FlexString         `json:"customerName"`
	CustomerTenantID       FlexString         `json:"customerTenantId"`
	PartnerTenantID        FlexString         `json:"partnertenantid"`
	SourcePartnerName      FlexString         `json:"sourcePartnerName"`
	SourcePartnerTenantID  FlexString         `json:"sourcePartnerTenantId"`
	SourcePartnerEmailID   FlexString         `json:"sourcePartnerEmailId"`
	TargetPartnerName      FlexString         `json:"targetPartnerName"`
	TargetPartnerTenantID  FlexString         `json:"targetPartnerTenantId"`
	TargetPartnerEmailID   FlexString         `json:"targetPartnerEmailId"`
	TargetProductTypes     []FlexString       `json:"targetProductTypes"`
	PartnerOnRecord        FlexString         `json:"partnerOnRecord"`
	Participants           []Participant      `json:"participants"`
	TransferDirection      flexInt            `json:"transferDirection"`
	IgnoreEligibilityCheck flexBool           `json:"ignoreEligibilityCheck"`
	AlternateID            FlexString         `json:"alternateId"`
	CreatedTime            flexTime           `json:"createdTime"`
	LastModifiedTime       flexTime           `json:"lastModifiedTime"`
	CompletedTime          flexTime           `json:"completedTime"`
	ExpirationTime         flexTime           `json:"expirationTime"`
	LastModifiedUser       FlexString         `json:"lastModifiedUser"`
	LineItems              []TransferLineItem `json:"lineItems"`
	Links                  *Links             `json:"links"`
	Attributes             *Attributes        `json:"attributes"`
}

// Names .NET's string enum converter would write for the integer enums.
var (
	transferTypeNames = map[string]int{"modernazure": TransferTypeNewCommerce, "newcommerce": TransferTypeNewCommerceAlt}
	directionNames    = map[string]int{"incoming": DirectionIncoming, "outgoing": DirectionOutgoing}
)

// UnmarshalJSON decodes every documented TransferEntity shape.
func (t *Transfer) UnmarshalJSON(b []byte) error {
	var s transferShape
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*t = Transfer{
		ID:                     string(s.ID),
		Status:                 canonicalStatus(string(s.Status)),
		TransferType:           s.TransferType.resolve(transferTypeNames),
		CustomerEmailID:        string(s.CustomerEmailID),
		CustomerName:           string(s.CustomerName),
		CustomerTenantID:       string(s.CustomerTenantID),
		PartnerTenantID:        string(s.PartnerTenantID),
		SourcePartnerName:      string(s.SourcePartnerName),
		SourcePartnerTenantID:  string(s.SourcePartnerTenantID),
		SourcePartnerEmailID:   string(s.SourcePartnerEmailID),
		TargetPartnerName:      string(s.TargetPartnerName),
		TargetPartnerTenantID:  string(s.TargetPartnerTenantID),
		TargetPartnerEmailID:   string(s.TargetPartnerEmailID),
		PartnerOnRecord:        string(s.PartnerOnRecord),
		Participants:           s.Participants,
		TransferDirection:      s.TransferDirection.resolve(directionNames),
		IgnoreEligibilityCheck: bool(s.IgnoreEligibilityCheck),
		AlternateID:            string(s.AlternateID),
		CreatedTime:            s.CreatedTime.t,
		LastModifiedTime:       s.LastModifiedTime.t,
		CompletedTime:          s.CompletedTime.t,
		ExpirationTime:         s.ExpirationTime.t,
		LastModifiedUser:       string(s.LastModifiedUser),
		LineItems:              s.LineItems,
		Links:                  s.Links,
		Attributes:             s.Attributes,
	}
	if s.TargetProductTypes != nil {
		t.TargetProductTypes = make([]string, len(s.TargetProductTypes))
		for i, v := range s.TargetProductTypes {
			t.TargetProductTypes[i] = string(v)
		}
	}
	return nil
}

// lineItemShape mirrors TransferLineItem with tolerant field types.
type lineItemShape struct {
	ID                   FlexString         `json:"id"`
	SubscriptionID       FlexString         `json:"subscriptionId"`
	ProductType          FlexString         `json:"productType"`
	OfferID              FlexString         `json:"offerId"`
	FriendlyName         FlexString         `json:"friendlyName"`
	Quantity             flexInt            `json:"quantity"`
	BillingCycle         flexText           `json:"billingCycle"`
	PartnerIDOnRecord    FlexString         `json:"partnerIdOnRecord"`
	TransferGroupID      FlexString         `json:"transferGroupId"`
	Status               FlexString         `json:"status"`
	OrderID              FlexString         `json:"orderId"`
	TargetSubscriptionID FlexString         `json:"targetSubscriptionId"`
	AddonItems           []TransferLineItem `json:"addonItems"`
	TransferError        FlexString         `json:"transferError"`
	TransferErrorCode    FlexString         `json:"transferErrorCode"`
}

// UnmarshalJSON decodes every documented TransferLineItem shape. A
// productType sent as a number (Microsoft's get-transfer example has
// "productType": 5, and no page documents what the numbers mean) is kept
// as its decimal text, "5".
func (li *TransferLineItem) UnmarshalJSON(b []byte) error {
	var s lineItemShape
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*li = TransferLineItem{
		ID:                   s.ID,
		SubscriptionID:       string(s.SubscriptionID),
		ProductType:          canonicalProductType(string(s.ProductType)),
		OfferID:              string(s.OfferID),
		FriendlyName:         string(s.FriendlyName),
		Quantity:             s.Quantity.resolve(nil),
		BillingCycle:         string(s.BillingCycle),
		PartnerIDOnRecord:    string(s.PartnerIDOnRecord),
		TransferGroupID:      string(s.TransferGroupID),
		Status:               canonicalStatus(string(s.Status)),
		OrderID:              string(s.OrderID),
		TargetSubscriptionID: string(s.TargetSubscriptionID),
		AddonItems:           s.AddonItems,
		TransferError:        string(s.TransferError),
		TransferErrorCode:    string(s.TransferErrorCode),
	}
	return nil
}

// UnmarshalJSON accepts key/value in any casing and as any scalar type.
func (p *Participant) UnmarshalJSON(b []byte) error {
	var s struct {
		Key   FlexString `json:"key"`
		Value FlexString `json:"value"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*p = Participant{Key: string(s.Key), Value: string(s.Value)}
	return nil
}

// statusSpellings maps every documented spelling of a status, in lower
// case, to the one form the rest of the provider uses: the TransferEntity
// page writes "Completed" for Complete (internal/emulator/REFERENCE.md §9.1 item 4), a server
// may store the British "Cancelled" or the PATCHed "Cancel" after a cancel.
var statusSpellings = map[string]string{
	"pending": StatusPending, "inprogress": StatusInProgress, "failed": StatusFailed, "expired": StatusExpired,
	"complete": StatusComplete, "completed": StatusComplete,
	"canceled": StatusCanceled, "cancelled": StatusCanceled, "cancel": StatusCanceled,
}

// canonicalStatus gives a status its one spelling (see statusSpellings),
// so nothing after decoding compares spellings; an unknown value is kept
// exactly as sent.
func canonicalStatus(s string) string {
	if known, ok := statusSpellings[strings.ToLower(strings.TrimSpace(s))]; ok {
		return known
	}
	return s
}

// canonicalProductType gives a product type the documented spelling when it
// differs only in letter case; numbers and unknown names are kept as sent.
func canonicalProductType(s string) string {
	for _, known := range ProductTypes {
		if strings.EqualFold(s, known) {
			return known
		}
	}
	return s
}

// flexInt is an integer sent as a JSON number, a numeric string, an enum
// name or null.
type flexInt struct {
	n    int
	name string
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*f = flexInt{}
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return nil
	}
	text := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
		text = strings.TrimSpace(text)
	}
	if v, err := strconv.ParseFloat(text, 64); err == nil {
		if v == math.Trunc(v) && math.Abs(v) <= math.MaxInt32 {
			f.n = int(v)
		}
		return nil
	}
	f.name = strings.ToLower(text)
	return nil
}

// resolve returns the number, or the value of an enum name (0 when
// unknown: the provider then shows nothing rather than failing the read).
func (f flexInt) resolve(names map[string]int) int {
	if f.name != "" {
		return names[f.name]
	}
	return f.n
}

// flexBool is a boolean sent as true/false, "true"/"false", 0/1 or null.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	text := strings.Trim(strings.TrimSpace(string(b)), `"`)
	v, err := strconv.ParseBool(strings.ToLower(text))
	*f = flexBool(err == nil && v)
	return nil
}

// flexTime is a date-time that may be null, missing, empty, .NET's
// DateTime.MinValue, or written without a zone (taken as UTC, which is what
// Partner Center stores). A value in no known layout is treated as absent:
// times are informational and must not make a transfer unreadable.
type flexTime struct{ t *time.Time }

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.9999999",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"1/2/2006 3:04:05 PM",
}

func (f *flexTime) UnmarshalJSON(b []byte) error {
	f.t = nil
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '"' {
		return nil // null or a non-string: no time
	}
	var text string
	if err := json.Unmarshal(b, &text); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	for _, layout := range timeLayouts {
		at, err := time.Parse(layout, text)
		if err != nil {
			continue
		}
		if at.Year() <= 1 { // DateTime.MinValue stands for "not set"
			return nil
		}
		f.t = &at
		return nil
	}
	return nil
}
