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

// State is t's status with its rules.
func (t *Transfer) State() Status { return Status(t.Status) }

// Submitted reports whether the source partner has submitted the transfer.
func (t *Transfer) Submitted() bool {
	return t != nil && t.State() != Pending && len(t.LineItems) > 0
}

// CancelBlocker says why this partner cannot cancel t, or "" when it can:
// only the target may cancel, and only a request whose status CanCancel.
func (t *Transfer) CancelBlocker() string {
	switch st := t.State(); {
	case t.Direction() == Outgoing:
		return "only the target partner that created the request can cancel it, and this is the source partner"
	case st.CanCancel():
		return ""
	case st == Canceled:
		return "it is already cancelled"
	case st == Expired:
		return "it expired (an expired request cannot be cancelled)"
	case st == InProgress:
		return "it was already submitted by the source partner and is in progress"
	default:
		return fmt.Sprintf("it is %s (only pending requests can be cancelled)", t.Status)
	}
}

// SubmitBlock says why this partner may not submit line items to a
// transfer; SubmitAllowed when it may.
type SubmitBlock int

// The reasons a submit is refused, in the order they are checked.
const (
	SubmitAllowed SubmitBlock = iota
	// SubmitNotSource: this partner is the target; only the source partner
	// submits line items.
	SubmitNotSource
	// SubmitDead: the request expired or was cancelled.
	SubmitDead
	// SubmitDone: the request was already submitted; its line items cannot
	// change.
	SubmitDone
)

func (b SubmitBlock) String() string {
	switch b {
	case SubmitNotSource:
		return "only the source partner submits line items, and this is the target partner"
	case SubmitDead:
		return "the request expired or was cancelled"
	case SubmitDone:
		return "its line items were already submitted"
	}
	return ""
}

// SubmitBlocker is the one rule of who may submit: the source partner,
// to a request whose status CanSubmit.
func (t *Transfer) SubmitBlocker() SubmitBlock {
	switch st := t.State(); {
	case t.Direction() == Incoming:
		return SubmitNotSource
	case st.Dead():
		return SubmitDead
	case !st.CanSubmit():
		return SubmitDone
	}
	return SubmitAllowed
}

// HasItems reports whether t was submitted with exactly items (see
// SameLineItems).
func (t *Transfer) HasItems(items []partnercenter.SubmitLineItem) bool {
	have := make(map[string]string, len(t.LineItems))
	for _, li := range t.LineItems {
		have[li.SubscriptionID] = li.ProductType
	}
	want := make(map[string]string, len(items))
	for _, it := range items {
		want[it.SubscriptionID] = it.ProductType
	}
	return len(have) == len(t.LineItems) && len(want) == len(items) && SameLineItems(have, want)
}

// SameLineItems reports whether two sets of line items, subscription ID to
// product type, are the same: subscription IDs (GUIDs) compared without
// case, product types without case, and a product type one side does not
// know (empty) matches any.
func SameLineItems(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	lower := make(map[string]string, len(b))
	for id, pt := range b {
		lower[strings.ToLower(id)] = pt
	}
	if len(lower) != len(b) {
		return false
	}
	for id, pt := range a {
		other, ok := lower[strings.ToLower(id)]
		if !ok || (pt != "" && other != "" && !strings.EqualFold(pt, other)) {
			return false
		}
		delete(lower, strings.ToLower(id))
	}
	return true
}

// Involves reports whether tenantID is the source or the target of t; a
// transfer that names neither (its echo left both out) is not proof
// against it.
func (t *Transfer) Involves(tenantID string) bool {
	return tenantID == "" || (t.SourcePartnerTenantID == "" && t.TargetPartnerTenantID == "") ||
		strings.EqualFold(t.SourcePartnerTenantID, tenantID) || strings.EqualFold(t.TargetPartnerTenantID, tenantID)
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
