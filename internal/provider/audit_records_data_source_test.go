// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const trailAddr = "data.partnercenter_audit_records.trail"

// auditTrail is a partnercenter_audit_records data source read as alias,
// from yesterday (emulator time), with extra arguments.
func (w *accWorld) auditTrail(name, alias, extra string) string {
	return fmt.Sprintf(`
data "partnercenter_audit_records" %q {
  provider    = partnercenter.%s
  start_date  = %q
  customer_id = %q
%s
}
`, name, alias, w.emu.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly), w.customerID, extra)
}

func recordAttr(i int, name string) tfjsonpath.Path {
	return tfjsonpath.New("records").AtSliceIndex(i).AtMapKey(name)
}

// The trail of a full run, read by both partners through the real CLI:
// create (target), submit (source), completion (Partner Center), paged one
// record per page.
func TestAccAuditRecords_createSubmitComplete(t *testing.T) {
	w := newAccWorld(t)
	cfg := w.providers() + w.targetRequest("") + w.adoptedRequest(lineItems(w.subs[0])) +
		w.auditTrail("trail", "target", "  page_size = 1\n  depends_on = [partnercenter_transfer.adopted]") +
		w.auditTrail("creates", "source", `  operation_types = ["create_transfer"]
  depends_on = [partnercenter_transfer.adopted]`)
	steps := func(i int, op, status, app string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(trailAddr, recordAttr(i, "operation_type"), knownvalue.StringExact(op)),
			statecheck.ExpectKnownValue(trailAddr, recordAttr(i, "transfer_status"), knownvalue.StringExact(status)),
			statecheck.ExpectKnownValue(trailAddr, recordAttr(i, "application_id"), knownvalue.StringExact(app)),
			statecheck.ExpectKnownValue(trailAddr, recordAttr(i, "resource_type"), knownvalue.StringExact("transfer")),
			statecheck.ExpectKnownValue(trailAddr, recordAttr(i, "operation_status"), knownvalue.StringExact("succeeded")),
			statecheck.ExpectKnownValue(trailAddr, recordAttr(i, "customer_name"), knownvalue.StringExact("Northwind Traders")),
			statecheck.ExpectKnownValue(trailAddr, recordAttr(i, "id"), knownvalue.StringRegexp(regexp.MustCompile(
				`^[0-9a-f-]{36}_`+w.customerID+`_[0-9a-f-]{36}_(createtransfer|updatetransfer)_\d{18}$`))),
			statecheck.CompareValuePairs(trailAddr, recordAttr(i, "transfer_id"), requestAddr, attrPath("id"), compare.ValuesSame()),
		}
	}
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(trailAddr, tfjsonpath.New("records"), knownvalue.ListSizeExact(3)),
		statecheck.ExpectKnownValue(trailAddr, tfjsonpath.New("resource_type"), knownvalue.StringExact("transfer")),
		statecheck.ExpectKnownValue(trailAddr, recordAttr(0, "resource_old_value"), knownvalue.StringExact("")),
		statecheck.ExpectKnownValue(trailAddr, recordAttr(0, "partner_id"), knownvalue.StringExact(w.target.TenantID)),
		statecheck.ExpectKnownValue(trailAddr, recordAttr(1, "partner_id"), knownvalue.StringExact(w.source.TenantID)),
		statecheck.ExpectKnownValue(trailAddr, recordAttr(1, "resource_old_value"), knownvalue.StringRegexp(regexp.MustCompile(`"Status":"Pending"`))),
		statecheck.ExpectKnownValue("data.partnercenter_audit_records.creates", tfjsonpath.New("records"), knownvalue.ListSizeExact(1)),
		statecheck.CompareValuePairs("data.partnercenter_audit_records.creates", recordAttr(0, "id"), trailAddr, recordAttr(0, "id"), compare.ValuesSame()),
	}
	checks = append(checks, steps(0, "create_transfer", "Pending", w.target.ClientID)...)
	checks = append(checks, steps(1, "update_transfer", "InProgress", w.source.ClientID)...)
	checks = append(checks, steps(2, "update_transfer", "Complete", "FulfillmentService")...)
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t), // Two partners: one provider process each.
		Steps: []resource.TestStep{
			{Config: w.providers() + w.targetRequest("")},
			{Config: cfg, ConfigStateChecks: checks},
		},
	})
	if n := w.emu.Stats().Count("audit-list", "GET"); n < 3 {
		t.Errorf("page_size = 1 over 3 records took %d requests, want one per page", n)
	}
}

// A cancel is in the trail: destroying a Pending request cancels it, and
// the next read shows the cancel record.
func TestAccAuditRecords_cancel(t *testing.T) {
	w := newAccWorld(t)
	trail := w.providers() + w.auditTrail("trail", "target", "")
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t), // Two partners: one provider process each.
		Steps: []resource.TestStep{
			{Config: w.providers() + w.targetRequest("")},
			{Config: trail}, // Destroys (cancels) the request; the data source read during plan.
			{
				Config: trail,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(trailAddr, tfjsonpath.New("records"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue(trailAddr, recordAttr(0, "operation_type"), knownvalue.StringExact("create_transfer")),
					statecheck.ExpectKnownValue(trailAddr, recordAttr(1, "operation_type"), knownvalue.StringExact("update_transfer")),
					statecheck.ExpectKnownValue(trailAddr, recordAttr(1, "transfer_status"), knownvalue.StringExact("Canceled")),
					statecheck.ExpectKnownValue(trailAddr, recordAttr(1, "application_id"), knownvalue.StringExact(w.target.ClientID)),
					statecheck.ExpectKnownValue(trailAddr, recordAttr(1, "resource_new_value"), knownvalue.StringRegexp(regexp.MustCompile(`"Status":"Canceled"`))),
				},
			},
		},
	})
}

// The date window is checked at plan time, before any request.
func TestAccAuditRecords_dateWindowFailsAtPlan(t *testing.T) {
	w := newAccWorld(t)
	day := func(days int) string { return time.Now().UTC().AddDate(0, 0, days).Format(time.DateOnly) }
	block := func(start, end string) string {
		return w.providers() + fmt.Sprintf(`
data "partnercenter_audit_records" "trail" {
  provider   = partnercenter.target
  start_date = %q
  end_date   = %q
}
`, start, end)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: block(day(-100), day(0)), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)start_date is beyond the 90-day.*look-back.*keeps activity records for 90 days`)},
			{Config: block(day(-2), day(-5)), PlanOnly: true, ExpectError: regexp.MustCompile(`end_date is before start_date`)},
			{Config: block("last week", day(0)), PlanOnly: true, ExpectError: regexp.MustCompile(`YYYY-MM-DD`)},
		},
	})
	if n := w.emu.Stats().Count("audit-list", "GET"); n != 0 {
		t.Errorf("invalid windows sent %d requests, want none", n)
	}
}
