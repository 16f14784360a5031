// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

// List resources and `terraform query` need Terraform 1.14+ (OpenTofu 1.12
// has neither); CI's Terraform >= 1.14 leg fails if these tests skip.
var queryCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// transferListBlock renders a list "partnercenter_transfer" block.
func transferListBlock(name, alias, customerID, filters string) string {
	return transferListScanBlock(name, alias, fmt.Sprintf("    customer_id = %q\n%s", customerID, filters))
}

// transferListScanBlock is a list block with config as written: without
// customer_id the list scans customers like the data source.
func transferListScanBlock(name, alias, config string) string {
	return fmt.Sprintf(`
list "partnercenter_transfer" %q {
  provider         = partnercenter.%s
  include_resource = true
  config {
%s
  }
}
`, name, alias, config)
}

// Both partners see the same request through the list resource: the source
// as outgoing, named after the customer and the target partner; the target
// as incoming, named after the source partner. Filters work as in the data
// source.
func TestAccTransferList_Query(t *testing.T) {
	w := newAccWorld(t)
	target := w.providers() + w.targetRequest("")
	resource.Test(t, resource.TestCase{
		ExternalProviders:      externalProviders(t),
		TerraformVersionChecks: queryCLIs,
		Steps: []resource.TestStep{
			{Config: target},
			{
				Query: true,
				Config: transferListBlock("outgoing", "source", w.customerID, `    direction = "outgoing"`) +
					transferListBlock("incoming", "target", w.customerID, `    direction = "incoming"`) +
					transferListBlock("done", "source", w.customerID, `    status = "Complete"`) +
					transferListBlock("from_source", "target", w.customerID, fmt.Sprintf(`    source_partner_tenant_id = %q`, strings.ToUpper(w.source.TenantID))) +
					transferListBlock("to_target", "source", w.customerID, fmt.Sprintf(`    target_partner_tenant_id = %q`, w.target.TenantID)) +
					transferListBlock("to_nobody", "source", w.customerID, fmt.Sprintf(`    target_partner_tenant_id = %q`, w.source.TenantID)) +
					transferListScanBlock("every_customer", "source", `    direction = "outgoing"`) +
					transferListScanBlock("some_customers", "target", fmt.Sprintf("    customer_ids = [%q, %q]\n    direction = \"incoming\"", w.customerID, w.customerID)),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("partnercenter_transfer.outgoing", 1),
					querycheck.ExpectLength("partnercenter_transfer.incoming", 1),
					querycheck.ExpectLength("partnercenter_transfer.done", 0),
					querycheck.ExpectLength("partnercenter_transfer.from_source", 1),
					// Without customer_id every customer of the partner is scanned.
					querycheck.ExpectLength("partnercenter_transfer.to_target", 1),
					querycheck.ExpectLength("partnercenter_transfer.to_nobody", 0),
					querycheck.ExpectLength("partnercenter_transfer.every_customer", 1),
					querycheck.ExpectLength("partnercenter_transfer.some_customers", 1),
					querycheck.ExpectIdentity("partnercenter_transfer.every_customer", map[string]knownvalue.Check{
						"customer_id": knownvalue.StringExact(w.customerID), "id": knownvalue.StringRegexp(guidPattern),
					}),
					querycheck.ExpectIdentity("partnercenter_transfer.outgoing", map[string]knownvalue.Check{
						"customer_id": knownvalue.StringExact(w.customerID), "id": knownvalue.StringRegexp(guidPattern),
					}),
					querycheck.ExpectResourceDisplayName("partnercenter_transfer.outgoing", nil,
						knownvalue.StringExact("Northwind Traders · to "+w.target.Name+" · Pending")),
					querycheck.ExpectResourceDisplayName("partnercenter_transfer.incoming", nil,
						knownvalue.StringExact("Northwind Traders · from "+w.source.Name+" · Pending")),
					querycheck.ExpectResourceKnownValues("partnercenter_transfer.outgoing", queryfilter.ByDisplayName(knownvalue.StringRegexp(regexp.MustCompile(`Pending$`))),
						[]querycheck.KnownValueCheck{
							{Path: attrPath("status"), KnownValue: knownvalue.StringExact(partnercenter.StatusPending)},
							{Path: attrPath("source_partner_tenant_id"), KnownValue: knownvalue.StringExact(w.source.TenantID)},
							// Null, so -generate-config-out leaves it out.
							{Path: attrPath("line_items"), KnownValue: knownvalue.Null()},
						}),
				},
			},
		},
	})
}

// The source partner's adoption workflow: `terraform query
// -generate-config-out` writes import and resource blocks for the outgoing
// request; with line_items added, applying them submits the transfer.
func TestAccTransferList_QueryGenerateConfigAdopts(t *testing.T) {
	w := newAccWorld(t)
	target := w.providers() + w.targetRequest("")
	var generated, adoptDir string
	// A ConfigDirectory step names its providers in its own files, so the
	// provider binary comes from the filesystem mirror, not ExternalProviders.
	mirrored := externalProviders(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: queryCLIs,
		Steps: []resource.TestStep{
			{Config: target, ExternalProviders: mirrored},
			{
				// Evaluated more than once, the first time while the test
				// case is validated, before step 1 created the request: the
				// query runs once the request exists.
				ConfigDirectory: func(config.TestStepConfigRequest) string {
					if adoptDir != "" {
						return adoptDir
					}
					if len(w.transfers()) == 0 {
						return w.adoptDirectory(t, target, "")
					}
					generated = w.generateAdoptConfig(t)
					adoptDir = w.adoptDirectory(t, target, withLineItems(t, generated, lineItems(w.subs[0])))
					return adoptDir
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(requestAddr, plancheck.ResourceActionNoop),
				}},
				Check: func(*terraform.State) error {
					ts := w.transfers()
					if len(ts) != 1 || ts[0].Status != partnercenter.StatusComplete || len(ts[0].LineItems) != 1 {
						return fmt.Errorf("want the one request submitted with 1 line item and Complete, got %+v", ts)
					}
					return nil
				},
			},
		},
	})
	t.Logf("terraform query -generate-config-out wrote:\n%s", generated)
	for _, want := range []string{"import {", "identity = {", `resource "partnercenter_transfer"`, "partnercenter.source", w.customerID} {
		if !strings.Contains(generated, want) {
			t.Errorf("generated configuration lacks %q:\n%s", want, generated)
		}
	}
}

// generateAdoptConfig runs `terraform query -generate-config-out` as the
// source partner, in a scratch directory, and returns what it wrote.
func (w *accWorld) generateAdoptConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": requiredProvidersBlock() + w.providerBlock("source", w.source),
		"adopt.tfquery.hcl": transferListBlock("outgoing", "source", w.customerID, `    direction = "outgoing"
    status    = "Pending"`),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	var queryOutput []byte
	for _, args := range [][]string{{"init", "-input=false", "-no-color"}, {"query", "-no-color", "-generate-config-out=adopt.tf"}} {
		cmd := exec.CommandContext(t.Context(), cli, args...) //nolint:gosec // G702: the CLI under test, from TF_ACC_TERRAFORM_PATH.
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", args[0], err, out)
		}
		queryOutput = out
	}
	out, err := os.ReadFile(filepath.Join(dir, "adopt.tf"))
	if err != nil {
		t.Fatalf("terraform query wrote no adopt.tf (%v); query output:\n%s", err, queryOutput)
	}
	return string(out)
}

// adoptDirectory is a configuration directory with the target's request and
// the source's generated adoption, for a ConfigDirectory step.
func (w *accWorld) adoptDirectory(t *testing.T, target, adopt string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(requiredProvidersBlock()+target), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "adopt.tf"), []byte(adopt), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func requiredProvidersBlock() string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    partnercenter = {
      source  = %q
      version = %q
    }
  }
}
`, cliProviderSource(), mirrorVersion)
}

var generatedLineItems = regexp.MustCompile(`(?m)^\s*line_items\s*=\s*\{\s*\}\s*$`)

// withLineItems is what the source partner does to generated configuration:
// give the (empty) line_items the subscriptions to transfer.
func withLineItems(t *testing.T, generated, items string) string {
	t.Helper()
	if generatedLineItems.MatchString(generated) {
		return generatedLineItems.ReplaceAllLiteralString(generated, items)
	}
	// The generated line_items is null, so left out: add it at the end of
	// the resource block (the import block may follow it).
	start := strings.Index(generated, `resource "partnercenter_transfer"`)
	if start < 0 {
		t.Fatalf("generated configuration has no partnercenter_transfer resource block:\n%s", generated)
	}
	depth := 0
	for i := start; i < len(generated); i++ {
		switch generated[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return generated[:i] + items + generated[i:]
			}
		}
	}
	t.Fatalf("generated resource block is not closed:\n%s", generated)
	return ""
}

// The list resource streams: it stops reading at the request's limit, or
// when Terraform stops reading, without another request.
func TestTransferListStopsAtLimit(t *testing.T) {
	w := newAccWorld(t)
	client := partnerAPIClient(t, w, w.target)
	customers := []string{w.customerID, uuid.NewString()}
	if err := w.emu.AddCustomer(emulator.Customer{ID: customers[1], Name: "Tailspin", PartnerTenantIDs: []string{w.target.TenantID, w.source.TenantID}}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(customers) // customer_ids are read in sorted order
	const first = 2*emulator.DefaultPageSize + 50
	for i := range first + 1 {
		customer := customers[0]
		if i == first {
			customer = customers[1]
		}
		if _, err := client.CreateTransfer(t.Context(), customer, partnercenter.CreateTransferRequest{
			SourcePartnerTenantID: w.source.TenantID, SourcePartnerName: w.source.Name, CustomerEmailID: "it@northwind.example", TransferType: 3,
		}); err != nil {
			t.Fatal(err)
		}
	}
	r := &transferListResource{data: &providerData{client: client, transfers: transfers.New(client, w.target.TenantID, wait.Poller{})}}
	ctx := t.Context()
	var configSchema list.ListResourceSchemaResponse
	r.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &configSchema)
	var resourceSchema fwresource.SchemaResponse
	NewTransferResource().Schema(ctx, fwresource.SchemaRequest{}, &resourceSchema)
	var identitySchema fwresource.IdentitySchemaResponse
	(&transferResource{}).IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, &identitySchema)

	cases := []struct {
		name      string
		limit     int64
		stopAfter int // Terraform stops reading after this many; 0 never
		want      int
		wantLists int
	}{
		{"limit 1", 1, 0, 1, 1},
		{"limit of one page", emulator.DefaultPageSize, 0, emulator.DefaultPageSize, 1},
		{"limit one past a page", emulator.DefaultPageSize + 1, 0, emulator.DefaultPageSize + 1, 2},
		{"limit into the second customer", first + 1, 0, first + 1, 4},
		{"Terraform stops reading", 0, 3, 3, 1},
		{"no limit", 0, 0, first + 1, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			config := tftypes.NewValue(configSchema.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
				"customer_id":              tftypes.NewValue(tftypes.String, nil),
				"customer_ids":             tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, customers[0]), tftypes.NewValue(tftypes.String, customers[1])}),
				"scan_concurrency":         tftypes.NewValue(tftypes.Number, 1),
				"status":                   tftypes.NewValue(tftypes.String, nil),
				"direction":                tftypes.NewValue(tftypes.String, "incoming"),
				"transfer_type":            tftypes.NewValue(tftypes.Number, nil),
				"source_partner_tenant_id": tftypes.NewValue(tftypes.String, nil),
				"target_partner_tenant_id": tftypes.NewValue(tftypes.String, nil),
			})
			req := list.ListRequest{
				Config: tfsdk.Config{Schema: configSchema.Schema, Raw: config}, Limit: tc.limit,
				ResourceSchema: resourceSchema.Schema, ResourceIdentitySchema: identitySchema.IdentitySchema,
			}
			var stream list.ListResultsStream
			r.List(ctx, req, &stream)
			w.emu.ResetStats()
			got := 0
			for result := range stream.Results {
				if result.Diagnostics.HasError() {
					t.Fatal(result.Diagnostics)
				}
				var id transferIdentityModel
				if d := result.Identity.Get(ctx, &id); d.HasError() || id.ID.ValueString() == "" {
					t.Fatalf("identity %v %v", id, d)
				}
				if got++; got == tc.stopAfter {
					break
				}
			}
			if lists := w.emu.Stats().Requests["list GET"]; got != tc.want || lists != tc.wantLists {
				t.Fatalf("%d results with %d list GETs, want %d with %d", got, lists, tc.want, tc.wantLists)
			}
		})
	}
}

// The data source and the list resource take the same query: the same
// attributes, types, descriptions and validators.
func TestTransferQuerySchemaShared(t *testing.T) {
	ctx := t.Context()
	var ds datasource.SchemaResponse
	NewTransfersDataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	var ls list.ListResourceSchemaResponse
	(&transferListResource{}).ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &ls)
	if len(ls.Schema.Attributes) != len(queryAttributes()) {
		t.Fatalf("list config has %d attributes, the query %d", len(ls.Schema.Attributes), len(queryAttributes()))
	}
	validators := func(a any) string {
		var out []string
		if v, ok := a.(interface{ StringValidators() []validator.String }); ok {
			for _, x := range v.StringValidators() {
				out = append(out, x.Description(ctx))
			}
		}
		if v, ok := a.(interface{ ListValidators() []validator.List }); ok {
			for _, x := range v.ListValidators() {
				out = append(out, x.Description(ctx))
			}
		}
		if v, ok := a.(interface{ Int64Validators() []validator.Int64 }); ok {
			for _, x := range v.Int64Validators() {
				out = append(out, x.Description(ctx))
			}
		}
		return strings.Join(out, "; ")
	}
	for name, l := range ls.Schema.Attributes {
		d, ok := ds.Schema.Attributes[name]
		switch {
		case !ok:
			t.Errorf("%s: in the list resource only", name)
		case !d.GetType().Equal(l.GetType()) || d.GetMarkdownDescription() != l.GetMarkdownDescription() || !d.IsOptional() || !l.IsOptional():
			t.Errorf("%s differs: %s %q vs %s %q", name, d.GetType(), d.GetMarkdownDescription(), l.GetType(), l.GetMarkdownDescription())
		case validators(d) != validators(l) || validators(d) == "":
			t.Errorf("%s validators differ or are missing: %q vs %q", name, validators(d), validators(l))
		}
	}
}

// A Pending request's result has null line_items, so the configuration
// -generate-config-out writes leaves them out; a submitted one keeps them.
func TestTransferListResultLineItems(t *testing.T) {
	ctx := t.Context()
	var resourceSchema fwresource.SchemaResponse
	NewTransferResource().Schema(ctx, fwresource.SchemaRequest{}, &resourceSchema)
	var identitySchema fwresource.IdentitySchemaResponse
	(&transferResource{}).IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, &identitySchema)
	req := list.ListRequest{IncludeResource: true, ResourceSchema: resourceSchema.Schema, ResourceIdentitySchema: identitySchema.IdentitySchema}
	for _, tc := range []struct {
		items []partnercenter.TransferLineItem
		null  bool
	}{
		{nil, true},
		{[]partnercenter.TransferLineItem{{SubscriptionID: uuid.NewString(), ProductType: partnercenter.ProductOnlineServicesNCE}}, false},
	} {
		result := transferListResult(ctx, req, transfers.Listed{CustomerID: uuid.NewString(), Transfer: &transfers.Transfer{Transfer: partnercenter.Transfer{
			ID: uuid.NewString(), Status: partnercenter.StatusPending, TransferType: 3, LineItems: tc.items}}})
		if result.Diagnostics.HasError() {
			t.Fatal(result.Diagnostics)
		}
		var items types.Map
		if d := result.Resource.GetAttribute(ctx, path.Root("line_items"), &items); d.HasError() {
			t.Fatal(d)
		}
		if items.IsNull() != tc.null || !tc.null && len(items.Elements()) != 1 {
			t.Errorf("%d line items: line_items = %s", len(tc.items), items)
		}
	}
}
