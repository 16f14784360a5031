// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

// Only Partner Center's documented "not found" (404, code 900100) removes a
// transfer from state. A 404 without it (a wrong endpoint path, a gateway),
// 401 and 403 are errors that keep the state: the next plan after the fault
// is empty, not a new request.
func TestAccTransfer_readKeepsStateUnlessReallyGone(t *testing.T) {
	for _, status := range []int{404, 401, 403} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			w := newAccWorld(t)
			cfg := w.providerBlock("target", w.target) + w.targetRequest("")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{Config: cfg},
					{
						PreConfig: func() {
							w.emu.SetFaults(emulator.Fault{Route: emulator.RouteGet, Method: "GET", Kind: emulator.FaultStatus, Status: status})
						},
						Config:      cfg,
						PlanOnly:    true,
						ExpectError: regexp.MustCompile(fmt.Sprintf(`Cannot read the transfer \(state kept\)[\s\S]*HTTP %d`, status)),
					},
					{
						PreConfig: func() { w.emu.SetFaults() },
						Config:    cfg,
						PlanOnly:  true, // state kept: nothing to create
					},
				},
			})
			if n := len(w.transfers()); n != 1 {
				t.Errorf("the emulator holds %d transfers, want the 1 request", n)
			}
		})
	}
}

// A provider configured for a partner that is neither side of the transfer
// says so, and keeps the state.
func TestAccTransfer_readByUninvolvedPartnerIsAnError(t *testing.T) {
	w := newAccWorld(t)
	third := newPartner("Tailspin Other Partner")
	if err := w.emu.AddPartner(third.seed()); err != nil {
		t.Fatal(err)
	}
	// Two partners: each alias needs its own provider process.
	cfg := w.providerBlock("target", w.target) + w.providerBlock("third", third) + w.targetRequest("")
	moved := regexp.MustCompile(`provider\s*=\s*partnercenter.target`).ReplaceAllString(cfg, "provider = partnercenter.third")
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				Config:      moved,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`neither the source[\s\S]*nor the target[\s\S]*state is kept`),
			},
			{
				Config:            cfg,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(requestAddr, attrPath("status"), knownvalue.StringExact("Pending"))},
			},
		},
	})
	if n := len(w.transfers()); n != 1 {
		t.Errorf("the emulator holds %d transfers, want the 1 request", n)
	}
}
