// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"fmt"
	"strings"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// AcceptBlocker says why the source partner need not or cannot submit
// items to t, or "" when a submit is due (SubmitBlocker's rule, with the
// items): t was already submitted with these items (an earlier apply was
// killed before it saved its state; Submit's reconcile records it without
// a second submission), or with others, or may not be submitted at all.
func AcceptBlocker(t *Transfer, items []partnercenter.SubmitLineItem) string {
	switch b := t.SubmitBlocker(); {
	case b == SubmitAllowed:
		return ""
	case b == SubmitDone && t.HasItems(items):
		return fmt.Sprintf("transfer %s was already submitted with these line items (it is %s)", t.ID, t.Status)
	case b == SubmitDone:
		return fmt.Sprintf("transfer %s was already submitted with line items %s and is %s", t.ID, strings.Join(submittedIDs(t), ", "), t.Status)
	default:
		return fmt.Sprintf("transfer %s cannot be accepted: %s", t.ID, b)
	}
}

func submittedIDs(t *Transfer) []string {
	ids := make([]string, 0, len(t.LineItems))
	for _, li := range t.LineItems {
		ids = append(ids, li.SubscriptionID)
	}
	return ids
}
