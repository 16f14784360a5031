// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

func stringsExact(names []string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(names))
	for i, n := range names {
		checks[i] = knownvalue.StringExact(n)
	}
	return knownvalue.ListExact(checks)
}

func TestAccWebhookEvents_listsWhatTheServiceOffers(t *testing.T) {
	w := newAccWorld(t)
	const addr = "data.partnercenter_webhook_events.offered"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: w.providerBlock("target", w.target) + `
data "partnercenter_webhook_events" "offered" {
  provider = partnercenter.target
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, attrPath("events"), stringsExact(emulator.WebhookEventNames())),
				statecheck.ExpectKnownValue(addr, attrPath("transfer_events"),
					stringsExact([]string{"create-transfer", "update-transfer", "complete-transfer", "fail-transfer"})),
			},
		}},
	})
	if n := w.emu.Stats().Count("webhook-events", "GET"); n == 0 {
		t.Error("the data source did not call GET /webhooks/v1/registration/events")
	}
}
