// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// A target's create plan shows what will be sent: unset optional inputs are
// null (not "known after apply"), the target tenant is the caller's. After
// the transfer completes and both sides refresh, no attribute holds "" for
// something Partner Center did not send.
func TestAccTransfer_createPlanHasNoNoise(t *testing.T) {
	w := newAccWorld(t)
	target := w.providers() + w.targetRequest("")
	both := target + w.adoptedRequest(lineItems(w.subs[0]))
	null := func(name string) plancheck.PlanCheck {
		return plancheck.ExpectKnownValue(requestAddr, attrPath(name), knownvalue.Null())
	}
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{
				Config: target,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(requestAddr, plancheck.ResourceActionCreate),
					null("partner_of_record"), null("target_partner_email"), null("target_product_types"), null("transaction_reseller_id"),
					plancheck.ExpectKnownValue(requestAddr, attrPath("target_partner_tenant_id"), knownvalue.StringExact(w.target.TenantID)),
					plancheck.ExpectKnownValue(requestAddr, attrPath("transfer_type"), knownvalue.Int64Exact(3)),
					plancheck.ExpectKnownValue(requestAddr, attrPath("line_items"), knownvalue.Null()),
					plancheck.ExpectKnownValue(requestAddr, attrPath("source_partner_name"), knownvalue.StringExact(w.source.Name)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{noEmptyStrings{}},
			},
			{Config: both, ConfigStateChecks: []statecheck.StateCheck{noEmptyStrings{}}},
			{
				// Both sides refreshed after completion.
				Config:           both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					noEmptyStrings{},
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("partner_of_record"), knownvalue.Null()),
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("target_partner_email"), knownvalue.Null()),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "error_code"), knownvalue.Null()),
					statecheck.ExpectKnownValue(requestAddr, lineItemAttr(w.subs[0], "error_message"), knownvalue.Null()),
					statecheck.ExpectKnownValue(requestAddr, tfjsonpath.New("line_items").AtMapKey(w.subs[0]).AtMapKey("status"), knownvalue.StringExact("Complete")),
				},
			},
		},
	})
}

// noEmptyStrings fails on any "" in the state of a partnercenter_transfer.
type noEmptyStrings struct{}

func (noEmptyStrings) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = errors.New("no state")
		return
	}
	var empty []string
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Type != "partnercenter_transfer" {
			continue
		}
		for name, v := range r.AttributeValues {
			empty = append(empty, emptyStrings(r.Address+"."+name, v)...)
		}
	}
	sort.Strings(empty)
	if len(empty) > 0 {
		resp.Error = fmt.Errorf("state holds \"\" where Partner Center sent nothing: %s", strings.Join(empty, ", "))
	}
}

func emptyStrings(at string, v any) []string {
	switch v := v.(type) {
	case string:
		if v == "" {
			return []string{at}
		}
	case map[string]any:
		var out []string
		for k, e := range v {
			out = append(out, emptyStrings(at+"."+k, e)...)
		}
		return out
	case []any:
		var out []string
		for i, e := range v {
			out = append(out, emptyStrings(fmt.Sprintf("%s[%d]", at, i), e)...)
		}
		return out
	}
	return nil
}
