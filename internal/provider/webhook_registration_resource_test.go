// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

const webhookAddr = "partnercenter_webhook_registration.events"

// newWebhookWorld is an accWorld whose webhook retries take milliseconds.
func newWebhookWorld(t *testing.T) *accWorld {
	t.Helper()
	w := newAccWorld(t)
	if err := w.emu.SetWebhookDelivery(emulator.WebhookDeliveryOptions{InitialBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	return w
}

// webhookRegistration renders a partnercenter_webhook_registration of the
// partner behind provider alias.
func webhookRegistration(name, alias, url string, events ...string) string {
	quoted := make([]string, len(events))
	for i, e := range events {
		quoted[i] = fmt.Sprintf("%q", e)
	}
	return fmt.Sprintf(`
resource "partnercenter_webhook_registration" %q {
  provider = partnercenter.%s
  url      = %q
  events   = [%s]
}
`, name, alias, url, strings.Join(quoted, ", "))
}

func eventsExact(names ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(names))
	for i, n := range names {
		checks[i] = knownvalue.StringExact(n)
	}
	return knownvalue.SetExact(checks)
}

// expectRegistration checks the emulator's copy of the target's registration.
func (w *accWorld) expectRegistration(url string, events ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reg, ok := w.emu.WebhookRegistration(w.target.TenantID)
		if !ok {
			return errors.New("the emulator has no registration for the target partner")
		}
		got := slices.Clone(reg.WebhookEvents)
		slices.Sort(got)
		want := slices.Clone(events)
		slices.Sort(want)
		if reg.WebhookURL != url || !slices.Equal(got, want) {
			return fmt.Errorf("emulator registration = %s %v, want %s %v", reg.WebhookURL, reg.WebhookEvents, url, events)
		}
		return nil
	}
}

func (w *accWorld) expectNoRegistration(*terraform.State) error {
	if reg, ok := w.emu.WebhookRegistration(w.target.TenantID); ok {
		return fmt.Errorf("the registration survived destroy: %+v", reg)
	}
	return nil
}

func TestAccWebhookRegistration_createUpdateImport(t *testing.T) {
	w := newWebhookWorld(t)
	provider := w.providerBlock("target", w.target)
	first := provider + webhookRegistration("events", "target", "https://hooks.fabrikam.example/pc", "create-transfer", "complete-transfer")
	moreEvents := provider + webhookRegistration("events", "target", "https://hooks.fabrikam.example/pc", partnercenter.TransferEvents...)
	newURL := provider + webhookRegistration("events", "target", "https://hooks2.fabrikam.example/pc?code=k", partnercenter.TransferEvents...)
	sameSubscriber := statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             w.expectNoRegistration,
		Steps: []resource.TestStep{
			{
				Config: first,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, attrPath("id"), knownvalue.StringExact("webhook-registration")),
					statecheck.ExpectKnownValue(webhookAddr, attrPath("url"), knownvalue.StringExact("https://hooks.fabrikam.example/pc")),
					statecheck.ExpectKnownValue(webhookAddr, attrPath("events"), eventsExact("create-transfer", "complete-transfer")),
					statecheck.ExpectKnownValue(webhookAddr, attrPath("subscriber_id"), knownvalue.StringRegexp(guidPattern)),
					sameSubscriber.AddStateValue(webhookAddr, attrPath("subscriber_id")),
				},
				Check: w.expectRegistration("https://hooks.fabrikam.example/pc", "create-transfer", "complete-transfer"),
			},
			{
				Config: moreEvents,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, attrPath("events"), eventsExact(partnercenter.TransferEvents...)),
					sameSubscriber.AddStateValue(webhookAddr, attrPath("subscriber_id")),
				},
				Check: w.expectRegistration("https://hooks.fabrikam.example/pc", partnercenter.TransferEvents...),
			},
			{
				Config: newURL,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, attrPath("url"), knownvalue.StringExact("https://hooks2.fabrikam.example/pc?code=k")),
					sameSubscriber.AddStateValue(webhookAddr, attrPath("subscriber_id")),
				},
				Check: w.expectRegistration("https://hooks2.fabrikam.example/pc?code=k", partnercenter.TransferEvents...),
			},
			{
				ResourceName:      webhookAddr,
				ImportState:       true,
				ImportStateId:     "webhook-registration",
				ImportStateVerify: true,
			},
			{
				ResourceName:  webhookAddr,
				ImportState:   true,
				ImportStateId: w.target.TenantID,
				ExpectError:   regexp.MustCompile(`Import the webhook registration with the ID "webhook-registration"`),
			},
		},
	})
	st := w.emu.Stats()
	if st.Count("webhook-create", "POST") != 1 || st.Count("webhook-update", "PUT") != 2 || st.Count("webhook-delete", "DELETE") != 1 {
		t.Errorf("want 1 POST, 2 PUTs (updates in place) and 1 DELETE, got %v", st.Requests)
	}
}

// A change made outside Terraform shows as an in-place update; a deleted
// registration is dropped from state and created again.
func TestAccWebhookRegistration_driftAndOutOfBandDeletion(t *testing.T) {
	w := newWebhookWorld(t)
	cfg := w.providerBlock("target", w.target) + webhookRegistration("events", "target", "https://hooks.fabrikam.example/pc", "complete-transfer", "fail-transfer")
	subscriber := statecheck.CompareValue(compare.ValuesSame())
	recreated := statecheck.CompareValue(compare.ValuesDiffer())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					subscriber.AddStateValue(webhookAddr, attrPath("subscriber_id")),
					recreated.AddStateValue(webhookAddr, attrPath("subscriber_id")),
				},
			},
			{
				PreConfig: func() {
					if _, err := w.emu.SetWebhookRegistration(w.target.TenantID, emulator.WebhookRegistration{
						WebhookURL: "https://elsewhere.example/hook", WebhookEvents: []string{"test-created"},
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					subscriber.AddStateValue(webhookAddr, attrPath("subscriber_id")),
					statecheck.ExpectKnownValue(webhookAddr, attrPath("events"), eventsExact("complete-transfer", "fail-transfer")),
				},
				Check: w.expectRegistration("https://hooks.fabrikam.example/pc", "complete-transfer", "fail-transfer"),
			},
			{
				PreConfig: func() {
					if !w.emu.DeleteWebhookRegistration(w.target.TenantID) {
						t.Fatal("no registration to delete")
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					recreated.AddStateValue(webhookAddr, attrPath("subscriber_id")),
				},
				Check: w.expectRegistration("https://hooks.fabrikam.example/pc", "complete-transfer", "fail-transfer"),
			},
		},
	})
}

// An existing registration (one per partner) is not overwritten by a
// create: the error says how to import it, and the import block works.
func TestAccWebhookRegistration_existingRegistrationIsImported(t *testing.T) {
	w := newWebhookWorld(t)
	existing, err := w.emu.SetWebhookRegistration(w.target.TenantID, emulator.WebhookRegistration{
		WebhookURL: "https://old.fabrikam.example/hook", WebhookEvents: []string{"create-transfer"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := w.providerBlock("target", w.target) + webhookRegistration("events", "target", "https://hooks.fabrikam.example/pc", partnercenter.TransferEvents...)
	imported := cfg + `
import {
  provider = partnercenter.target
  to       = partnercenter_webhook_registration.events
  id       = "webhook-registration"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Webhook registration already exists.*old\.fabrikam\.example.*id\s+= "webhook-registration"`),
			},
			{
				Config: imported,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, attrPath("subscriber_id"), knownvalue.StringExact(existing.SubscriberID)),
				},
				Check: w.expectRegistration("https://hooks.fabrikam.example/pc", partnercenter.TransferEvents...),
			},
		},
	})
}

func TestAccWebhookRegistration_validation(t *testing.T) {
	w := newAccWorld(t)
	provider := w.providerBlock("target", w.target)
	step := func(cfg, want string) resource.TestStep {
		return resource.TestStep{Config: provider + cfg, PlanOnly: true, ExpectError: regexp.MustCompile(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			step(webhookRegistration("events", "target", "hooks.fabrikam.example/pc", "create-transfer"), `(?s)Invalid webhook URL.*not an absolute URL`),
			step(webhookRegistration("events", "target", "http://hooks.fabrikam.example/pc?code=s3cr3t", "create-transfer"),
				`(?s)Invalid webhook URL.*"http://hooks.fabrikam.example/pc\?…" uses http.*only for loopback hosts`),
			step(webhookRegistration("events", "target", "ftp://hooks.fabrikam.example/pc", "create-transfer"), `(?s)Invalid webhook URL.*"ftp" scheme`),
			step(webhookRegistration("events", "target", "https://hooks.fabrikam.example/pc", "create-transfer", "transfer-created"),
				`(?s)Invalid Attribute Value Match.*transfer-created.*complete-transfer`),
			step(webhookRegistration("events", "target", "https://hooks.fabrikam.example/pc"), `(?s)events set must contain at least 1`),
			{
				// A receiver on this machine may use plain http.
				Config:             provider + webhookRegistration("events", "target", "http://127.0.0.1:8080/hook", "create-transfer"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	if n := w.emu.Stats().Count("webhook-create", ""); n != 0 {
		t.Errorf("a configuration rejected at plan time reached the service %d times", n)
	}
}

// envelopeReceiver is a local receiver that records every delivery and
// verifies its signature with the emulator's certificate.
type envelopeReceiver struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []partnercenter.WebhookEvent
	bad []string
}

func newEnvelopeReceiver(t *testing.T, emu *emulator.Emulator) *envelopeReceiver {
	t.Helper()
	certPEM, err := emu.WebhookCertificatePEM()
	if err != nil {
		t.Fatal(err)
	}
	cert, err := emulator.ParseWebhookCertificate(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	r := &envelopeReceiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var env partnercenter.WebhookEvent
		err := json.Unmarshal(body, &env)
		if err == nil {
			err = emulator.VerifyWebhookSignature(body, req.Header.Get("Authorization"), cert)
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if err != nil {
			r.bad = append(r.bad, err.Error())
			rw.WriteHeader(http.StatusUnauthorized)
			return
		}
		r.got = append(r.got, env)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *envelopeReceiver) envelopes() ([]partnercenter.WebhookEvent, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got), slices.Clone(r.bad)
}

// The whole story: both partners register a local receiver, the target
// requests a transfer, the source submits it, and each receiver gets the
// signed envelopes in order.
func TestAccWebhookRegistration_transferEventsReachTheReceivers(t *testing.T) {
	w := newWebhookWorld(t)
	targetRcv := newEnvelopeReceiver(t, w.emu)
	sourceRcv := newEnvelopeReceiver(t, w.emu)
	registrations := w.providers() +
		webhookRegistration("events", "target", targetRcv.srv.URL+"/partnercenter", partnercenter.TransferEvents...) +
		webhookRegistration("source_events", "source", sourceRcv.srv.URL+"/partnercenter", partnercenter.TransferEvents...)
	request := registrations + w.targetRequest("  depends_on = [partnercenter_webhook_registration.events, partnercenter_webhook_registration.source_events]")
	submitted := request + w.adoptedRequest(lineItems(w.subs[0]))
	want := []string{"create-transfer", "update-transfer", "complete-transfer"}

	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: request},
			{
				Config: submitted,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact("Complete")),
				},
				// Runs before destroy deletes the registrations. Both registrations
				// exist before the request (depends_on), so both see create-transfer.
				Check: func(*terraform.State) error {
					ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
					defer cancel()
					ds, err := w.emu.WaitForWebhookDeliveries(ctx, func(ds []emulator.WebhookDelivery) bool {
						done := 0
						for _, d := range ds {
							if d.State != emulator.WebhookPending {
								done++
							}
						}
						return done >= 2*len(want)
					})
					if err != nil {
						return fmt.Errorf("waiting for webhook deliveries: %w; deliveries: %+v", err, ds)
					}
					return nil
				},
			},
		},
	})

	transferID := w.transfers()[0].ID
	for name, rcv := range map[string]*envelopeReceiver{"target": targetRcv, "source": sourceRcv} {
		got, bad := rcv.envelopes()
		if len(bad) > 0 {
			t.Errorf("%s receiver rejected deliveries: %v", name, bad)
		}
		var names []string
		for _, env := range got {
			names = append(names, env.EventName)
			if env.ResourceURI != w.server.URL+"/v1/customers/"+w.customerID || !strings.Contains(env.AuditURI, "_"+transferID+"_") {
				t.Errorf("%s envelope does not lead to the transfer: %+v", name, env)
			}
		}
		if !slices.Equal(names, want) {
			t.Errorf("%s receiver got %v, want %v", name, names, want)
		}
	}
}
