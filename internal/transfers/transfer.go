// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"fmt"
	"strings"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// Direction says which side of a transfer the calling partner is.
type Direction string

const (
	// Incoming means the caller is the target (gaining) partner, which created
	// the request and alone may cancel it.
	Incoming Direction = "incoming"
	// Outgoing means the caller is the source (losing) partner, which alone may
	// submit line items.
	Outgoing Direction = "outgoing"
)

// Transfer is a transfer as the lifecycle sees it: the service's record
// plus the rules that follow from its direction and status.
type Transfer struct {
	partnercenter.Transfer
}

// Wrap turns the client's record into a Transfer; nil stays nil.
func Wrap(t *partnercenter.Transfer) *Transfer {
	if t == nil {
		return nil
	}
	return &Transfer{Transfer: *t}
}

// Direction is the caller's side; the service's transferDirection decides
// (Partner Center computes it per caller), incoming when it gives none.
func (t *Transfer) Direction() Direction {
	if t.TransferDirection == partnercenter.DirectionOutgoing {
		return Outgoing
	}
	return Incoming
}

// Final reports a status Partner Center never changes again: Complete,
// Expired, Canceled (or Cancelled). Failed is not final: line-item
// failures are retried by Partner Center until they succeed.
func Final(status string) bool {
	return status == partnercenter.StatusComplete || status == partnercenter.StatusExpired || partnercenter.IsCanceled(status)
}

// WaitEnds reports a status that ends a wait for completion: a final one,
// or a Failed transfer.
func WaitEnds(status string) bool { return partnercenter.IsTerminal(status) }

// Submitted reports whether the source partner has submitted the transfer.
func (t *Transfer) Submitted() bool {
	return t != nil && t.Status != partnercenter.StatusPending && len(t.LineItems) > 0
}

// CancelBlocker says why this partner cannot cancel t, or "" when it can:
// only the target may cancel, and only a Pending request.
func (t *Transfer) CancelBlocker() string {
	switch {
	case t.Direction() == Outgoing:
		return "only the target partner that created the request can cancel it, and this is the source partner"
	case t.Status == partnercenter.StatusPending:
		return ""
	case partnercenter.IsCanceled(t.Status):
		return "it is already cancelled"
	case t.Status == partnercenter.StatusExpired:
		return "it expired (an expired request cannot be cancelled)"
	case t.Status == partnercenter.StatusInProgress:
		return "it was already submitted by the source partner and is in progress"
	default:
		return fmt.Sprintf("it is %s (only pending requests can be cancelled)", t.Status)
	}
}

// SubmitBlocker says why this partner cannot submit t, or "" when it can:
// only the source may submit, and only a Pending request.
func (t *Transfer) SubmitBlocker() string {
	switch {
	case t.Direction() == Incoming:
		return "only the source partner submits line items, and this is the target partner"
	case t.Status != partnercenter.StatusPending:
		return fmt.Sprintf("it is %s (only pending requests can be submitted)", t.Status)
	default:
		return ""
	}
}

// HasItems reports whether t was submitted with exactly items (subscription
// IDs compared without case, product types exactly).
func (t *Transfer) HasItems(items []partnercenter.SubmitLineItem) bool {
	if len(t.LineItems) != len(items) {
		return false
	}
	want := map[string]string{}
	for _, it := range items {
		want[strings.ToLower(it.SubscriptionID)] = it.ProductType
	}
	for _, li := range t.LineItems {
		pt, ok := want[strings.ToLower(li.SubscriptionID)]
		if !ok || (li.ProductType != "" && pt != "" && !strings.EqualFold(li.ProductType, pt)) {
			return false
		}
	}
	return true
}

// Involves reports whether tenantID is the source or the target of t.
func (t *Transfer) Involves(tenantID string) bool {
	return tenantID == "" || strings.EqualFold(t.SourcePartnerTenantID, tenantID) || strings.EqualFold(t.TargetPartnerTenantID, tenantID)
}

// CancelRequest is the body that cancels t.
func (t *Transfer) CancelRequest() partnercenter.CancelTransferRequest {
	return partnercenter.CancelTransferRequest{
		ID:                    t.ID,
		TargetPartnerTenantID: t.TargetPartnerTenantID,
		SourcePartnerTenantID: t.SourcePartnerTenantID,
		CustomerName:          t.CustomerName,
	}
}

// matches reports whether t is a request made from req. The source
// partner's tenant must be equal (without case); every other input must be
// equal or echoed emptier: Microsoft's documented answers echo
// `"customerEmailId": ""`, and one page stores the target's tenant ID in
// targetPartnerEmailId (internal/emulator README, wire variants).
func matches(t *partnercenter.Transfer, req partnercenter.CreateTransferRequest) bool {
	return strings.EqualFold(t.SourcePartnerTenantID, req.SourcePartnerTenantID) &&
		echoes(req.CustomerEmailID, t.CustomerEmailID) &&
		echoes(req.SourcePartnerName, t.SourcePartnerName) &&
		(echoes(req.TargetPartnerEmailID, t.TargetPartnerEmailID) || strings.EqualFold(t.TargetPartnerEmailID, t.TargetPartnerTenantID)) &&
		echoes(req.PartnerOnRecord, t.PartnerOnRecord)
}

// echoes reports whether echoed is what the service answers for sent: the
// same text without case or surrounding space, or nothing.
func echoes(sent, echoed string) bool {
	echoed = strings.TrimSpace(echoed)
	return echoed == "" || strings.EqualFold(strings.TrimSpace(sent), echoed)
}
