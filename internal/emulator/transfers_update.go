// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// submitStatuses are the status values accepted alongside lineItems: none,
// or one that plausibly means "accept" (clients echo entities back).
var submitStatuses = []string{"", "Pending", "InProgress", "Accept", "Accepted"}

// patchRouteName names a PATCH "cancel" or "submit" from its body.
func patchRouteName(body []byte) string {
	var b struct {
		Status *string `json:"status"`
	}
	if json.Unmarshal(body, &b) == nil && isCancelRequest(deref(b.Status)) {
		return RouteCancel
	}
	return RouteSubmit
}

func isCancelRequest(status string) bool {
	return strings.EqualFold(strings.TrimSpace(status), statusCancelRequest)
}

// submitItem is a validated line of a submit.
type submitItem struct {
	subscriptionID string
	productType    string
}

// handlePatch is PATCH /v1/customers/{c}/transfers/{t}: the source submits
// (accepts) with lineItems, or the target cancels with status "Cancel".
func (e *Emulator) handlePatch(req *apiRequest) apiResponse {
	customerID, transferID, bad := pathIDs(req)
	if bad != nil {
		return *bad
	}
	var b patchBody
	if err := decodeBody(req.body, &b); err != nil {
		return errInvalidInput("%s.", err)
	}
	if refused := e.refuseUnknownProperties(req.body); refused != nil {
		return *refused
	}
	if id := strings.TrimSpace(deref(b.ID)); id != "" {
		if c, ok := canonicalGUID(id); !ok || c != transferID {
			return errInvalidInput("The id %q in the body does not match the transfer id %s in the path.", truncate(id), transferID)
		}
	}
	status := strings.TrimSpace(deref(b.Status))
	cancel := isCancelRequest(status)
	var items []submitItem
	switch {
	case cancel && len(b.LineItems) > 0:
		return errInvalidInput("Send either lineItems (the source partner submits) or status %q (the target partner cancels), not both.", statusCancelRequest)
	case !cancel && len(b.LineItems) == 0 && status != "":
		return errInvalidInput("status %q is not a valid update; the target partner cancels with status %q.", truncate(status), statusCancelRequest)
	case !cancel && len(b.LineItems) == 0:
		return errInvalidInput("lineItems are required to submit a transfer (or status %q to cancel it).", statusCancelRequest)
	case !cancel && !slices.ContainsFunc(submitStatuses, func(s string) bool { return strings.EqualFold(s, status) }):
		return errInvalidInput("status %q can't be sent with lineItems; omit it or send %q.", truncate(status), statusInProgress)
	case !cancel:
		var problems []string
		items, problems = validateLineItems(b.LineItems)
		if len(problems) > 0 {
			return errInvalidInput("Invalid lineItems: %s.", strings.Join(problems, "; "))
		}
	}

	now := e.lock()
	defer e.unlock()
	rec := e.visibleTransferLocked(customerID, transferID, req.partner)
	if rec == nil {
		return errTransferNotFound(transferID)
	}
	if cancel {
		return e.cancelLocked(req, rec, b, now)
	}
	return e.submitLocked(req, rec, items, now)
}

// validateLineItems checks the shape of each line; subscription facts are
// checked under the lock.
func validateLineItems(lines []lineItemBody) ([]submitItem, []string) {
	var items []submitItem
	var problems []string
	for i, li := range lines {
		sub := strings.TrimSpace(deref(li.SubscriptionID))
		pt := strings.TrimSpace(deref(li.ProductType))
		switch {
		case sub == "":
			problems = append(problems, fmt.Sprintf("lineItems[%d].subscriptionId is required", i))
			continue
		case pt == "":
			problems = append(problems, fmt.Sprintf("lineItems[%d].productType is required", i))
			continue
		}
		canonical, ok := canonicalProductType(pt)
		if !ok {
			problems = append(problems, fmt.Sprintf("lineItems[%d].productType %q is not one of %s", i, truncate(pt),
				strings.Join(productTypes, ", ")))
			continue
		}
		items = append(items, submitItem{subscriptionID: sub, productType: canonical})
	}
	return items, problems
}

// cancelLocked applies the target's cancel.
func (e *Emulator) cancelLocked(req *apiRequest, rec *transferRecord, b patchBody, now time.Time) apiResponse {
	if req.partner != rec.TargetPartnerTenantID {
		return errorResponse(http.StatusForbidden, codeRoleNotAllowed,
			fmt.Sprintf("Only the target partner that created transfer %s can cancel it.", rec.ID))
	}
	for _, f := range []struct {
		name, sent, want string
	}{
		{"sourcePartnerTenantId", deref(b.SourcePartnerTenantID), rec.SourcePartnerTenantID},
		{"targetPartnerTenantId", deref(b.TargetPartnerTenantID), rec.TargetPartnerTenantID},
	} {
		if sent := strings.TrimSpace(f.sent); sent != "" {
			if id, _ := canonicalGUID(sent); id != f.want {
				return errInvalidInput("%s %q does not match the transfer's %s.", f.name, truncate(sent), f.want)
			}
		}
	}
	if rec.Status != statusPending {
		return errCannotProcess(rec)
	}
	rec.Status = e.opts.CanceledStatus
	rec.LastModifiedTime = now
	rec.LastModifiedUser = req.objectID
	rec.deadlineGen++ // No expiry any more.
	e.emitLocked(CauseCancel, rec, now)
	return jsonResponse(http.StatusOK, e.transferBody(rec, req.partner))
}

// submitLocked applies the source's submit: every line must be a base
// subscription of this customer, owned by the source, of the stated product
// type, allowed by targetProductTypes and not moving in another transfer.
func (e *Emulator) submitLocked(req *apiRequest, rec *transferRecord, items []submitItem, now time.Time) apiResponse {
	if req.partner != rec.SourcePartnerTenantID {
		return errorResponse(http.StatusForbidden, codeRoleNotAllowed,
			fmt.Sprintf("Only the source partner of transfer %s can submit it.", rec.ID))
	}
	switch rec.Status {
	case statusPending:
	case statusInProgress:
		return errorResponse(http.StatusConflict, codeProcessedElsewhere,
			fmt.Sprintf("Transfer %s is being processed by another request.", rec.ID))
	default:
		return errCannotProcess(rec)
	}
	var problems []string
	var invalid []any
	seen := map[string]bool{}
	subs := make([]*subscriptionState, 0, len(items))
	for _, it := range items {
		id, _ := canonicalGUID(it.subscriptionID)
		sub := e.w.subscriptions[id]
		why := ""
		switch {
		case sub == nil || sub.CustomerID != rec.CustomerTenantID:
			why = "does not exist for customer " + rec.CustomerTenantID
		case seen[id]:
			why = "is listed more than once"
		case sub.TransferredTo != "":
			why = "was transferred to another partner (its id there is " + sub.TransferredTo + ")"
		case sub.ParentID != "":
			why = "is an add-on; it transfers with its base subscription " + sub.ParentID
		case sub.OwnerPartnerTenantID != rec.SourcePartnerTenantID:
			why = "is not owned by the source partner " + rec.SourcePartnerTenantID
		case sub.ProductType != it.productType:
			why = fmt.Sprintf("is a %s, not a %s", sub.ProductType, it.productType)
		case rec.TargetProductTypes != nil && !slices.Contains(rec.TargetProductTypes, sub.ProductType):
			why = fmt.Sprintf("is a %s, which the transfer's targetProductTypes (%s) do not include",
				sub.ProductType, strings.Join(rec.TargetProductTypes, ", "))
		}
		if why != "" {
			problems = append(problems, fmt.Sprintf("subscription %s %s", truncate(it.subscriptionID), why))
			invalid = append(invalid, it.subscriptionID)
			continue
		}
		seen[id] = true
		subs = append(subs, sub)
	}
	if len(problems) > 0 {
		return errorResponse(http.StatusBadRequest, codeInvalidSubscription,
			"Cannot create transfer with invalid subscription: "+strings.Join(problems, "; ")+".", invalid...)
	}
	for _, sub := range subs {
		for _, id := range append([]string{sub.ID}, sub.AddOnIDs...) {
			if other := e.w.locks[id]; other != nil && other != rec {
				return errorResponse(http.StatusConflict, codeOriginalInProgress,
					fmt.Sprintf("Transfer is not allowed: subscription %s is in original transfer %s, which is in progress.", id, other.ID))
			}
		}
	}
	rec.LineItems = e.buildLineItemsLocked(subs)
	for _, id := range rec.subscriptionIDs() {
		e.w.locks[id] = rec
	}
	delay := e.completionDelay
	if rec.CompletionDelay != nil {
		delay = *rec.CompletionDelay
	}
	rec.Status = statusInProgress
	rec.SubmittedTime = now
	rec.CompleteAt = now.Add(delay)
	rec.LastModifiedTime = now
	rec.LastModifiedUser = req.objectID
	e.scheduleLocked(rec)
	e.emitLocked(CauseSubmit, rec, now)
	return jsonResponse(http.StatusOK, e.transferBody(rec, req.partner))
}

// buildLineItemsLocked fills lines from the subscriptions. Lines of one
// product type share a transferGroupId (one order per group on completion).
func (e *Emulator) buildLineItemsLocked(subs []*subscriptionState) []LineItem {
	groups := map[string]string{}
	lines := make([]LineItem, 0, len(subs))
	for i, sub := range subs {
		group, ok := groups[sub.ProductType]
		if !ok {
			group = fmt.Sprint(len(groups))
			groups[sub.ProductType] = group
		}
		li := lineItemFor(sub.Subscription, i, group)
		for j, addOnID := range sub.AddOnIDs {
			li.AddonItems = append(li.AddonItems, lineItemFor(e.w.subscriptions[addOnID].Subscription, j, group))
		}
		lines = append(lines, li)
	}
	return lines
}

func lineItemFor(s Subscription, index int, group string) LineItem {
	return LineItem{
		ID:              lineID(index),
		SubscriptionID:  s.ID,
		ProductType:     s.ProductType,
		OfferID:         s.OfferID,
		FriendlyName:    s.FriendlyName,
		Quantity:        s.Quantity,
		BillingCycle:    s.BillingCycle,
		TransferGroupID: group,
		Status:          statusInProgress,
	}
}
