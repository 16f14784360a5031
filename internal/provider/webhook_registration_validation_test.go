// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// validatedRegistration is a registration with validate_delivery on.
func validatedRegistration(url string, events ...string) string {
	reg := webhookRegistration("events", "target", url, events...)
	return strings.Replace(reg, "  events   =", "  validate_delivery = true\n  events   =", 1)
}

// validate_delivery: a receiver that verifies the signature gets a
// test-created event on create and on update, and the correlation id is
// recorded; a receiver that refuses it fails the apply with its answer.
func TestAccWebhookRegistration_validateDelivery(t *testing.T) {
	w := newWebhookWorld(t)
	rcv := newEnvelopeReceiver(t, w.emu)
	refusing := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) { rw.WriteHeader(http.StatusForbidden) }))
	t.Cleanup(refusing.Close)
	testEvents := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			got, bad := rcv.envelopes()
			n := 0
			for _, e := range got {
				if e.EventName == "test-created" {
					n++
				}
			}
			if n != want || len(bad) > 0 {
				return fmt.Errorf("receiver got %d test events (want %d), bad signatures: %v", n, want, bad)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      w.providers() + validatedRegistration(rcv.srv.URL+"/hook", "complete-transfer"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)validate_delivery needs the test-created event`),
			},
			{
				Config: w.providers() + validatedRegistration(rcv.srv.URL+"/hook", "complete-transfer", "test-created"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, attrPath("validation_correlation_id"), knownvalue.StringRegexp(guidPattern)),
				},
				Check: testEvents(1),
			},
			{
				Config: w.providers() + validatedRegistration(rcv.srv.URL+"/hook2", "complete-transfer", "test-created"),
				Check:  testEvents(2),
			},
			{
				Config:      w.providers() + validatedRegistration(refusing.URL+"/hook", "complete-transfer", "test-created"),
				ExpectError: regexp.MustCompile(`(?s)did not accept the test event.*Forbidden`),
			},
		},
	})
	if n := w.emu.Stats().Count("webhook-validate", "POST"); n != 3 {
		t.Errorf("the emulator saw %d validation events, want 3 (create, update, failed update)", n)
	}
}
