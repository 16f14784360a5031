// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// List resources and `terraform query` need Terraform 1.14+ (OpenTofu 1.12
// has neither); CI's Terraform >= 1.14 leg fails if these tests skip.
var queryCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// transferListBlock renders a list "partnercenter_transfer" block.
func transferListBlock(name, alias, customerID, filters string) string {
	return fmt.Sprintf(`
list "partnercenter_transfer" %q {
  provider         = partnercenter.%s
  include_resource = true
  config {
    customer_id = %q
%s
  }
}
`, name, alias, customerID, filters)
}

// Both partners see the same request through the list resource: the source
// as outgoing, named after the customer and the target partner; the target
// as incoming, named after the source partner. Filters work as in the data
// source.
func TestAccTransferList_Query(t *testing.T) {
	w := newAccWorld(t)
	target := w.providers() + w.targetRequest("")
	resource.Test(t, resource.TestCase{
		ExternalProviders:      externalProviders(t),
		TerraformVersionChecks: queryCLIs,
		Steps: []resource.TestStep{
			{Config: target},
			{
				Query: true,
				Config: transferListBlock("outgoing", "source", w.customerID, `    direction = "outgoing"`) +
					transferListBlock("incoming", "target", w.customerID, `    direction = "incoming"`) +
					transferListBlock("done", "source", w.customerID, `    status = "Complete"`) +
					transferListBlock("from_source", "target", w.customerID, fmt.Sprintf(`    source_partner_tenant_id = %q`, strings.ToUpper(w.source.TenantID))),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("partnercenter_transfer.outgoing", 1),
					querycheck.ExpectLength("partnercenter_transfer.incoming", 1),
					querycheck.ExpectLength("partnercenter_transfer.done", 0),
					querycheck.ExpectLength("partnercenter_transfer.from_source", 1),
					querycheck.ExpectIdentity("partnercenter_transfer.outgoing", map[string]knownvalue.Check{
						"customer_id": knownvalue.StringExact(w.customerID), "id": knownvalue.StringRegexp(guidPattern),
					}),
					querycheck.ExpectResourceDisplayName("partnercenter_transfer.outgoing", nil,
						knownvalue.StringExact("Northwind Traders · to "+w.target.Name+" · Pending")),
					querycheck.ExpectResourceDisplayName("partnercenter_transfer.incoming", nil,
						knownvalue.StringExact("Northwind Traders · from "+w.source.Name+" · Pending")),
					querycheck.ExpectResourceKnownValues("partnercenter_transfer.outgoing", queryfilter.ByDisplayName(knownvalue.StringRegexp(regexp.MustCompile(`Pending$`))),
						[]querycheck.KnownValueCheck{
							{Path: attrPath("status"), KnownValue: knownvalue.StringExact(partnercenter.StatusPending)},
							{Path: attrPath("source_partner_tenant_id"), KnownValue: knownvalue.StringExact(w.source.TenantID)},
							{Path: attrPath("line_items"), KnownValue: knownvalue.MapSizeExact(0)},
						}),
				},
			},
		},
	})
}
