// SPDX-License-Identifier: MPL-2.0

package snapshot

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// testPartner is a partner with one client-secret app.
type testPartner struct {
	TenantID, Name, Email, ClientID, ClientSecret string
}

func newTestPartner(name, email string) testPartner {
	return testPartner{TenantID: uuid.NewString(), Name: name, Email: email, ClientID: uuid.NewString(), ClientSecret: "secret-" + uuid.NewString()}
}

func (p testPartner) seed() emulator.Partner {
	return emulator.Partner{TenantID: p.TenantID, Name: p.Name, EmailID: p.Email,
		Apps: []fakeentra.App{{ClientID: p.ClientID, ClientSecret: p.ClientSecret}}}
}

// world is emulator A: a source partner (whose snapshot is taken) and a
// target partner, generated customers with add-ons, a customer with a
// trial, a suspended and an annual subscription, pending, canceled and
// completed requests.
type world struct {
	emu            *emulator.Emulator
	srv            *emulator.Server
	source, target testPartner
	// originals are names, domains and addresses an anonymized snapshot
	// must not contain.
	originals []string
	customers int
}

// special is the hand-written customer of every world.
const (
	specialName   = "Northwind Traders Ltd"
	specialDomain = "northwindtraders.onmicrosoft.com"
	specialEmail  = "it-admin@northwindtraders.example"
)

func newWorld(t *testing.T, generated int) *world {
	t.Helper()
	w := &world{
		source: newTestPartner("Contoso Old Partner", "transfers@contoso-old.example"),
		target: newTestPartner("Fabrikam New Partner", "transfers@fabrikam-new.example"),
	}
	emu, err := emulator.New(emulator.Options{Seed: emulator.Seed{Partners: []emulator.Partner{w.source.seed(), w.target.seed()}},
		Speed: 0, CompletionDelay: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := emu.GenerateCustomers(emulator.GenerateCustomers{Count: generated, NamePrefix: "Generated Customer",
		PartnerTenantIDs: []string{w.source.TenantID, w.target.TenantID}, OwnerPartnerTenantID: w.source.TenantID})
	if err != nil {
		t.Fatal(err)
	}
	for i := range generated {
		name := fmt.Sprintf("Generated Customer %05d", i+1)
		w.originals = append(w.originals, name, fmt.Sprintf("generatedcustomer%05d.onmicrosoft.com", i+1))
	}
	no := false
	special := emulator.Customer{ID: uuid.NewString(), Name: specialName, Domain: specialDomain, Email: specialEmail,
		PartnerTenantIDs: []string{w.source.TenantID, w.target.TenantID},
		Subscriptions: []emulator.Subscription{
			{ID: uuid.NewString(), OwnerPartnerTenantID: w.source.TenantID, ProductType: "OnlineServicesNCE", FriendlyName: "Northwind E3 (finance)",
				OfferID: "CFQ7TTC0LFLZ:0001", OfferName: "Microsoft 365 E3", BillingCycle: "annual", Quantity: 40, TermDuration: "P1Y",
				CommitmentEndDate: "2027-03-01T00:00:00Z", AutoRenew: &no,
				AddOns: []emulator.Subscription{{ID: uuid.NewString(), FriendlyName: "Northwind Teams Phone", OfferID: "CFQ7TTC0J1FV:0001", OfferName: "Teams Phone Standard", Quantity: 40}}},
			{ID: uuid.NewString(), OwnerPartnerTenantID: w.source.TenantID, ProductType: "OnlineServicesNCE", FriendlyName: "Northwind trial",
				OfferID: "CFQ7TTC0LCHC:0002", OfferName: "Microsoft 365 Business Premium", Quantity: 25, TermDuration: "P1M", IsTrial: true},
			{ID: uuid.NewString(), OwnerPartnerTenantID: w.source.TenantID, ProductType: "OnlineServicesNCE", FriendlyName: "Northwind suspended",
				OfferID: "CFQ7TTC0LH16:0001", OfferName: "Exchange Online (Plan 1)", Quantity: 5, Status: "suspended"},
			{ID: uuid.NewString(), OwnerPartnerTenantID: w.source.TenantID, ProductType: "AzureSubscription", FriendlyName: "Northwind Azure plan",
				OfferID: "DZH318Z0BPS6:0001"},
		}}
	if err := emu.AddCustomer(special); err != nil {
		t.Fatal(err)
	}
	w.originals = append(w.originals, specialName, specialDomain, specialEmail, "northwindtraders", "Northwind",
		w.source.Name, w.target.Name, w.source.Email, w.target.Email, "contoso-old.example", "fabrikam-new.example")
	ca, err := emulator.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(emu, "127.0.0.1:0", ca)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	w.emu, w.srv, w.customers = emu, srv, generated+1

	// Requests from the target: pending for the first three generated
	// customers and the special one, one canceled, one completed moving the
	// special customer's annual license.
	ctx := t.Context()
	target, source := w.client(t, srv, w.target), w.client(t, srv, w.source)
	create := func(customer string) *partnercenter.Transfer {
		tr, err := target.CreateTransfer(ctx, customer, partnercenter.CreateTransferRequest{
			SourcePartnerTenantID: w.source.TenantID, SourcePartnerName: w.source.Name, CustomerEmailID: specialEmail,
			CustomerName: specialName, TargetPartnerEmailID: w.target.Email, TransferType: partnercenter.TransferTypeNewCommerce})
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	for _, id := range ids[:min(3, len(ids))] {
		create(id)
	}
	create(special.ID)
	canceled := create(special.ID)
	if _, err := target.CancelTransfer(ctx, special.ID, partnercenter.CancelTransferRequest{ID: canceled.ID, Status: "Cancel"}); err != nil {
		t.Fatal(err)
	}
	moved := create(special.ID)
	if _, err := source.SubmitTransfer(ctx, special.ID, moved.ID,
		[]partnercenter.SubmitLineItem{{SubscriptionID: special.Subscriptions[0].ID, ProductType: "OnlineServicesNCE"}}); err != nil {
		t.Fatal(err)
	}
	emu.Advance(10 * time.Minute)
	if tr, _ := emu.Transfer(special.ID, moved.ID); tr.Status != "Complete" {
		t.Fatalf("set-up transfer is %s, want Complete", tr.Status)
	}
	return w
}

// client is the real client signed in as p on srv, with the real token
// provider.
func (w *world) client(t *testing.T, srv *emulator.Server, p testPartner) *partnercenter.Client {
	t.Helper()
	cfg := auth.Config{TenantID: p.TenantID, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: srv.URL, AuthorityHost: srv.URL + "/"}
	tokens, err := auth.NewTokenProvider(t.Context(), cfg, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	c, err := partnercenter.New(partnercenter.Options{Endpoint: cfg.ResolvedEndpoint(), Token: tokens, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// take snapshots the source partner of w.
func (w *world) take(t *testing.T, ctx context.Context, o Options) (emulator.Seed, error) {
	t.Helper()
	o.Client = w.client(t, w.srv, w.source)
	o.PartnerTenantID, o.ClientID = w.source.TenantID, w.source.ClientID
	return Take(ctx, o)
}

// partnerView is everything the source partner reads: customers, and per
// customer its subscriptions and transfers, decoded by the client.
type partnerView struct {
	Customers     []partnercenter.Customer
	Subscriptions map[string][]partnercenter.Subscription
	Transfers     map[string][]partnercenter.Transfer
}

func readView(t *testing.T, c *partnercenter.Client) partnerView {
	t.Helper()
	ctx := t.Context()
	v := partnerView{Subscriptions: map[string][]partnercenter.Subscription{}, Transfers: map[string][]partnercenter.Transfer{}}
	if err := c.ListCustomers(ctx, 0, func(cu partnercenter.Customer) error {
		v.Customers = append(v.Customers, cu)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, cu := range v.Customers {
		if err := c.ListSubscriptions(ctx, cu.ID, func(s partnercenter.Subscription) error {
			v.Subscriptions[cu.ID] = append(v.Subscriptions[cu.ID], s)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := c.ListTransfers(ctx, cu.ID, func(tr partnercenter.Transfer) error {
			v.Transfers[cu.ID] = append(v.Transfers[cu.ID], tr)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

// createRequest is the target's request for a customer of w.
func createRequest(w *world) partnercenter.CreateTransferRequest {
	return partnercenter.CreateTransferRequest{SourcePartnerTenantID: w.source.TenantID, CustomerEmailID: "it@customer.example",
		TransferType: partnercenter.TransferTypeNewCommerce}
}
