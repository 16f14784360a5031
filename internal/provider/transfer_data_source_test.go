// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// targetRequestAddr is the target partner's request rendered by
// inProcessTargetRequest and w.targetRequest(...).
const targetRequestAddr = "partnercenter_transfer.request"

// dsLineItem is the path of one field of a line item.
func dsLineItem(subscriptionID, name string) tfjsonpath.Path {
	return tfjsonpath.New("line_items").AtMapKey(subscriptionID).AtMapKey(name)
}

// inProcessTargetRequest renders the target partner's transfer request,
// created through the in-process provider named targetProvider.
func inProcessTargetRequest(w *accWorld, extra string) string {
	return fmt.Sprintf(`
resource "partnercenter_transfer" "request" {
  provider                 = `+targetProvider+`
  customer_id              = %q
  source_partner_tenant_id = %q
  source_partner_name      = %q
  customer_email           = "it@northwind.example"
  customer_name            = "Northwind Traders"
%s
}
`, w.customerID, w.source.TenantID, w.source.Name, extra)
}

// transferData renders a partnercenter_transfer data source.
func transferData(name, provider, customerID, id, extra string) string {
	return fmt.Sprintf(`
data "partnercenter_transfer" %q {
  provider    = %s
  customer_id = %q
  id          = %s
%s
}
`, name, provider, customerID, id, extra)
}

// Both partners read the same transfer, each from its own side, with the
// line items the source submitted.
func TestAccTransferDataSource_bothSides(t *testing.T) {
	w := newAccWorld(t)
	v := arrangeTransferVariety(t, w)
	const (
		bySource = "data.partnercenter_transfer.by_source"
		byTarget = "data.partnercenter_transfer.by_target"
		pending  = "data.partnercenter_transfer.pending"
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: partnerProviderFactories,
		Steps: []resource.TestStep{{
			Config: partnerProviders(w) +
				transferData("by_source", sourceProvider, w.customerID, fmt.Sprintf("%q", v.complete), "") +
				// Upper-case ids are accepted and kept as written.
				transferData("by_target", targetProvider, strings.ToUpper(w.customerID), fmt.Sprintf("%q", strings.ToUpper(v.complete)), "") +
				transferData("pending", targetProvider, w.customerID, fmt.Sprintf("%q", v.pending), ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(bySource, tfjsonpath.New("status"), knownvalue.StringExact("Complete")),
				statecheck.ExpectKnownValue(bySource, tfjsonpath.New("transfer_direction"), knownvalue.StringExact("outgoing")),
				statecheck.ExpectKnownValue(bySource, tfjsonpath.New("source_partner_tenant_id"), knownvalue.StringExact(w.source.TenantID)),
				statecheck.ExpectKnownValue(bySource, tfjsonpath.New("target_partner_name"), knownvalue.StringExact(w.target.Name)),
				statecheck.ExpectKnownValue(bySource, tfjsonpath.New("customer_name"), knownvalue.StringExact("Northwind Traders")),
				statecheck.ExpectKnownValue(bySource, tfjsonpath.New("completed_time"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(bySource, dsLineItem(w.subs[0], "status"), knownvalue.StringExact("Complete")),
				statecheck.ExpectKnownValue(bySource, dsLineItem(w.subs[0], "billing_cycle"), knownvalue.StringExact("monthly")),
				statecheck.ExpectKnownValue(bySource, dsLineItem(w.subs[0], "offer_id"), knownvalue.StringExact("CFQ7TTC0LFLZ:0001")),
				statecheck.ExpectKnownValue(bySource, dsLineItem(w.subs[0], "target_subscription_id"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(bySource, dsLineItem(w.subs[0], "add_ons"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue(byTarget, tfjsonpath.New("transfer_direction"), knownvalue.StringExact("incoming")),
				statecheck.ExpectKnownValue(byTarget, tfjsonpath.New("id"), knownvalue.StringExact(strings.ToUpper(v.complete))),
				statecheck.ExpectKnownValue(byTarget, tfjsonpath.New("customer_id"), knownvalue.StringExact(strings.ToUpper(w.customerID))),
				statecheck.ExpectKnownValue(byTarget, tfjsonpath.New("line_items"), knownvalue.MapSizeExact(1)),
				statecheck.CompareValuePairs(bySource, tfjsonpath.New("last_modified_time"), byTarget, tfjsonpath.New("last_modified_time"), compare.ValuesSame()),
				statecheck.ExpectKnownValue(pending, tfjsonpath.New("status"), knownvalue.StringExact("Pending")),
				statecheck.ExpectKnownValue(pending, tfjsonpath.New("line_items"), knownvalue.MapSizeExact(0)),
				statecheck.ExpectKnownValue(pending, tfjsonpath.New("expiration_time"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(pending, tfjsonpath.New("completed_time"), knownvalue.Null()),
			},
		}},
	})
}

// The data source shows a transfer exactly as the resource that created it
// holds it, field by field.
func TestAccTransferDataSource_matchesResource(t *testing.T) {
	w := newAccWorld(t)
	cfg := partnerProviders(w) +
		inProcessTargetRequest(w, `  target_product_types = ["OnlineServicesNCE"]
  target_partner_email = "ops@fabrikam.example"`) +
		transferData("same", targetProvider, w.customerID, targetRequestAddr+".id", "  depends_on = ["+targetRequestAddr+"]")
	var checks []statecheck.StateCheck
	for _, name := range sortedKeys(transferAttrTypes) {
		if name == "line_items" {
			continue // compared below: null in the resource's plan and state, {} in the data source
		}
		checks = append(checks, statecheck.CompareValuePairs(targetRequestAddr, tfjsonpath.New(name), "data.partnercenter_transfer.same", tfjsonpath.New(name), compare.ValuesSame()))
	}
	checks = append(checks,
		statecheck.ExpectKnownValue(targetRequestAddr, tfjsonpath.New("line_items"), knownvalue.Null()),
		statecheck.ExpectKnownValue("data.partnercenter_transfer.same", tfjsonpath.New("line_items"), knownvalue.MapSizeExact(0)))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: partnerProviderFactories,
		Steps:                    []resource.TestStep{{Config: cfg, ConfigStateChecks: checks}},
	})
}

// A transfer that does not exist, or that the partner is no party to, is
// an error naming both ids; a malformed id is caught before any request.
func TestAccTransferDataSource_notFound(t *testing.T) {
	w := newAccWorld(t)
	v := arrangeTransferVariety(t, w)
	missing := uuid.NewString()
	outsider := newPartner("Litware Outsider")
	if err := w.emu.AddPartner(outsider.seed()); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: partnerProviderFactories,
		Steps: []resource.TestStep{
			{
				// Transfer ids are Partner Center's, so only a form that cannot
				// be one (a slash, a space) is refused before any request.
				Config:      partnerProviders(w) + transferData("bad", sourceProvider, w.customerID, `"not a/transfer id"`, ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid transfer ID`),
			},
			{
				Config:      partnerProviders(w) + transferData("missing", sourceProvider, w.customerID, fmt.Sprintf("%q", missing), ""),
				ExpectError: regexp.MustCompile(`(?s)Transfer not found.*` + missing + `.*` + w.customerID + `.*neither its source nor its target`),
			},
			{
				// An existing transfer read by a partner that is neither
				// side of it: the service does not reveal it exists.
				Config: partnerProviders(w) + partnerProviderBlock(w, outsiderProvider, outsider) +
					transferData("hidden", outsiderProvider, w.customerID, fmt.Sprintf("%q", v.pending), ""),
				ExpectError: regexp.MustCompile(`(?s)Transfer not found.*` + v.pending),
			},
		},
	})
}

// The error text for each way a read can fail: the customer without a
// relationship (20002) and other refusals are put on customer_id, a
// missing transfer on id, and everything keeps the service's own text.
func TestAddTransferReadError(t *testing.T) {
	customer, transfer := uuid.NewString(), uuid.NewString()
	apiErr := func(status int, code string) error {
		return &partnercenter.APIError{StatusCode: status, Code: code, Description: "service says no", Method: http.MethodGet, Path: "/v1/customers/x/transfers"}
	}
	cases := []struct {
		name       string
		transferID string
		err        error
		at         path.Path
		summary    string
		detail     []string
	}{
		{"no relationship, list", "", apiErr(403, "20002"), path.Root("customer_id"),
			"No reseller relationship with customer " + customer, []string{"service says no", "What to do:", "reseller relationship"}},
		{"no relationship, one", transfer, apiErr(403, "20002"), path.Root("customer_id"),
			"No reseller relationship with customer " + customer, []string{"code 20002"}},
		{"other refusal", transfer, apiErr(403, "900150"), path.Root("customer_id"),
			"Not allowed to read the transfers of customer " + customer, []string{"Admin agent"}},
		{"missing transfer", transfer, apiErr(404, "900100"), path.Root("id"),
			"Transfer not found", []string{transfer, customer, "neither its source nor its target", "code 900100"}},
		{"server error, one", transfer, apiErr(500, ""), path.Empty(),
			fmt.Sprintf("Cannot read transfer %s of customer %s", transfer, customer), []string{"HTTP 500"}},
		{"404 on the list", "", apiErr(404, ""), path.Empty(),
			"Cannot list the transfers of customer " + customer, []string{"HTTP 404"}},
		{"transport failure", "", errors.New("dial tcp: connection refused"), path.Empty(),
			"Cannot list the transfers of customer " + customer, []string{"connection refused"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addTransferReadError(&diags, customer, tc.transferID, tc.err)
			if len(diags) != 1 || diags[0].Severity() != diag.SeverityError {
				t.Fatalf("want one error, got %v", diags)
			}
			d := diags[0]
			if d.Summary() != tc.summary {
				t.Errorf("summary = %q, want %q", d.Summary(), tc.summary)
			}
			var at path.Path
			if withPath, ok := d.(diag.DiagnosticWithPath); ok {
				at = withPath.Path()
			}
			if at.String() != tc.at.String() {
				t.Errorf("path = %s, want %s", at, tc.at)
			}
			for _, s := range tc.detail {
				if !strings.Contains(d.Detail(), s) {
					t.Errorf("detail %q does not mention %q", d.Detail(), s)
				}
			}
		})
	}
}
