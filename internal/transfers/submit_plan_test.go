// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

const (
	planBase     = "a4c1340d-6911-4758-bba3-0c4c6007d161"
	planAddOn    = "5e0f2f8e-1a2b-4c3d-9e8f-001122334455"
	planAzure    = "3f15978e-005c-b763-bb78-2a8fab289c58"
	planSuspend  = "11111111-0000-4000-8000-000000000001"
	planTrial    = "11111111-0000-4000-8000-000000000002"
	planLegacy   = "11111111-0000-4000-8000-000000000003"
	planMissing  = "99999999-0000-4000-8000-000000000009"
	planCustomer = "d8202a51-69f9-4228-b900-d0e081af17d7"
)

func planSubscriptions() []partnercenter.Subscription {
	nce := &partnercenter.SubscriptionType{ID: "OnlineServicesNCE"}
	return []partnercenter.Subscription{
		{ID: planBase, FriendlyName: "Microsoft 365 Business Basic", OfferID: "CFQ7TTC0LH18:0001:CFQ7TTC0K971", ProductType: nce,
			Quantity: 15, BillingCycle: "monthly", Status: "active"},
		{ID: planAddOn, FriendlyName: "Teams Phone", OfferID: "CFQ7TTC0J1FV:0001", ProductType: nce, Quantity: 15,
			BillingCycle: "monthly", Status: "active", ParentSubscriptionID: planBase},
		{ID: planAzure, FriendlyName: "Azure plan", ProductType: &partnercenter.SubscriptionType{ID: "Azure", SubType: &partnercenter.SubscriptionType{ID: "Azure"}},
			Quantity: 1, Status: "active"},
		{ID: planSuspend, FriendlyName: "Suspended E3", ProductType: nce, Quantity: 3, Status: "suspended"},
		{ID: planTrial, FriendlyName: "Trial", ProductType: nce, Quantity: 25, Status: "active", IsTrial: true},
		{ID: planLegacy, FriendlyName: "Legacy Office", OfferID: "91FD106F-4B2C-4938-95AC-F54F74E9A239", Quantity: 5, Status: "active"},
	}
}

// findings renders checks as "id|warning|summary" for compact asserts.
func findings(checks []Finding) map[string][]string {
	out := map[string][]string{}
	for _, c := range checks {
		kind := "error"
		if c.Warning {
			kind = "warning"
		}
		out[c.SubscriptionID] = append(out[c.SubscriptionID], kind+": "+c.Summary)
	}
	return out
}

func TestPlanSubmitEnrichesFoundItems(t *testing.T) {
	enriched, checks := PlanSubmit(SubmitPlan{
		CustomerID: planCustomer, Subscriptions: planSubscriptions(),
		Items: []partnercenter.SubmitLineItem{{SubscriptionID: strings.ToUpper(planBase), ProductType: "OnlineServicesNCE"},
			{SubscriptionID: planAzure, ProductType: "AzureSubscription"}},
	})
	if len(checks) != 0 {
		t.Fatalf("checks = %v, want none", findings(checks))
	}
	base := enriched[strings.ToUpper(planBase)] // keyed as configured; matched case-insensitively
	if base.FriendlyName != "Microsoft 365 Business Basic" || base.OfferID != "CFQ7TTC0LH18:0001:CFQ7TTC0K971" || base.Quantity != 15 ||
		base.BillingCycle != "monthly" || len(base.AddOns) != 1 || base.AddOns[0].SubscriptionID != planAddOn || base.AddOns[0].Quantity != 15 {
		t.Fatalf("base enrichment = %+v", base)
	}
	if az := enriched[planAzure]; az.FriendlyName != "Azure plan" || az.Quantity != 1 || len(az.AddOns) != 0 {
		t.Fatalf("azure enrichment = %+v", az)
	}
}

func TestPlanSubmitChecksEachItem(t *testing.T) {
	_, checks := PlanSubmit(SubmitPlan{
		CustomerID: planCustomer, Subscriptions: planSubscriptions(), TargetProductTypes: []string{"OnlineServicesNCE"},
		Items: []partnercenter.SubmitLineItem{
			{SubscriptionID: planMissing, ProductType: "OnlineServicesNCE"},
			{SubscriptionID: planSuspend, ProductType: "OnlineServicesNCE"},
			{SubscriptionID: planAzure, ProductType: "OnlineServicesNCE"},
			{SubscriptionID: planTrial, ProductType: "OnlineServicesNCE"},
			{SubscriptionID: planAddOn, ProductType: "OnlineServicesNCE"},
			{SubscriptionID: planLegacy, ProductType: "OnlineServicesNCE"},
		},
	})
	got := findings(checks)
	want := map[string][]string{
		planMissing: {"error: Subscription not found for this customer"},
		planSuspend: {"error: Subscription is not active"},
		planAzure:   {"error: Product type does not match the subscription", "error: The request does not allow this product type"},
		planTrial:   {"warning: Trial subscription"},
		planAddOn:   {"warning: Add-on without its base subscription"},
		planLegacy:  {"error: Subscription cannot be transferred with a new-commerce transfer"},
	}
	for id, w := range want {
		if strings.Join(got[id], "; ") != strings.Join(w, "; ") {
			t.Errorf("%s: findings %q, want %q", id, got[id], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("findings = %v", got)
	}
	for _, c := range checks {
		switch c.SubscriptionID {
		case planMissing:
			if !strings.Contains(c.Detail, planCustomer) || !strings.Contains(c.Detail, "data.partnercenter_customer_subscriptions") ||
				!strings.Contains(c.Detail, planBase) {
				t.Errorf("not-found detail does not say how to fix it: %s", c.Detail)
			}
		case planAzure:
			if strings.HasPrefix(c.Summary, "Product type") && !strings.Contains(c.Detail, `product_type = "AzureSubscription"`) {
				t.Errorf("mismatch detail does not give the fix: %s", c.Detail)
			}
		}
	}
}

func TestPlanSubmitAddOnWithItsBaseAndTheLimit(t *testing.T) {
	items := []partnercenter.SubmitLineItem{{SubscriptionID: planBase, ProductType: "OnlineServicesNCE"}, {SubscriptionID: planAddOn, ProductType: "OnlineServicesNCE"}}
	subs := planSubscriptions()
	for i := range 24 {
		id := strings.Replace(planMissing, "9999", "77"+string(rune('a'+i%6))+string(rune('a'+i/6)), 1)
		subs = append(subs, partnercenter.Subscription{ID: id, ProductType: &partnercenter.SubscriptionType{ID: "OnlineServicesNCE"}, Status: "active", Quantity: 1})
		items = append(items, partnercenter.SubmitLineItem{SubscriptionID: id, ProductType: "OnlineServicesNCE"})
	}
	_, checks := PlanSubmit(SubmitPlan{CustomerID: planCustomer, Subscriptions: subs, Items: items})
	got := findings(checks)
	if strings.Join(got[planAddOn], "") != "warning: Add-on listed with its base subscription" {
		t.Errorf("add-on findings = %q", got[planAddOn])
	}
	if strings.Join(got[""], "") != "warning: More line items than the reported transfer limit" {
		t.Errorf("request findings = %q (26 items)", got[""])
	}
	if len(got) != 2 {
		t.Errorf("findings = %v", got)
	}
}

func TestPlanSubmitRequestState(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	items := []partnercenter.SubmitLineItem{{SubscriptionID: planBase, ProductType: "OnlineServicesNCE"}}
	for _, tc := range []struct {
		name    string
		status  string
		expires *time.Time
		want    string
	}{
		{"pending, far", "Pending", at(20 * 24 * time.Hour), ""},
		{"pending, soon", "Pending", at(3 * 24 * time.Hour), "warning: The transfer request expires soon"},
		{"expired by time", "Pending", at(-time.Minute), "error: The transfer request has expired"},
		{"already submitted", "InProgress", at(20 * 24 * time.Hour), "error: The transfer request can no longer be submitted"},
		{"cancelled", "Canceled", nil, "error: The transfer request can no longer be submitted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, checks := PlanSubmit(SubmitPlan{CustomerID: planCustomer, Subscriptions: planSubscriptions(), Items: items,
				Status: tc.status, ExpirationTime: tc.expires, Now: now})
			if got := strings.Join(findings(checks)[""], "; "); got != tc.want {
				t.Fatalf("findings = %q, want %q", got, tc.want)
			}
			if tc.want == "warning: The transfer request expires soon" && !strings.Contains(checks[0].Detail, "2026-03-04T12:00:00Z") {
				t.Errorf("expiry warning lacks the date: %s", checks[0].Detail)
			}
		})
	}
}
