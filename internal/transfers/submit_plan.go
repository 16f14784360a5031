// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// The rules of a submit that can be checked before it is sent: what each
// configured line item will move (from the customer's subscription list)
// and what Partner Center is known to refuse. Both the transfer resource's
// submit and the acceptance resource plan with PlanSubmit; the provider
// only turns Findings into diagnostics.

const (
	// ReportedLineItemLimit is the per-transfer cap a third party reports
	// (CloudCockpit, "25-item transfer limit"); Microsoft documents none,
	// so exceeding it is a warning.
	ReportedLineItemLimit = 25
	// ExpiryWarningWindow warns about requests that expire soon.
	ExpiryWarningWindow = 7 * 24 * time.Hour
)

// SubmitPlan is everything the checks of a submit need, all known at plan
// time.
type SubmitPlan struct {
	CustomerID    string
	Subscriptions []partnercenter.Subscription
	// Items are the configured line items (subscription ID as configured).
	Items []partnercenter.SubmitLineItem
	// TargetProductTypes are the request's allowed product types; nil or
	// empty means all (or not known yet: a request created in this apply).
	TargetProductTypes []string
	// Status and ExpirationTime are the request's when known ("" and nil
	// for a request created in this apply).
	Status         string
	ExpirationTime *time.Time
	Now            time.Time
}

// ItemDetails is what the plan can show of a line item before apply.
type ItemDetails struct {
	FriendlyName string
	OfferID      string
	Quantity     int64
	BillingCycle string
	// AddOns move with the subscription.
	AddOns []AddOnDetails
}

// AddOnDetails is an add-on that moves with its base subscription.
type AddOnDetails struct {
	SubscriptionID string
	FriendlyName   string
	OfferID        string
	Quantity       int64
	BillingCycle   string
}

// Finding is one result of the checks. SubscriptionID "" is about the
// request as a whole; Warning false means Partner Center would refuse it.
type Finding struct {
	SubscriptionID string
	Warning        bool
	Summary        string
	Detail         string
}

// PlanSubmit returns, per configured subscription ID (as configured), what
// will move, and the findings: errors for what Partner Center is known to
// refuse, warnings for rules the reference only reports or infers.
func PlanSubmit(in SubmitPlan) (map[string]ItemDetails, []Finding) {
	byID := make(map[string]*partnercenter.Subscription, len(in.Subscriptions))
	addOns := map[string][]AddOnDetails{}
	for i := range in.Subscriptions {
		s := &in.Subscriptions[i]
		byID[strings.ToLower(s.ID)] = s
		if s.IsAddOn() {
			parent := strings.ToLower(s.ParentSubscriptionID)
			addOns[parent] = append(addOns[parent], AddOnDetails{SubscriptionID: s.ID, FriendlyName: s.FriendlyName,
				OfferID: s.OfferID, Quantity: s.Quantity, BillingCycle: s.BillingCycle})
		}
	}
	configured := map[string]bool{}
	for _, it := range in.Items {
		configured[strings.ToLower(it.SubscriptionID)] = true
	}

	findings := requestFindings(in)
	out := make(map[string]ItemDetails, len(in.Items))
	for _, it := range in.Items {
		s := byID[strings.ToLower(it.SubscriptionID)]
		if s == nil {
			findings = append(findings, Finding{SubscriptionID: it.SubscriptionID,
				Summary: "Subscription not found for this customer",
				Detail: fmt.Sprintf("Customer %s has no subscription %s held by the configured partner. Check the ID for typos, or "+
					"choose line items from data.partnercenter_customer_subscriptions (the customer's subscriptions are: %s).",
					in.CustomerID, it.SubscriptionID, describeSubscriptions(in.Subscriptions))})
			continue
		}
		out[it.SubscriptionID] = ItemDetails{FriendlyName: s.FriendlyName, OfferID: s.OfferID, Quantity: s.Quantity,
			BillingCycle: s.BillingCycle, AddOns: addOns[strings.ToLower(s.ID)]}
		findings = append(findings, subscriptionFindings(in, it, s, configured)...)
	}
	if len(in.Items) > ReportedLineItemLimit {
		findings = append(findings, Finding{Warning: true, Summary: "More line items than the reported transfer limit",
			Detail: fmt.Sprintf("This submit has %d line items. Microsoft documents no limit, but partners report that a transfer "+
				"takes at most %d items. If Partner Center refuses the submit, split the subscriptions over several transfer requests.",
				len(in.Items), ReportedLineItemLimit)})
	}
	return out, findings
}

// requestFindings are the findings about the request rather than one item.
func requestFindings(in SubmitPlan) []Finding {
	switch {
	case in.Status != "" && !Status(in.Status).CanSubmit():
		return []Finding{{Summary: "The transfer request can no longer be submitted",
			Detail: fmt.Sprintf("The request's status is %s; only a Pending request can be submitted. "+
				"Ask the target partner for a new request, then import that one.", in.Status)}}
	case in.ExpirationTime != nil && !in.Now.IsZero() && !in.ExpirationTime.After(in.Now):
		return []Finding{{Summary: "The transfer request has expired",
			Detail: fmt.Sprintf("The request expired at %s. Ask the target partner for a new request, then import that one.",
				in.ExpirationTime.UTC().Format(time.RFC3339))}}
	case in.ExpirationTime != nil && !in.Now.IsZero() && in.ExpirationTime.Sub(in.Now) <= ExpiryWarningWindow:
		return []Finding{{Warning: true, Summary: "The transfer request expires soon",
			Detail: fmt.Sprintf("The request expires at %s. Submit it before then, or ask the target partner for a new one.",
				in.ExpirationTime.UTC().Format(time.RFC3339))}}
	}
	return nil
}

// subscriptionFindings are the findings about one found subscription.
func subscriptionFindings(in SubmitPlan, it partnercenter.SubmitLineItem, s *partnercenter.Subscription, configured map[string]bool) []Finding {
	var findings []Finding
	add := func(warning bool, summary, detail string, args ...any) {
		findings = append(findings, Finding{SubscriptionID: it.SubscriptionID, Warning: warning, Summary: summary,
			Detail: fmt.Sprintf(detail, args...)})
	}
	name := subscriptionName(s)
	if !strings.EqualFold(s.Status, partnercenter.SubscriptionActive) {
		add(false, "Subscription is not active",
			"%s is %s; only active subscriptions can be transferred. Remove it from line_items, or reactivate it first.", name, cmp.Or(s.Status, "in no status"))
	}
	actual := s.TransferProductType()
	switch {
	case actual == "":
		add(false, "Subscription cannot be transferred with a new-commerce transfer",
			"%s has no new-commerce product type (a legacy subscription). Remove it from line_items; legacy subscriptions move with the legacy transfer process.", name)
	case !strings.EqualFold(actual, it.ProductType):
		add(false, "Product type does not match the subscription",
			"%s is a %s, but product_type is %q. Set product_type = %q.", name, actual, it.ProductType, actual)
	}
	if actual != "" && len(in.TargetProductTypes) > 0 && !slices.ContainsFunc(in.TargetProductTypes, func(pt string) bool { return strings.EqualFold(pt, actual) }) {
		add(false, "The request does not allow this product type",
			"%s is a %s, but the request's target_product_types are %s. Remove it from line_items, or ask the target partner for a request that includes %s.",
			name, actual, strings.Join(in.TargetProductTypes, ", "), actual)
	}
	if s.IsAddOn() {
		base := s.ParentSubscriptionID
		if configured[strings.ToLower(base)] {
			add(true, "Add-on listed with its base subscription",
				"%s is an add-on of %s, which is also in line_items. Add-ons move with their base subscription; remove the add-on from line_items.", name, base)
		} else {
			add(true, "Add-on without its base subscription",
				"%s is an add-on of %s. Add-ons move with their base subscription; list %s in line_items instead.", name, base, base)
		}
	}
	if s.IsTrial {
		add(true, "Trial subscription", "%s is a trial. Partner Center may refuse to transfer trials; convert it to a paid subscription or remove it from line_items.", name)
	}
	return findings
}

func subscriptionName(s *partnercenter.Subscription) string {
	if s.FriendlyName == "" {
		return "Subscription " + s.ID
	}
	return fmt.Sprintf("Subscription %s (%s)", s.ID, s.FriendlyName)
}

// describeSubscriptions lists a few subscriptions for a not-found message.
func describeSubscriptions(subs []partnercenter.Subscription) string {
	const shown = 5
	if len(subs) == 0 {
		return "none"
	}
	parts := make([]string, 0, shown)
	for i := range subs {
		if len(parts) == shown {
			parts = append(parts, fmt.Sprintf("and %d more", len(subs)-shown))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %q", subs[i].ID, subs[i].FriendlyName))
	}
	return strings.Join(parts, ", ")
}
