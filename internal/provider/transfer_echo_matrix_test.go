// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

// TestAccTransfer_echoMatrix creates requests against a server that echoes
// every create input in one form (left out, null, "", another letter case,
// a value it filled in itself; and Microsoft's documented 201 body): one
// resource configures every input, one only the required ones. Each create
// must be consistent (no "inconsistent result after apply"), keep what was
// configured (and leave unset what was not), and the next plan, which
// refreshes through the same echo, must be empty.
func TestAccTransfer_echoMatrix(t *testing.T) {
	forms := map[string]emulator.WireVariants{"documented-create": {DocumentedCreate: true}}
	for _, form := range []string{emulator.InputEchoAbsent, emulator.InputEchoNull, emulator.InputEchoEmpty,
		emulator.InputEchoOtherCase, emulator.InputEchoFilled} {
		forms["input-echo-"+form] = emulator.WireVariants{InputEcho: form}
	}
	for name, v := range forms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newAccWorld(t, func(o *emulator.Options) { o.Wire = v })
			configured := map[string]string{
				"source_partner_tenant_id": fmt.Sprintf("%q", w.source.TenantID),
				"source_partner_name":      `"Contoso Old Partner"`,
				"customer_email":           `"it@northwind.example"`,
				"customer_name":            `"Northwind Traders (EU)"`,
				"target_partner_tenant_id": fmt.Sprintf("%q", w.target.TenantID),
				"target_partner_email":     `"crm-ref-42"`,
				"transfer_type":            "3",
				"target_product_types":     `["OnlineServicesNCE", "AzureSubscription"]`,
				"partner_of_record":        `"1234567"`,
				"transaction_reseller_id":  `"7654321"`,
			}
			all, required := "", ""
			for _, in := range transfers.CreateInputs {
				value, ok := configured[in.Attribute]
				if !ok {
					t.Fatalf("the matrix configures no value for create input %s", in.Attribute)
				}
				line := fmt.Sprintf("  %s = %s\n", in.Attribute, value)
				all += line
				if in.Required {
					required += line
				}
			}
			config := w.providers() + echoResource("all", w.customerID, all) + echoResource("required", w.customerID, required)
			checks := []statecheck.StateCheck{
				statecheck.ExpectKnownValue("partnercenter_transfer.all", attrPath("target_partner_email"), knownvalue.StringExact("crm-ref-42")),
				statecheck.ExpectKnownValue("partnercenter_transfer.all", attrPath("customer_name"), knownvalue.StringExact("Northwind Traders (EU)")),
				statecheck.ExpectKnownValue("partnercenter_transfer.all", attrPath("source_partner_name"), knownvalue.StringExact("Contoso Old Partner")),
				statecheck.ExpectKnownValue("partnercenter_transfer.all", attrPath("customer_email"), knownvalue.StringExact("it@northwind.example")),
				statecheck.ExpectKnownValue("partnercenter_transfer.all", attrPath("partner_of_record"), knownvalue.StringExact("1234567")),
				statecheck.ExpectKnownValue("partnercenter_transfer.all", attrPath("transaction_reseller_id"), knownvalue.StringExact("7654321")),
				statecheck.ExpectKnownValue("partnercenter_transfer.all", attrPath("transfer_type"), knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownValue("partnercenter_transfer.all", attrPath("target_product_types"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("OnlineServicesNCE"), knownvalue.StringExact("AzureSubscription")})),
				statecheck.ExpectKnownValue("partnercenter_transfer.required", attrPath("target_partner_email"), knownvalue.Null()),
				statecheck.ExpectKnownValue("partnercenter_transfer.required", attrPath("partner_of_record"), knownvalue.Null()),
				statecheck.ExpectKnownValue("partnercenter_transfer.required", attrPath("transaction_reseller_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue("partnercenter_transfer.required", attrPath("target_product_types"), knownvalue.Null()),
				statecheck.ExpectKnownValue("partnercenter_transfer.required", attrPath("transfer_type"), knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownValue("partnercenter_transfer.required", attrPath("target_partner_tenant_id"), knownvalue.StringExact(w.target.TenantID)),
			}
			resource.Test(t, resource.TestCase{
				ExternalProviders: externalProviders(t),
				Steps: []resource.TestStep{
					{Config: config, ConfigStateChecks: checks},
					// A refresh through the same echo changes nothing.
					{Config: config, PlanOnly: true},
				},
			})
			if n := len(w.transfers()); n != 2 {
				t.Errorf("%d requests on the server, want the 2 created", n)
			}
		})
	}
}

func echoResource(name, customerID, inputs string) string {
	return fmt.Sprintf(`
resource "partnercenter_transfer" %q {
  provider               = partnercenter.target
  customer_id            = %q
  adopt_orphaned_request = false
%s}
`, name, customerID, inputs)
}
