// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// Every customer page is read once, filters apply while streaming, and
// the result is sorted by name.
func TestAccCustomersDataSource(t *testing.T) {
	w := newAccWorld(t, func(o *emulator.Options) { o.Customers.MaxPageSize = 3 })
	ids, err := w.emu.GenerateCustomers(emulator.GenerateCustomers{Count: 7, NamePrefix: "Tailspin",
		PartnerTenantIDs: []string{w.source.TenantID}, NoSubscriptions: true})
	if err != nil {
		t.Fatal(err)
	}
	const all, tail = "data.partnercenter_customers.all", "data.partnercenter_customers.tail"
	config := partnerProviders(w) + fmt.Sprintf(`
data "partnercenter_customers" "all" {
  provider = %[1]s
}
data "partnercenter_customers" "tail" {
  provider            = %[1]s
  company_name_prefix = "TAILSPIN 0000"
  domain_prefix       = "tailspin"
}
`, sourceProvider)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: partnerProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: w.emu.ResetStats,
			Config:    config,
			Check: func(*terraform.State) error {
				// 8 customers, 3 per page: 3 pages per read, two reads.
				if n := w.emu.Stats().Count(emulator.RouteListCustomers, "GET"); n != 6 {
					return fmt.Errorf("two reads made %d customer list requests, want 6", n)
				}
				return nil
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(all, tfjsonpath.New("customers"), knownvalue.ListSizeExact(8)),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("customers").AtSliceIndex(0).AtMapKey("company_name"), knownvalue.StringExact("Northwind Traders")),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("customers").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(w.customerID)),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("customers").AtSliceIndex(0).AtMapKey("domain"), knownvalue.StringExact("northwindtraders.onmicrosoft.com")),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("customers").AtSliceIndex(0).AtMapKey("relationship_to_partner"), knownvalue.StringExact("reseller")),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("customers").AtSliceIndex(1).AtMapKey("company_name"), knownvalue.StringExact("Tailspin 00001")),
				// "Tailspin 00001" .. "Tailspin 00007" all start with "tailspin 0000".
				statecheck.ExpectKnownValue(tail, tfjsonpath.New("ids"), idsExact(ids...)),
			},
		}},
	})
}

func TestAccCustomerSubscriptionsDataSource(t *testing.T) {
	w := newAccWorld(t)
	const all, pick = "data.partnercenter_customer_subscriptions.all", "data.partnercenter_customer_subscriptions.pick"
	c, _ := w.emu.Customer(w.customerID)
	addOn := c.Subscriptions[0].AddOns[0].ID
	sub := func(i int, name string) tfjsonpath.Path {
		return tfjsonpath.New("subscriptions").AtSliceIndex(i).AtMapKey(name)
	}
	config := partnerProviders(w) + fmt.Sprintf(`
data "partnercenter_customer_subscriptions" "all" {
  provider    = %[1]s
  customer_id = %[2]q
}
data "partnercenter_customer_subscriptions" "pick" {
  provider        = %[1]s
  customer_id     = %[2]q
  status          = "active"
  product_types   = ["OnlineServicesNCE"]
  include_add_ons = false
}
data "partnercenter_customer_subscriptions" "target" {
  provider    = %[3]s
  customer_id = %[2]q
}
`, sourceProvider, w.customerID, targetProvider)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: partnerProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: w.emu.ResetStats,
			Config:    config,
			Check: func(*terraform.State) error {
				// The source partner's two reads share one list (one per
				// customer and provider process); the target's is its own.
				if n := w.emu.Stats().Count(emulator.RouteListSubscriptions, "GET"); n != 2 {
					return fmt.Errorf("three reads by two partners made %d subscription list requests, want 2", n)
				}
				return nil
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(all, tfjsonpath.New("ids"), idsExact(w.subs[0], addOn, w.subs[1], w.subs[2], w.azureSub)),
				statecheck.ExpectKnownValue(all, sub(0, "friendly_name"), knownvalue.StringExact("Microsoft 365 E3 #1")),
				statecheck.ExpectKnownValue(all, sub(0, "offer_id"), knownvalue.StringExact("CFQ7TTC0LFLZ:0001")),
				statecheck.ExpectKnownValue(all, sub(0, "product_type"), knownvalue.StringExact("OnlineServicesNCE")),
				statecheck.ExpectKnownValue(all, sub(0, "quantity"), knownvalue.Int64Exact(10)),
				statecheck.ExpectKnownValue(all, sub(0, "billing_cycle"), knownvalue.StringExact("monthly")),
				statecheck.ExpectKnownValue(all, sub(0, "term_duration"), knownvalue.StringExact("P1Y")),
				statecheck.ExpectKnownValue(all, sub(0, "status"), knownvalue.StringExact("active")),
				statecheck.ExpectKnownValue(all, sub(0, "auto_renew_enabled"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(all, sub(0, "is_trial"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(all, sub(0, "parent_subscription_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue(all, sub(0, "commitment_end_date"), knownvalue.Null()),
				statecheck.ExpectKnownValue(all, sub(0, "add_on_ids"), idsExact(addOn)),
				statecheck.ExpectKnownValue(all, sub(1, "parent_subscription_id"), knownvalue.StringExact(w.subs[0])),
				statecheck.ExpectKnownValue(all, sub(4, "product_type"), knownvalue.StringExact("AzureSubscription")),
				statecheck.ExpectKnownValue(pick, tfjsonpath.New("ids"), idsExact(w.subs...)),
				statecheck.ExpectKnownValue("data.partnercenter_customer_subscriptions.target", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

// Without customer_id the source scans every customer: one request per
// customer page plus one per customer, and every result names its customer.
func TestAccTransfersDataSource_scanEveryCustomer(t *testing.T) {
	w := newAccWorld(t, func(o *emulator.Options) { o.Customers.MaxPageSize = 4 })
	customers, err := w.emu.GenerateCustomers(emulator.GenerateCustomers{Count: 9,
		PartnerTenantIDs: []string{w.source.TenantID, w.target.TenantID}, OwnerPartnerTenantID: w.source.TenantID})
	if err != nil {
		t.Fatal(err)
	}
	target := partnerAPIClient(t, w, w.target)
	var want []string
	requested := map[string]string{}
	for i, c := range customers {
		if i%3 == 1 {
			continue // some customers have no request
		}
		created, err := target.CreateTransfer(t.Context(), c, partnercenter.CreateTransferRequest{
			SourcePartnerTenantID: w.source.TenantID, SourcePartnerName: w.source.Name,
			CustomerEmailID: "it@example.com", CustomerName: "Customer", TransferType: 3,
		})
		if err != nil {
			t.Fatal(err)
		}
		requested[created.ID] = c
		want = append(want, created.ID)
		w.emu.Advance(1e9)
	}
	subset := []string{customers[0], customers[2]}
	const every, some = "data.partnercenter_transfers.every", "data.partnercenter_transfers.some"
	config := partnerProviders(w) + fmt.Sprintf(`
data "partnercenter_transfers" "every" {
  provider           = %[1]s
  direction          = "outgoing"
  scan_concurrency   = 3
  include_line_items = false
}
data "partnercenter_transfers" "some" {
  provider     = %[1]s
  customer_ids = [%[2]q, %[3]q]
}
data "partnercenter_transfers" "slim" {
  provider                 = %[1]s
  ids_only                 = true
  target_partner_tenant_id = %[4]q
}
data "partnercenter_transfers" "other_target" {
  provider                 = %[1]s
  ids_only                 = true
  target_partner_tenant_id = %[5]q
}
`, sourceProvider, subset[0], subset[1], strings.ToUpper(w.target.TenantID), w.source.TenantID)
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(every, tfjsonpath.New("ids"), idsExact(want...)),
		statecheck.ExpectKnownValue(every, listedAttr(0, "line_items"), knownvalue.Null()),
		statecheck.ExpectKnownValue(some, tfjsonpath.New("ids"), idsExact(want[0], want[1])),
		statecheck.ExpectKnownValue(some, listedAttr(1, "customer_id"), knownvalue.StringExact(customers[2])),
	}
	byTransfer := map[string]knownvalue.Check{}
	for id, c := range requested {
		byTransfer[id] = knownvalue.StringExact(c)
	}
	checks = append(checks,
		statecheck.ExpectKnownValue("data.partnercenter_transfers.slim", tfjsonpath.New("ids"), idsExact(want...)),
		statecheck.ExpectKnownValue("data.partnercenter_transfers.slim", tfjsonpath.New("transfers"), knownvalue.Null()),
		statecheck.ExpectKnownValue("data.partnercenter_transfers.slim", tfjsonpath.New("customer_id_by_transfer"), knownvalue.MapExact(byTransfer)),
		statecheck.ExpectKnownValue(every, tfjsonpath.New("customer_id_by_transfer"), knownvalue.MapExact(byTransfer)),
		statecheck.ExpectKnownValue("data.partnercenter_transfers.other_target", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
	)
	for i, id := range want {
		checks = append(checks, statecheck.ExpectKnownValue(every, listedAttr(i, "customer_id"), knownvalue.StringExact(requested[id])))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: partnerProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: w.emu.ResetStats,
				Config:    config,
				Check: func(*terraform.State) error {
					// 10 customers, 4 per page: 3 pages; then one list per customer, plus 2 for "some".
					st := w.emu.Stats()
					if n := st.Count(emulator.RouteListCustomers, "GET"); n != 9 {
						return fmt.Errorf("%d customer list requests, want 9 (3 pages for each of 3 scans)", n)
					}
					if n := st.Count(emulator.RouteList, "GET"); n != 32 {
						return fmt.Errorf("%d transfer list requests, want 32 (10 for each of 3 scans + 2)", n)
					}
					return nil
				},
				ConfigStateChecks: checks,
			},
			{
				// A customer the partner cannot read fails the scan, naming it.
				Config: partnerProviders(w) + fmt.Sprintf(`
data "partnercenter_transfers" "broken" {
  provider     = %s
  customer_ids = [%q, "0badc0de-0000-4000-8000-000000000000"]
}
`, sourceProvider, customers[0]),
				ExpectError: regexp.MustCompile(`(?s)Cannot read the transfers of customer\s+0badc0de-0000-4000-8000-000000000000`),
			},
		},
	})
}
