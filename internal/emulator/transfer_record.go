// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"slices"
	"time"
)

// transferRecord is the server's copy of a transfer. Exported fields make up
// the state file; direction and partnertenantid are computed per caller.
type transferRecord struct {
	Seq                    int64         `json:"seq"`
	ID                     string        `json:"id"`
	CustomerTenantID       string        `json:"customerTenantId"`
	Status                 string        `json:"status"`
	TransferType           int           `json:"transferType"`
	CustomerEmailID        string        `json:"customerEmailId"`
	CustomerName           string        `json:"customerName"`
	SourcePartnerTenantID  string        `json:"sourcePartnerTenantId"`
	SourcePartnerName      string        `json:"sourcePartnerName"`
	SourcePartnerEmailID   string        `json:"sourcePartnerEmailId"`
	TargetPartnerTenantID  string        `json:"targetPartnerTenantId"`
	TargetPartnerName      string        `json:"targetPartnerName"`
	TargetPartnerEmailID   string        `json:"targetPartnerEmailId"`
	TargetProductTypes     []string      `json:"targetProductTypes"`
	PartnerOnRecord        string        `json:"partnerOnRecord,omitempty"`
	Participants           []Participant `json:"participants,omitempty"`
	IgnoreEligibilityCheck bool          `json:"ignoreEligibilityCheck"`
	CreatedTime            time.Time     `json:"createdTime"`
	LastModifiedTime       time.Time     `json:"lastModifiedTime"`
	ExpirationTime         time.Time     `json:"expirationTime"`
	CompletedTime          *time.Time    `json:"completedTime"`
	LastModifiedUser       string        `json:"lastModifiedUser"`
	LineItems              []LineItem    `json:"lineItems"`
	// CompletionDelay overrides the emulator-wide delay for this transfer.
	CompletionDelay *time.Duration `json:"completionDelay,omitempty"`
	SubmittedTime   time.Time      `json:"submittedTime"`
	CompleteAt      time.Time      `json:"completeAt"`
	// deadlineGen invalidates heap entries when a deadline moves.
	deadlineGen int
}

// Wire time formats: createdTime carries .NET's seven fractional digits, the
// other timestamps are whole seconds, as in Microsoft's examples.
const (
	createdTimeLayout = "2006-01-02T15:04:05.0000000Z"
	otherTimeLayout   = "2006-01-02T15:04:05Z"
)

// wireTransfer is the exact TransferEntity JSON the emulator sends. It is
// separate from Transfer (the client's decoding type) so the
// emulator controls presence, nulls and time formats; a test checks that the
// two agree.
type wireTransfer struct {
	ID                     string        `json:"id"`
	Status                 string        `json:"status"`
	TransferType           int           `json:"transferType"`
	CustomerEmailID        string        `json:"customerEmailId"`
	CreatedTime            string        `json:"createdTime"`
	LastModifiedTime       string        `json:"lastModifiedTime"`
	ExpirationTime         *string       `json:"expirationTime"`
	CompletedTime          *string       `json:"completedTime"`
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
	LastModifiedUser       string        `json:"lastModifiedUser"`
	LineItems              []LineItem    `json:"lineItems"`
	Links                  Links         `json:"links"`
	Attributes             Attributes    `json:"attributes"`
}

// selfLink is the entity's own link; like Microsoft's, it has no /v1 prefix.
func transferSelfLink(customerID, transferID string) *Link {
	return &Link{
		URI:     "/customers/" + customerID + "/transfers/" + transferID,
		Method:  "GET",
		Headers: []Participant{},
	}
}

// wire renders rec as seen by viewer. An empty viewer is the server's own
// view: direction 0 and partnertenantid the creating (target) partner.
func (rec *transferRecord) wire(viewer string) wireTransfer {
	formatPtr := func(t time.Time) *string {
		s := t.UTC().Format(otherTimeLayout)
		return &s
	}
	wt := wireTransfer{
		ID:                     rec.ID,
		Status:                 rec.Status,
		TransferType:           rec.TransferType,
		CustomerEmailID:        rec.CustomerEmailID,
		CreatedTime:            rec.CreatedTime.UTC().Format(createdTimeLayout),
		LastModifiedTime:       rec.LastModifiedTime.UTC().Format(otherTimeLayout),
		ExpirationTime:         formatPtr(rec.ExpirationTime),
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
		LastModifiedUser:       rec.LastModifiedUser,
		LineItems:              cloneLineItems(rec.LineItems),
		Links:                  Links{Self: transferSelfLink(rec.CustomerTenantID, rec.ID)},
		Attributes:             Attributes{ObjectType: "TransferEntity"},
	}
	if rec.CompletedTime != nil {
		wt.CompletedTime = formatPtr(*rec.CompletedTime)
	}
	switch viewer {
	case "":
	case rec.TargetPartnerTenantID:
		wt.TransferDirection = directionIncoming
		wt.PartnerTenantID = viewer
	case rec.SourcePartnerTenantID:
		wt.TransferDirection = directionOutgoing
		wt.PartnerTenantID = viewer
	}
	return wt
}

func cloneLineItems(items []LineItem) []LineItem {
	out := make([]LineItem, len(items))
	for i, li := range items {
		li.AddonItems = cloneLineItems(li.AddonItems)
		if len(li.AddonItems) == 0 {
			li.AddonItems = nil
		}
		out[i] = li
	}
	return out
}

// visibleTo reports whether partner is a party to the transfer.
func (rec *transferRecord) visibleTo(partner string) bool {
	return partner == rec.SourcePartnerTenantID || partner == rec.TargetPartnerTenantID
}

// subscriptionIDs lists every subscription the transfer moves, add-ons included.
func (rec *transferRecord) subscriptionIDs() []string {
	var ids []string
	for _, li := range rec.LineItems {
		ids = append(ids, li.SubscriptionID)
		for _, a := range li.AddonItems {
			ids = append(ids, a.SubscriptionID)
		}
	}
	return ids
}
