// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// transferVariety names the transfers arrangeTransferVariety creates, in
// creation (and so created_time) order.
type transferVariety struct {
	expired, pending, typeFive, complete, canceled, reverse string
}

// all lists every transfer in created_time order.
func (v transferVariety) all() []string {
	return []string{v.expired, v.pending, v.typeFive, v.complete, v.canceled, v.reverse}
}

// partnerAPIClient is an API client authenticated as p, for arranging
// transfers without going through Terraform.
func partnerAPIClient(t *testing.T, w *accWorld, p testPartner) *partnercenter.Client {
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

// createRequest creates a transfer request as requester, taking the
// customer's subscriptions from owner, then moves the emulator clock on a
// minute so every request has its own created_time.
func createRequest(t *testing.T, w *accWorld, requester *partnercenter.Client, owner testPartner, transferType int) string {
	t.Helper()
	created, err := requester.CreateTransfer(t.Context(), w.customerID, partnercenter.CreateTransferRequest{
		SourcePartnerTenantID: owner.TenantID, SourcePartnerName: owner.Name,
		CustomerEmailID: "it@northwind.example", CustomerName: "Northwind Traders", TransferType: transferType,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.emu.Advance(time.Minute)
	return created.ID
}

// arrangeTransferVariety creates one transfer of each kind the filters tell
// apart. Seen by the target partner:
//
//	expired   Expired   incoming type 3 source=w.source
//	pending   Pending   incoming type 3 source=w.source
//	typeFive  Pending   incoming type 5 source=w.source
//	complete  Complete  incoming type 3 source=w.source (w.subs[0] moved)
//	canceled  Canceled  incoming type 3 source=w.source
//	reverse   Pending   outgoing type 3 source=w.target (requested by w.source)
func arrangeTransferVariety(t *testing.T, w *accWorld) transferVariety {
	t.Helper()
	target, source := partnerAPIClient(t, w, w.target), partnerAPIClient(t, w, w.source)
	var v transferVariety
	v.expired = createRequest(t, w, target, w.source, partnercenter.TransferTypeNewCommerce)
	w.emu.Advance(31 * 24 * time.Hour)
	v.pending = createRequest(t, w, target, w.source, partnercenter.TransferTypeNewCommerce)
	v.typeFive = createRequest(t, w, target, w.source, partnercenter.TransferTypeNewCommerceAlt)
	v.complete = createRequest(t, w, target, w.source, partnercenter.TransferTypeNewCommerce)
	if _, err := source.SubmitTransfer(t.Context(), w.customerID, v.complete, []partnercenter.SubmitLineItem{
		{SubscriptionID: w.subs[0], ProductType: partnercenter.ProductOnlineServicesNCE},
	}); err != nil {
		t.Fatal(err)
	}
	v.canceled = createRequest(t, w, target, w.source, partnercenter.TransferTypeNewCommerce)
	if _, err := target.CancelTransfer(t.Context(), w.customerID, partnercenter.CancelTransferRequest{ID: v.canceled}); err != nil {
		t.Fatal(err)
	}
	v.reverse = createRequest(t, w, source, w.target, partnercenter.TransferTypeNewCommerce)
	w.emu.Advance(time.Hour) // the submitted transfer completes
	return v
}

// Local provider names of the partners in the data source and example
// tests. Under the test harness every provider configuration of one local
// name is served by the same in-process server, and the framework keeps one
// configuration per server, so aliases of "partnercenter" would all act as
// whichever partner was configured last. A local name per partner gives
// each its own server, as separate plugin processes do in real runs.
const (
	targetProvider   = "partnercentertarget"
	sourceProvider   = "partnercentersource"
	outsiderProvider = "partnercenteroutsider"
)

// partnerProviderFactories serves the provider under every local name the
// data source and example tests use.
var partnerProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"partnercenter":  NewServer("test"),
	targetProvider:   NewServer("test"),
	sourceProvider:   NewServer("test"),
	outsiderProvider: NewServer("test"),
}

// partnerProviderBlock renders the provider configuration of partner p
// under local name.
func partnerProviderBlock(w *accWorld, name string, p testPartner) string {
	return fmt.Sprintf(`
provider %q {
  tenant_id             = %q
  client_id             = %q
  client_secret         = %q
  endpoint              = %q
  authority_host        = %q
  poll_initial_interval = "200ms"
  poll_max_interval     = "1s"
}
`, name, p.TenantID, p.ClientID, p.ClientSecret, w.server.URL, w.server.URL+"/")
}

// partnerProviders renders the target's and the source's provider blocks.
func partnerProviders(w *accWorld) string {
	return partnerProviderBlock(w, targetProvider, w.target) + partnerProviderBlock(w, sourceProvider, w.source)
}

// transfersData renders a partnercenter_transfers data source read through
// the provider with local name provider.
func transfersData(name, provider, customerID, filters string) string {
	return fmt.Sprintf(`
data "partnercenter_transfers" %q {
  provider    = %s
  customer_id = %q
%s
}
`, name, provider, customerID, filters)
}

func idsExact(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(ids))
	for _, id := range ids {
		checks = append(checks, knownvalue.StringExact(id))
	}
	return knownvalue.ListExact(checks)
}

func listedAttr(i int, names ...string) tfjsonpath.Path {
	p := tfjsonpath.New("transfers").AtSliceIndex(i)
	for _, n := range names {
		p = p.AtMapKey(n)
	}
	return p
}

// Every page is read, in both list shapes, and every field of the resource
// comes back in a stable order.
func TestAccTransfersDataSource_pagingAndFields(t *testing.T) {
	for _, tc := range []struct {
		shape string
		pages int
	}{
		{emulator.ListShapeCollection, 3}, // 6 transfers, 2 per page
		{emulator.ListShapeArray, 1},
	} {
		t.Run(tc.shape, func(t *testing.T) {
			w := newAccWorld(t, func(o *emulator.Options) { o.PageSize = 2; o.ListShape = tc.shape })
			v := arrangeTransferVariety(t, w)
			const all = "data.partnercenter_transfers.all"
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: partnerProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig: w.emu.ResetStats,
					Config:    partnerProviders(w) + transfersData("all", targetProvider, w.customerID, ""),
					// Check runs after one plan and apply: exactly one read.
					Check: func(*terraform.State) error {
						if n := w.emu.Stats().Count(emulator.RouteList, "GET"); n != tc.pages {
							return fmt.Errorf("one read of the data source made %d list requests, want %d (one per page)", n, tc.pages)
						}
						return nil
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(all, tfjsonpath.New("ids"), idsExact(v.all()...)),
						statecheck.ExpectKnownValue(all, tfjsonpath.New("transfers"), knownvalue.ListSizeExact(6)),
						statecheck.ExpectKnownValue(all, listedAttr(0, "status"), knownvalue.StringExact("Expired")),
						statecheck.ExpectKnownValue(all, listedAttr(1, "id"), knownvalue.StringExact(v.pending)),
						statecheck.ExpectKnownValue(all, listedAttr(1, "status"), knownvalue.StringExact("Pending")),
						statecheck.ExpectKnownValue(all, listedAttr(1, "customer_id"), knownvalue.StringExact(w.customerID)),
						statecheck.ExpectKnownValue(all, listedAttr(1, "source_partner_tenant_id"), knownvalue.StringExact(w.source.TenantID)),
						statecheck.ExpectKnownValue(all, listedAttr(1, "source_partner_name"), knownvalue.StringExact(w.source.Name)),
						statecheck.ExpectKnownValue(all, listedAttr(1, "target_partner_tenant_id"), knownvalue.StringExact(w.target.TenantID)),
						statecheck.ExpectKnownValue(all, listedAttr(1, "target_partner_name"), knownvalue.StringExact(w.target.Name)),
						statecheck.ExpectKnownValue(all, listedAttr(1, "customer_email"), knownvalue.StringExact("it@northwind.example")),
						statecheck.ExpectKnownValue(all, listedAttr(1, "transfer_direction"), knownvalue.StringExact("incoming")),
						statecheck.ExpectKnownValue(all, listedAttr(1, "transfer_type"), knownvalue.Int64Exact(3)),
						statecheck.ExpectKnownValue(all, listedAttr(1, "line_items"), knownvalue.MapSizeExact(0)),
						statecheck.ExpectKnownValue(all, listedAttr(1, "target_product_types"), knownvalue.Null()),
						statecheck.ExpectKnownValue(all, listedAttr(1, "expiration_time"), knownvalue.NotNull()),
						statecheck.ExpectKnownValue(all, listedAttr(1, "completed_time"), knownvalue.Null()),
						statecheck.ExpectKnownValue(all, listedAttr(2, "transfer_type"), knownvalue.Int64Exact(5)),
						statecheck.ExpectKnownValue(all, listedAttr(3, "status"), knownvalue.StringExact("Complete")),
						statecheck.ExpectKnownValue(all, listedAttr(3, "completed_time"), knownvalue.NotNull()),
						statecheck.ExpectKnownValue(all, listedAttr(3, "line_items"), knownvalue.MapSizeExact(1)),
						statecheck.ExpectKnownValue(all, listedAttr(3, "line_items", w.subs[0], "status"), knownvalue.StringExact("Complete")),
						statecheck.ExpectKnownValue(all, listedAttr(3, "line_items", w.subs[0], "product_type"), knownvalue.StringExact("OnlineServicesNCE")),
						statecheck.ExpectKnownValue(all, listedAttr(3, "line_items", w.subs[0], "friendly_name"), knownvalue.StringExact("Microsoft 365 E3 #1")),
						statecheck.ExpectKnownValue(all, listedAttr(3, "line_items", w.subs[0], "quantity"), knownvalue.Int64Exact(10)),
						statecheck.ExpectKnownValue(all, listedAttr(3, "line_items", w.subs[0], "order_id"), knownvalue.NotNull()),
						statecheck.ExpectKnownValue(all, listedAttr(3, "line_items", w.subs[0], "add_ons"), knownvalue.ListSizeExact(1)),
						statecheck.ExpectKnownValue(all, listedAttr(4, "status"), knownvalue.StringExact("Canceled")),
						statecheck.ExpectKnownValue(all, listedAttr(5, "transfer_direction"), knownvalue.StringExact("outgoing")),
						statecheck.ExpectKnownValue(all, listedAttr(5, "source_partner_tenant_id"), knownvalue.StringExact(w.target.TenantID)),
					},
				}},
			})
		})
	}
}

// Each filter on its own and combined, from both partners' points of
// view, and empty results as empty lists.
func TestAccTransfersDataSource_filters(t *testing.T) {
	w := newAccWorld(t, func(o *emulator.Options) { o.PageSize = 2 })
	v := arrangeTransferVariety(t, w)
	freshCustomer := uuid.NewString()
	if err := w.emu.AddCustomer(emulator.Customer{ID: freshCustomer, Name: "Tailspin Toys", PartnerTenantIDs: []string{w.target.TenantID, w.source.TenantID}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, provider, filters string
		want                    []string
	}{
		{"pending", targetProvider, `  status = "Pending"`, []string{v.pending, v.typeFive, v.reverse}},
		{"complete", targetProvider, `  status = "Complete"`, []string{v.complete}},
		{"canceled", targetProvider, `  status = "Canceled"`, []string{v.canceled}},
		{"expired", targetProvider, `  status = "Expired"`, []string{v.expired}},
		{"failed", targetProvider, `  status = "Failed"`, []string{}},
		{"outgoing", targetProvider, `  direction = "outgoing"`, []string{v.reverse}},
		{"incoming", targetProvider, `  direction = "incoming"`, []string{v.expired, v.pending, v.typeFive, v.complete, v.canceled}},
		{"source_view_incoming", sourceProvider, `  direction = "incoming"`, []string{v.reverse}},
		{"source_view_outgoing_pending", sourceProvider, "  direction = \"outgoing\"\n  status = \"Pending\"", []string{v.pending, v.typeFive}},
		{"type5", targetProvider, `  transfer_type = 5`, []string{v.typeFive}},
		{"from_source_any_case", targetProvider, fmt.Sprintf(`  source_partner_tenant_id = %q`, strings.ToUpper(w.source.TenantID)),
			[]string{v.expired, v.pending, v.typeFive, v.complete, v.canceled}},
		{"from_target", targetProvider, fmt.Sprintf(`  source_partner_tenant_id = %q`, w.target.TenantID), []string{v.reverse}},
		{"combined", targetProvider, "  status = \"Pending\"\n  direction = \"incoming\"\n  transfer_type = 3", []string{v.pending}},
	}
	cfg := partnerProviders(w) + transfersData("fresh", sourceProvider, freshCustomer, "")
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.partnercenter_transfers.fresh", tfjsonpath.New("transfers"), knownvalue.ListExact([]knownvalue.Check{})),
		statecheck.ExpectKnownValue("data.partnercenter_transfers.fresh", tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{})),
	}
	for _, tc := range cases {
		cfg += transfersData(tc.name, tc.provider, w.customerID, tc.filters)
		addr := "data.partnercenter_transfers." + tc.name
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("ids"), idsExact(tc.want...)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("transfers"), knownvalue.ListSizeExact(len(tc.want))))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: partnerProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      partnerProviders(w) + transfersData("bad", targetProvider, w.customerID, `  status = "pending"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)value must be one of.*"Pending"`),
			},
			{
				Config:      partnerProviders(w) + transfersData("bad", targetProvider, w.customerID, `  direction = "inbound"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)value must be one of.*"incoming"`),
			},
			// Last, so the final destroy runs with a valid configuration.
			{Config: cfg, ConfigStateChecks: checks},
		},
	})
}

// A customer the partner has no reseller relationship with is a clear
// error naming the customer, not an empty list.
func TestAccTransfersDataSource_noRelationship(t *testing.T) {
	w := newAccWorld(t)
	stranger := uuid.NewString()
	if err := w.emu.AddCustomer(emulator.Customer{ID: stranger, Name: "Wide World Importers", PartnerTenantIDs: []string{w.target.TenantID}}); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: partnerProviderFactories,
		Steps: []resource.TestStep{{
			Config:      partnerProviders(w) + transfersData("stranger", sourceProvider, stranger, ""),
			ExpectError: regexp.MustCompile(`(?s)No reseller relationship with customer ` + stranger + `.*20002.*What to do`),
		}},
	})
}

// Both data sources expose exactly the resource's fields with the model's
// types, and document every attribute.
func TestTransferDataSourceSchemasMatchResource(t *testing.T) {
	ctx := t.Context()
	want := types.ObjectType{AttrTypes: transferAttrTypes}

	var list datasource.SchemaResponse
	NewTransfersDataSource().Schema(ctx, datasource.SchemaRequest{}, &list)
	nested, ok := list.Schema.Attributes["transfers"].(dsschema.ListNestedAttribute)
	if !ok {
		t.Fatalf("transfers is %T, want a list nested attribute", list.Schema.Attributes["transfers"])
	}
	if got := nested.NestedObject.Type(); !got.Equal(want) {
		t.Errorf("transfers element type = %s, want %s", got, want)
	}

	var single datasource.SchemaResponse
	NewTransferDataSource().Schema(ctx, datasource.SchemaRequest{}, &single)
	if got := single.Schema.Type(); !got.Equal(want) {
		t.Errorf("partnercenter_transfer type = %s, want %s", got, want)
	}

	var res fwresource.SchemaResponse
	NewTransferResource().Schema(ctx, fwresource.SchemaRequest{}, &res)
	for name := range res.Schema.Attributes {
		if slices.Contains(resourceOnlyAttributes, name) {
			continue // the resource's own arguments and plan record, not fields of a transfer
		}
		if _, ok := single.Schema.Attributes[name]; !ok {
			t.Errorf("the resource exposes %q but the data sources do not", name)
		}
	}

	for name, s := range map[string]dsschema.Schema{"partnercenter_transfers": list.Schema, "partnercenter_transfer": single.Schema} {
		if s.MarkdownDescription == "" {
			t.Errorf("%s has no MarkdownDescription", name)
		}
		for _, missing := range undocumentedDataSourceAttrs(name, s.Attributes) {
			t.Errorf("%s has no MarkdownDescription", missing)
		}
	}
}

// undocumentedDataSourceAttrs lists the attributes, nested ones included, that lack a
// MarkdownDescription.
func undocumentedDataSourceAttrs(prefix string, attrs map[string]dsschema.Attribute) []string {
	var out []string
	for name, a := range attrs {
		p := prefix + "." + name
		if a.GetMarkdownDescription() == "" {
			out = append(out, p)
		}
		switch n := a.(type) {
		case dsschema.ListNestedAttribute:
			out = append(out, undocumentedDataSourceAttrs(p, n.NestedObject.Attributes)...)
		case dsschema.MapNestedAttribute:
			out = append(out, undocumentedDataSourceAttrs(p, n.NestedObject.Attributes)...)
		}
	}
	return out
}
