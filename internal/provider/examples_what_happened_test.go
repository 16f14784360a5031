// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// exampleAPIClient is an API client of the example world authenticated as p.
func (w *exampleWorld) exampleAPIClient(t *testing.T, p testPartner) *partnercenter.Client {
	t.Helper()
	tokens, err := auth.NewTokenProvider(t.Context(), auth.Config{
		TenantID: p.TenantID, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		Endpoint: w.server.URL, AuthorityHost: w.server.URL + "/",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	client, err := partnercenter.New(partnercenter.Options{Endpoint: w.server.URL, Token: tokens, RetryMax: -1})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// The guide "What happened to my transfer?": a transfer is created,
// submitted and completed while the target has a webhook registration; the
// guide's configuration then explains it from the transfer, the audit
// records and the complete-transfer notification's AuditUri.
func TestAccExampleWhatHappened(t *testing.T) {
	w := newExampleWorld(t)
	receiver := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(receiver.Close)
	if _, err := w.emu.SetWebhookRegistration(w.target.TenantID, emulator.WebhookRegistration{
		WebhookURL: receiver.URL, WebhookEvents: partnercenter.TransferEvents,
	}); err != nil {
		t.Fatal(err)
	}
	target, source := w.exampleAPIClient(t, w.target), w.exampleAPIClient(t, w.source)
	created, err := target.CreateTransfer(t.Context(), w.customer.ID, partnercenter.CreateTransferRequest{
		SourcePartnerTenantID: w.source.TenantID, SourcePartnerName: w.source.Name,
		CustomerEmailID: "it@northwind.example", CustomerName: w.customer.Name, TransferType: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	var items []partnercenter.SubmitLineItem
	for id, productType := range w.submitSubs {
		items = append(items, partnercenter.SubmitLineItem{SubscriptionID: id, ProductType: productType})
	}
	if _, err := source.SubmitTransfer(t.Context(), w.customer.ID, created.ID, items); err != nil {
		t.Fatal(err)
	}
	w.emu.Advance(emulator.DefaultCompletionDelay)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	deliveries, err := w.emu.WaitForWebhookDeliveries(ctx, func(ds []emulator.WebhookDelivery) bool {
		return slices.ContainsFunc(ds, func(d emulator.WebhookDelivery) bool {
			return d.Envelope.EventName == partnercenter.EventCompleteTransfer && d.State == emulator.WebhookDelivered
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var auditURI string
	for _, d := range deliveries {
		if d.Envelope.EventName == partnercenter.EventCompleteTransfer {
			auditURI = d.Envelope.AuditURI
		}
	}
	t.Setenv("TF_VAR_audit_uri", auditURI)
	t.Setenv("TF_VAR_transfer_id", created.ID)
	useExampleSourceAddress(t) // the example declares its required_providers

	w.actAs(t, w.target)
	cfg := w.readExample(t, "guides/what-happened-to-my-transfer/main.tf", created.ID)
	lineItems := map[string]knownvalue.Check{}
	for id := range w.submitSubs {
		lineItems[id] = knownvalue.StringExact(partnercenter.StatusComplete)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("status", knownvalue.StringExact(partnercenter.StatusComplete)),
					statecheck.ExpectKnownOutputValue("timeline", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringRegexp(regexp.MustCompile(`create_transfer -> Pending by ` + w.target.ClientID + `$`)),
						knownvalue.StringRegexp(regexp.MustCompile(`update_transfer -> InProgress by ` + w.source.ClientID + `$`)),
						knownvalue.StringRegexp(regexp.MustCompile(`update_transfer -> Complete by FulfillmentService$`)),
					})),
					statecheck.ExpectKnownOutputValue("line_items", knownvalue.MapExact(lineItems)),
					statecheck.ExpectKnownOutputValue("notified_change", knownvalue.StringRegexp(regexp.MustCompile(`update_transfer -> Complete$`))),
				},
			},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}
