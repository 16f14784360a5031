// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/snapshot"
)

// A snapshot of emulator A (generated customers with add-ons, a trial, a
// suspended subscription, pending and canceled requests) seeds emulator B,
// and the customers, customer_subscriptions and transfers data sources,
// read through the CLI, give the source partner identical state from both.
func TestAccSnapshot_dataSourcesIdenticalOnACopy(t *testing.T) {
	w := newAccWorld(t)
	ctx := t.Context()
	ids, err := w.emu.GenerateCustomers(emulator.GenerateCustomers{Count: 4, NamePrefix: "Tailspin",
		PartnerTenantIDs: []string{w.target.TenantID, w.source.TenantID}, OwnerPartnerTenantID: w.source.TenantID})
	if err != nil {
		t.Fatal(err)
	}
	special := emulator.Customer{ID: uuid.NewString(), Name: "Wide World Importers", PartnerTenantIDs: []string{w.target.TenantID, w.source.TenantID},
		Subscriptions: []emulator.Subscription{
			{ID: uuid.NewString(), OwnerPartnerTenantID: w.source.TenantID, ProductType: "OnlineServicesNCE", FriendlyName: "Trial",
				OfferID: "CFQ7TTC0LCHC:0002", OfferName: "Microsoft 365 Business Premium", Quantity: 25, TermDuration: "P1M", IsTrial: true},
			{ID: uuid.NewString(), OwnerPartnerTenantID: w.source.TenantID, ProductType: "OnlineServicesNCE", FriendlyName: "Suspended",
				OfferID: "CFQ7TTC0LH16:0001", OfferName: "Exchange Online (Plan 1)", Quantity: 5, Status: "suspended",
				CommitmentEndDate: "2027-02-01T00:00:00Z"},
		}}
	if err := w.emu.AddCustomer(special); err != nil {
		t.Fatal(err)
	}
	target := accClient(t, w.server, w.target)
	for _, customer := range []string{w.customerID, ids[0], special.ID} {
		if _, err := target.CreateTransfer(ctx, customer, partnercenter.CreateTransferRequest{SourcePartnerTenantID: w.source.TenantID,
			CustomerEmailID: "it@customer.example", TransferType: partnercenter.TransferTypeNewCommerce}); err != nil {
			t.Fatal(err)
		}
	}
	canceled, err := target.CreateTransfer(ctx, ids[1], partnercenter.CreateTransferRequest{SourcePartnerTenantID: w.source.TenantID,
		CustomerEmailID: "it@customer.example", TransferType: partnercenter.TransferTypeNewCommerce})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := target.CancelTransfer(ctx, ids[1], partnercenter.CancelTransferRequest{ID: canceled.ID, Status: "Cancel"}); err != nil {
		t.Fatal(err)
	}

	seed, err := snapshot.Take(ctx, snapshot.Options{Client: accClient(t, w.server, w.source), PartnerTenantID: w.source.TenantID, ClientID: w.source.ClientID})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "partner.json")
	if err := snapshot.WriteFile(path, seed); err != nil {
		t.Fatal(err)
	}
	loaded, err := emulator.LoadSeed(path)
	if err != nil {
		t.Fatal(err)
	}
	rehearsal, err := loaded.ForRehearsal(emulator.Rehearsal{Other: w.target.seed()})
	if err != nil {
		t.Fatal(err)
	}
	emuB, err := emulator.New(emulator.Options{Seed: rehearsal})
	if err != nil {
		t.Fatal(err)
	}
	srvB, err := emulator.Start(emuB, "127.0.0.1:0", testCA)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srvB.Close() })

	asSourceB := w.source
	asSourceB.ClientSecret = emulator.DefaultSnapshotClientSecret
	fromA := readDataSources(t, w.server, w.source)
	fromB := readDataSources(t, srvB, asSourceB)
	if len(fromA) != 1+1+6 { // customers, transfers, one subscription list per customer
		t.Fatalf("read %d data sources from A, want 8", len(fromA))
	}
	if n := fromA["data.partnercenter_transfers.all"]["transfers.#"]; n != "4" {
		t.Fatalf("A lists %s transfers, want 4", n)
	}
	if !reflect.DeepEqual(fromA, fromB) {
		for name, attrs := range fromA {
			for k, v := range attrs {
				if fromB[name][k] != v {
					t.Errorf("%s.%s: A %q, B %q", name, k, v, fromB[name][k])
				}
			}
			if len(attrs) != len(fromB[name]) {
				t.Errorf("%s: %d attributes from A, %d from B", name, len(attrs), len(fromB[name]))
			}
		}
		t.Fatal("the data sources differ between the emulator and its snapshot")
	}
}

// readDataSources reads the three data sources as partner p of srv through
// the CLI and returns every data source's attributes.
func readDataSources(t *testing.T, srv *emulator.Server, p testPartner) map[string]map[string]string {
	t.Helper()
	got := map[string]map[string]string{}
	config := fmt.Sprintf(`
provider "partnercenter" {
  tenant_id      = %q
  client_id      = %q
  client_secret  = %q
  endpoint       = %q
  authority_host = %q
}

data "partnercenter_customers" "all" {}

data "partnercenter_customer_subscriptions" "each" {
  count       = length(data.partnercenter_customers.all.ids)
  customer_id = data.partnercenter_customers.all.ids[count.index]
}

data "partnercenter_transfers" "all" {}
`, p.TenantID, p.ClientID, p.ClientSecret, srv.URL, srv.URL+"/")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(s *terraform.State) error {
				names := make([]string, 0, len(s.RootModule().Resources))
				for name, r := range s.RootModule().Resources {
					got[name] = r.Primary.Attributes
					names = append(names, name)
				}
				sort.Strings(names)
				t.Logf("read %v", names)
				return nil
			},
		}},
	})
	return got
}

// accClient is the real client signed in as p on srv.
func accClient(t *testing.T, srv *emulator.Server, p testPartner) *partnercenter.Client {
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
