// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

// createInput is one create-time attribute of partnercenter_transfer: the
// HCL that sets it and what the emulator must have received.
type createInput struct {
	hcl      string
	received func(emulator.Transfer) string
	want     string
}

// everyCreateInput sets each create input of the transfer resource to a
// distinct value; TestEveryCreateInputIsCovered keeps it complete.
func everyCreateInput(w *accWorld) map[string]createInput {
	return map[string]createInput{
		"customer_id": {fmt.Sprintf("%q", w.customerID), func(t emulator.Transfer) string { return t.CustomerTenantID }, w.customerID},
		"source_partner_tenant_id": {fmt.Sprintf("%q", w.source.TenantID),
			func(t emulator.Transfer) string { return t.SourcePartnerTenantID }, w.source.TenantID},
		"source_partner_name": {`"Contoso (as the target writes it)"`,
			func(t emulator.Transfer) string { return t.SourcePartnerName }, "Contoso (as the target writes it)"},
		"customer_email": {`"billing@northwind.example"`, func(t emulator.Transfer) string { return t.CustomerEmailID }, "billing@northwind.example"},
		"customer_name":  {`"Northwind (renamed)"`, func(t emulator.Transfer) string { return t.CustomerName }, "Northwind (renamed)"},
		"target_partner_tenant_id": {fmt.Sprintf("%q", w.target.TenantID),
			func(t emulator.Transfer) string { return t.TargetPartnerTenantID }, w.target.TenantID},
		"target_partner_email": {`"deal-4711"`, func(t emulator.Transfer) string { return t.TargetPartnerEmailID }, "deal-4711"},
		"partner_of_record":    {`"1234567"`, func(t emulator.Transfer) string { return t.PartnerOnRecord }, "1234567"},
		"transaction_reseller_id": {`"7654321"`, func(t emulator.Transfer) string {
			var out []string
			for _, p := range t.Participants {
				out = append(out, p.Key+"="+p.Value)
			}
			return strings.Join(out, ",")
		}, "TransactionReseller=7654321"},
		"transfer_type": {"5", func(t emulator.Transfer) string { return fmt.Sprint(t.TransferType) }, "5"},
		"target_product_types": {`["OnlineServicesNCE", "AzureSubscription"]`, func(t emulator.Transfer) string {
			types := slices.Clone(t.TargetProductTypes)
			sort.Strings(types)
			return strings.Join(types, ",")
		}, "AzureSubscription,OnlineServicesNCE"},
	}
}

// notCreateInputs are the configurable attributes that are not sent on
// create.
var notCreateInputs = []string{"line_items", "wait_for_completion", "adopt_orphaned_request", "recreate_expired_request", "timeouts"}

// Every configurable attribute of partnercenter_transfer is either a create
// input TestAccTransfer_createSendsEveryInput sets, or listed as not one: a
// new create input cannot be added without the test sending it.
func TestEveryCreateInputIsCovered(t *testing.T) {
	var resp resource.SchemaResponse
	(&transferResource{}).Schema(t.Context(), resource.SchemaRequest{}, &resp)
	inputs := everyCreateInput(&accWorld{})
	for name, attr := range resp.Schema.Attributes {
		configurable := attr.IsRequired() || attr.IsOptional()
		_, covered := inputs[name]
		switch {
		case !configurable && covered:
			t.Errorf("%s is computed only, yet listed as a create input", name)
		case configurable && !covered && !slices.Contains(notCreateInputs, name):
			t.Errorf("%s is configurable but TestAccTransfer_createSendsEveryInput does not set it (or add it to notCreateInputs)", name)
		}
	}
	for name := range inputs {
		if _, ok := resp.Schema.Attributes[name]; !ok {
			t.Errorf("create input %s is not an attribute of the schema", name)
		}
	}
}

// Each create input set through the provider reaches Partner Center under
// its documented name: the emulator refuses properties it does not know
// and stores the ones it does, so a misnamed JSON tag in the client (say
// partnerOnRecord) fails here, and state holds what was configured.
func TestAccTransfer_createSendsEveryInput(t *testing.T) {
	w := newAccWorld(t)
	inputs := everyCreateInput(w)
	names := make([]string, 0, len(inputs))
	for name := range inputs {
		names = append(names, name)
	}
	sort.Strings(names)
	var body strings.Builder
	for _, name := range names {
		fmt.Fprintf(&body, "  %s = %s\n", name, inputs[name].hcl)
	}
	config := w.providerBlock("target", w.target) + fmt.Sprintf(`
resource "partnercenter_transfer" "request" {
  provider = partnercenter.target
%s}
`, body.String())
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(requestAddr, attrPath("partner_of_record"), knownvalue.StringExact("1234567")),
		statecheck.ExpectKnownValue(requestAddr, attrPath("transaction_reseller_id"), knownvalue.StringExact("7654321")),
		statecheck.ExpectKnownValue(requestAddr, attrPath("target_partner_email"), knownvalue.StringExact("deal-4711")),
		statecheck.ExpectKnownValue(requestAddr, attrPath("transfer_type"), knownvalue.Int64Exact(5)),
		statecheck.ExpectKnownValue(requestAddr, attrPath("customer_name"), knownvalue.StringExact("Northwind (renamed)")),
		statecheck.ExpectKnownValue(requestAddr, attrPath("source_partner_name"), knownvalue.StringExact("Contoso (as the target writes it)")),
		statecheck.ExpectKnownValue(requestAddr, attrPath("customer_email"), knownvalue.StringExact("billing@northwind.example")),
	}
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []tfresource.TestStep{{
			Config:            config,
			ConfigStateChecks: checks,
			Check: func(*terraform.State) error {
				ts := w.transfers()
				if len(ts) != 1 {
					return fmt.Errorf("the emulator holds %d transfers, want 1", len(ts))
				}
				var wrong []string
				for _, name := range names {
					in := inputs[name]
					if got := in.received(ts[0]); got != in.want {
						wrong = append(wrong, fmt.Sprintf("%s: the emulator received %q, want %q", name, got, in.want))
					}
				}
				if len(wrong) > 0 {
					return fmt.Errorf("create inputs lost on the way:\n%s", strings.Join(wrong, "\n"))
				}
				return nil
			},
		}},
	})
}
