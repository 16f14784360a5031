// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// transferReads counts the emulator's transfer reads (GET one, list).
func transferReads(w *accWorld) int {
	s := w.emu.Stats()
	return s.Requests["get GET"] + s.Requests["list GET"]
}

// A refresh sends no request for transfers in a final state (here both
// sides of a Complete transfer), whichever documented spelling the server
// uses for Complete (the TransferEntity page's "Completed" too), and a
// status = "Complete" filter finds them; PARTNERCENTER_REFRESH_FINAL=true
// reads them again. A Failed transfer is not final and is always re-read.
func TestAccTransfer_finalTransfersAreNotReread(t *testing.T) {
	for name, spelling := range map[string]string{"Complete": "", "Completed": "Completed"} {
		t.Run(name, func(t *testing.T) {
			testFinalTransfersAreNotReread(t, spelling)
		})
	}
}

func testFinalTransfersAreNotReread(t *testing.T, completedSpelling string) {
	t.Helper()
	w := newAccWorld(t, func(o *emulator.Options) { o.Wire.CompletedStatus = completedSpelling })
	both := w.providers() + w.targetRequest("") + w.adoptedRequest(lineItems(w.subs[0]))
	completeFilter := `
data "partnercenter_transfers" "complete" {
  provider    = partnercenter.target
  customer_id = partnercenter_transfer.request.customer_id
  status      = "Complete"
}
`
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: w.providers() + w.targetRequest("")},
			{Config: both},
			{
				// The target's state learns that its request completed.
				Config: both,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(requestAddr, attrPath("status"), knownvalue.StringExact(partnercenter.StatusComplete)),
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact(partnercenter.StatusComplete)),
				},
			},
			{
				PreConfig: func() { w.emu.ResetStats() },
				Config:    both,
				PlanOnly:  true,
			},
			{
				PreConfig: func() {
					// Nothing but each provider process's connection check.
					if s := w.emu.Stats(); !onlyConfigureRequests(s.Requests) {
						t.Errorf("a plan over two Complete transfers sent %d requests (%v), want only the connection checks", s.Total, s.Requests)
					}
					t.Setenv(envRefreshFinal, "true")
					w.emu.ResetStats()
				},
				Config:   both,
				PlanOnly: true,
			},
			{
				// An import always reads, even a final transfer.
				PreConfig: func() {
					if n := transferReads(w); n < 2 {
						t.Errorf("with %s=true a plan sent %d transfer reads, want both transfers read", envRefreshFinal, n)
					}
					t.Setenv(envRefreshFinal, "")
					w.emu.ResetStats()
				},
				Config:   both + importAgain,
				PlanOnly: true, // an import of an unchanged transfer is a no-op change
			},
			{
				PreConfig: func() {
					// The import is read by each plan the step runs; the two
					// final transfers by none (the steps before show 0).
					if n := transferReads(w); n == 0 {
						t.Errorf("a plan importing a Complete transfer sent no transfer read")
					}
				},
				Config:   both,
				PlanOnly: true,
			},
			{
				Config: both + completeFilter,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.partnercenter_transfers.complete", tfjsonpath.New("transfers"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.partnercenter_transfers.complete", listedAttr(0, "status"), knownvalue.StringExact(partnercenter.StatusComplete)),
					statecheck.CompareValuePairs("data.partnercenter_transfers.complete", listedAttr(0, "id"), requestAddr, attrPath("id"), compare.ValuesSame()),
				},
			},
		},
	})
}

// importAgain imports the adopted (Complete) transfer once more, as
// partnercenter_transfer.again.
const importAgain = `
import {
  provider = partnercenter.source
  to       = partnercenter_transfer.again
  id       = "${partnercenter_transfer.adopted.customer_id}/${partnercenter_transfer.adopted.id}"
}

resource "partnercenter_transfer" "again" {
  provider    = partnercenter.source
  customer_id = partnercenter_transfer.adopted.customer_id
}
`
