// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"fmt"
	"strings"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// AcceptBlocker says why submitting items to t would send nothing, or ""
// when a submit is due: t is the caller's own request (it says so), was already submitted
// (with these items or others), or is no longer Pending.
func AcceptBlocker(t *Transfer, items []partnercenter.SubmitLineItem) string {
	switch {
	case t.TransferDirection == partnercenter.DirectionIncoming:
		return fmt.Sprintf("transfer %s is this partner's own request (the target's side); only the source partner accepts it", t.ID)
	case t.Submitted() && t.HasItems(items):
		return fmt.Sprintf("transfer %s was already submitted with these line items (it is %s)", t.ID, t.Status)
	case t.Submitted():
		return fmt.Sprintf("transfer %s was already submitted with line items %s and is %s", t.ID, strings.Join(submittedIDs(t), ", "), t.Status)
	case t.Status != partnercenter.StatusPending:
		return fmt.Sprintf("transfer %s is %s; only a Pending request can be accepted", t.ID, t.Status)
	}
	return ""
}

// SameItems reports whether two line-item lists move the same
// subscriptions with the same product types (the rule of HasItems).
func SameItems(submitted, wanted []partnercenter.SubmitLineItem) bool {
	t := Transfer{}
	for _, it := range submitted {
		t.LineItems = append(t.LineItems, partnercenter.TransferLineItem{SubscriptionID: it.SubscriptionID, ProductType: it.ProductType})
	}
	return t.HasItems(wanted)
}

func submittedIDs(t *Transfer) []string {
	ids := make([]string, 0, len(t.LineItems))
	for _, li := range t.LineItems {
		ids = append(ids, li.SubscriptionID)
	}
	return ids
}
