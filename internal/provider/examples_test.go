// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// The examples under examples/ are published (the registry documentation
// shows them, the guides embed them, `make demo` runs them), so every one of
// them runs here against the emulator with the example seed. Their GUIDs are
// the seed's, so they also run unchanged against `partnercenter-emulator`.

// examplesDir is the repository's examples directory, from this package.
var examplesDir = filepath.Join("..", "..", "examples")

// exampleTests lists, per example file, the test that runs it. A new
// example without an entry fails TestExamples_everyFileIsExercised.
var exampleTests = map[string]string{
	"demo/target/main.tf":                                        "TestAccExampleDemo",
	"demo/target/webhook.tf":                                     "TestAccExampleDemo",
	"demo/target/outputs.tf":                                     "TestAccExampleDemo",
	"demo/target/variables.tf":                                   "TestAccExampleDemo",
	"provider/provider.tf":                                       "TestAccExampleProvider",
	"resources/partnercenter_transfer/resource.tf":               "TestAccExampleTransferDocs",
	"resources/partnercenter_transfer/resource-source-submit.tf": "TestAccExampleTransferDocs",
	"resources/partnercenter_transfer/import-by-string-id.tf":    "TestAccExampleTransferDocs",
	"resources/partnercenter_transfer/import.sh":                 "TestAccExampleTransferDocs",
	"data-sources/partnercenter_transfer/data-source.tf":         "TestAccExampleTransferDocs",
	"data-sources/partnercenter_transfers/data-source.tf":        "TestAccExampleTransferDocs",
	"emulator/seed.json":                                         "the emulator package (its built-in seed is this file)",
	"adoption/main.tf":                                           "TestAccExampleAdoption",
	"adoption/outputs.tf":                                        "TestAccExampleAdoption",
	"adoption/variables.tf":                                      "TestAccExampleAdoption",
	"guides/what-happened-to-my-transfer/main.tf":                "TestAccExampleWhatHappened",
	"whole-partner/target/main.tf":                               "TestAccExampleWholePartner",
	"whole-partner/target/variables.tf":                          "TestAccExampleWholePartner",
	"whole-partner/target/outputs.tf":                            "TestAccExampleWholePartner",
	"whole-partner/target/customers.csv":                         "TestAccExampleWholePartner",
	"whole-partner/source/main.tf":                               "TestAccExampleWholePartner",
	"whole-partner/source/variables.tf":                          "TestAccExampleWholePartner",
	"whole-partner/source/outputs.tf":                            "TestAccExampleWholePartner",
	"merger/main.tf":                                             "TestAccExampleMerger",
	"merger/variables.tf":                                        "TestAccExampleMerger",
	"merger/outputs.tf":                                          "TestAccExampleMerger",
	"merger/customers.csv":                                       "TestAccExampleMerger",
	"resources/partnercenter_transfer_acceptance/resource.tf":    "TestAccTransferAcceptance_sourceAlone",
	"guides/reviewing-a-transfer-plan/plan.txt":                  "TestAccExampleReviewingATransferPlan",
	"guides/reviewing-a-transfer-plan/seat-limit/main.go":        "TestAccExampleReviewingATransferPlan",
}

// genericDocExample matches the documentation example files of resources
// and data sources that TestAccExampleOtherDocs runs when exampleTests does
// not name a dedicated test.
var genericDocExample = regexp.MustCompile(`^(resources/[a-z0-9_]+/(resource[^/]*\.tf|import\.sh|import-by-string-id\.tf)|data-sources/[a-z0-9_]+/data-source[^/]*\.tf)$`)

// exampleTestFor names the test that runs an example file, or "".
func exampleTestFor(rel string) string {
	if test, ok := exampleTests[rel]; ok {
		return test
	}
	if genericDocExample.MatchString(rel) {
		return "TestAccExampleOtherDocs"
	}
	return ""
}

// otherDocExamples groups the example files TestAccExampleOtherDocs runs by
// directory (a resource or data source type).
func otherDocExamples(t *testing.T) map[string][]string {
	t.Helper()
	byDir := map[string][]string{}
	for _, rel := range exampleFiles(t) {
		if _, dedicated := exampleTests[rel]; !dedicated && genericDocExample.MatchString(rel) {
			byDir[filepath.ToSlash(filepath.Dir(rel))] = append(byDir[filepath.ToSlash(filepath.Dir(rel))], filepath.Base(rel))
		}
	}
	return byDir
}

// exampleFiles lists every file under examples/ except Markdown, relative
// and with forward slashes.
func exampleFiles(t *testing.T) []string {
	t.Helper()
	files, err := listExampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// examplePlaceholderTransferID is the transfer ID the documentation examples
// use; the tests put the ID of a transfer the emulator created in its place.
const examplePlaceholderTransferID = "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11"

// examplePlaceholders are generic GUIDs some examples use, and the role in
// the example seed each one stands for.
var examplePlaceholders = map[string]string{
	"11111111-1111-1111-1111-111111111111": "customer",
	"22222222-2222-2222-2222-222222222222": "source",
	"33333333-3333-3333-3333-333333333333": "target",
}

var exampleGUIDPattern = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

// exampleWorld is an emulator serving the example seed, the one
// `partnercenter-emulator` and `make demo` use.
type exampleWorld struct {
	server     *emulator.Server
	emu        *emulator.Emulator
	target     testPartner
	source     testPartner
	customer   emulator.Customer
	submitSubs map[string]string // subscription ID => product type the demo submits
}

func newExampleWorld(t *testing.T) *exampleWorld {
	t.Helper()
	seed := emulator.DefaultSeed()
	w := &exampleWorld{submitSubs: map[string]string{}}
	partners := map[string]emulator.Partner{}
	for _, p := range seed.Partners {
		partners[p.TenantID] = p
	}
	w.customer = seed.Customers[0]
	owner := w.customer.Subscriptions[0].OwnerPartnerTenantID
	asTestPartner := func(p emulator.Partner) testPartner {
		return testPartner{TenantID: p.TenantID, Name: p.Name, ClientID: p.Apps[0].ClientID, ClientSecret: p.Apps[0].ClientSecret}
	}
	w.source = asTestPartner(partners[owner])
	for _, id := range w.customer.PartnerTenantIDs {
		if id != owner {
			w.target = asTestPartner(partners[id])
		}
	}
	for _, s := range w.customer.Subscriptions {
		if s.ProductType == partnercenter.ProductOnlineServicesNCE || s.ProductType == partnercenter.ProductAzureSubscription {
			w.submitSubs[s.ID] = s.ProductType
		}
	}
	if w.target.TenantID == "" || len(w.submitSubs) == 0 {
		t.Fatal("the example seed no longer has a target partner, a source partner and transferable subscriptions")
	}

	emu, err := emulator.New(emulator.Options{Seed: seed, Speed: 600})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(emu, "127.0.0.1:0", testCA)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	w.server, w.emu = srv, emu
	// The emulator's clock is fast; the examples keep the provider's
	// default poll schedule, the tests poll often.
	t.Setenv("PARTNERCENTER_POLL_INITIAL_INTERVAL", "200ms")
	t.Setenv("PARTNERCENTER_POLL_MAX_INTERVAL", "1s")
	return w
}

// actAs points the provider's environment variables at the emulator as
// partner p, the way a user runs the documentation examples.
func (w *exampleWorld) actAs(t *testing.T, p testPartner) {
	t.Helper()
	t.Setenv("PARTNERCENTER_ENDPOINT", w.server.URL)
	t.Setenv("PARTNERCENTER_AUTHORITY_HOST", w.server.URL+"/")
	t.Setenv("PARTNERCENTER_TENANT_ID", p.TenantID)
	t.Setenv("PARTNERCENTER_CLIENT_ID", p.ClientID)
	t.Setenv("PARTNERCENTER_CLIENT_SECRET", p.ClientSecret)
}

// transferStatus is the status the emulator holds for a transfer.
func (w *exampleWorld) transferStatus(id string) string {
	t, ok := w.emu.Transfer(w.customer.ID, id)
	if !ok {
		return "(missing)"
	}
	return t.Status
}

// readExample returns an example file with its placeholder GUIDs replaced
// by the example seed's and transferID.
func (w *exampleWorld) readExample(t *testing.T, rel, transferID string) string {
	t.Helper()
	src := exampleFile(t, rel)
	roles := map[string]string{"customer": w.customer.ID, "source": w.source.TenantID, "target": w.target.TenantID}
	text := strings.ReplaceAll(string(src), examplePlaceholderTransferID, transferID)
	for placeholder, role := range examplePlaceholders {
		text = strings.ReplaceAll(text, placeholder, roles[role])
	}
	return text
}

// exampleDirectory runs an example directory as it is, required_providers
// included: its source address must resolve to the provider under test.
func exampleDirectory(t *testing.T, rel string) config.TestStepConfigFunc {
	t.Helper()
	useExampleSourceAddress(t)
	return config.StaticDirectory(exampleDirPath(t, rel))
}

// useExampleSourceAddress serves the in-process provider under the source
// address examples declare, partnercenter-terraform/partnercenter.
func useExampleSourceAddress(t *testing.T) {
	t.Helper()
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "partnercenter-terraform")
	if strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu") {
		// OpenTofu resolves a short source address on its own registry.
		t.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	}
}

// The demo `make demo` runs, as a test: the target creates the request; the
// source discovers, adopts, submits and waits for it to complete; a second
// plan of each is empty; the target's refresh shows Complete; destroying
// both leaves the completed transfer untouched.
func TestAccExampleDemo(t *testing.T) {
	w := newExampleWorld(t)
	targetDir := exampleDirectory(t, "demo/target")
	sourceDir := exampleDirectory(t, "adoption")
	common := config.Variables{
		"customer_id":    config.StringVariable(w.customer.ID),
		"endpoint":       config.StringVariable(w.server.URL),
		"authority_host": config.StringVariable(w.server.URL + "/"),
	}
	with := func(vars config.Variables, p testPartner) config.Variables {
		out := config.Variables{
			"tenant_id":     config.StringVariable(p.TenantID),
			"client_id":     config.StringVariable(p.ClientID),
			"client_secret": config.StringVariable(p.ClientSecret),
		}
		for k, v := range common {
			out[k] = v
		}
		for k, v := range vars {
			out[k] = v
		}
		return out
	}
	targetVars := with(config.Variables{
		"source_partner_tenant_id": config.StringVariable(w.source.TenantID),
		"source_partner_name":      config.StringVariable(w.source.Name),
		"customer_email":           config.StringVariable(w.customer.Email),
		"customer_name":            config.StringVariable(w.customer.Name),
	}, w.target)
	// The adoption example submits every active new-commerce license and
	// Azure plan it finds: the seed's submitSubs.
	lineItemStatuses := map[string]knownvalue.Check{}
	for id := range w.submitSubs {
		lineItemStatuses[id] = knownvalue.StringExact(partnercenter.StatusComplete)
	}
	sourceVars := with(config.Variables{
		"target_partner_tenant_id": config.StringVariable(w.target.TenantID),
	}, w.source)

	const request = "partnercenter_transfer.northwind"
	var transferID string
	// The example has its own provider block, so the in-process provider
	// is given per step.
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		CheckDestroy:           w.expectCompleteAfterDestroy(&transferID),
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          targetDir,
				ConfigVariables:          targetVars,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(request, tfjsonpath.New("status"), knownvalue.StringExact(partnercenter.StatusPending)),
					statecheck.ExpectKnownValue(request, tfjsonpath.New("transfer_direction"), knownvalue.StringExact("incoming")),
					statecheck.ExpectKnownOutputValue("transfer_id", knownvalue.NotNull()),
				},
				Check: captureID(request, &transferID),
			},
			{
				PreConfig: func() {
					t.Run("source", func(t *testing.T) {
						w.runDemoSource(t, sourceDir, sourceVars, transferID, lineItemStatuses)
					})
				},
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          targetDir,
				ConfigVariables:          targetVars,
				// The refresh sees the transfer completed by the other
				// partner; nothing in the configuration changes.
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(request, tfjsonpath.New("status"), knownvalue.StringExact(partnercenter.StatusComplete)),
					statecheck.ExpectKnownValue(request, tfjsonpath.New("line_items"), knownvalue.MapSizeExact(len(w.submitSubs))),
				},
			},
		},
	})
	if n := w.emu.Stats().Count(emulator.RouteSubmit, "PATCH"); n != 1 {
		t.Errorf("the emulator saw %d submits, want exactly 1", n)
	}
}

// runDemoSource runs examples/adoption (the demo's source step) while the target's request is
// pending, and destroys it again.
func (w *exampleWorld) runDemoSource(t *testing.T, dir config.TestStepConfigFunc, vars config.Variables, transferID string, lineItemStatuses map[string]knownvalue.Check) {
	t.Helper()
	adopted := fmt.Sprintf("partnercenter_transfer.adopted[%q]", transferID)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		CheckDestroy:           w.expectCompleteAfterDestroy(&transferID),
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          dir,
				ConfigVariables:          vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(adopted, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("transfer_statuses", knownvalue.MapExact(map[string]knownvalue.Check{
						transferID: knownvalue.StringExact(partnercenter.StatusComplete),
					})),
					statecheck.ExpectKnownOutputValue("line_item_statuses", knownvalue.MapExact(map[string]knownvalue.Check{
						transferID: knownvalue.MapExact(lineItemStatuses),
					})),
				},
			},
			{
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          dir,
				ConfigVariables:          vars,
				ConfigPlanChecks:         resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Selecting another target partner drops the transfer from
				// the configuration: the source cannot cancel, so it is only
				// forgotten. (The test harness cannot read for_each
				// instances from state, so the case must also end without.)
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          dir,
				ConfigVariables:          withVariable(vars, "target_partner_tenant_id", config.StringVariable(uuid.NewString())),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(adopted, plancheck.ResourceActionDestroy),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("transfer_statuses", knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
			},
		},
	})
}

// withVariable returns vars with name set to v.
func withVariable(vars config.Variables, name string, v config.Variable) config.Variables {
	out := make(config.Variables, len(vars)+1)
	for k, val := range vars {
		out[k] = val
	}
	out[name] = v
	return out
}

// The provider example configures both partners, one of them from the
// environment; both must sign in to the emulator and read transfers.
func TestAccExampleProvider(t *testing.T) {
	w := newExampleWorld(t)
	w.actAs(t, w.target)
	// The example reads only the secret from the environment.
	for _, name := range []string{"PARTNERCENTER_TENANT_ID", "PARTNERCENTER_CLIENT_ID"} {
		t.Setenv(name, "")
	}
	example := w.readExample(t, "provider/provider.tf", "")
	uses := fmt.Sprintf(`
data "partnercenter_transfers" "as_target" {
  customer_id = %[1]q
}

data "partnercenter_transfers" "as_source" {
  provider    = partnercenter.source
  customer_id = %[1]q
}
`, w.customer.ID)
	resource.Test(t, resource.TestCase{
		// Two configurations of one provider need a process each.
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{{
			Config:          example + uses,
			ConfigVariables: config.Variables{"source_client_secret": config.StringVariable(w.source.ClientSecret)},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.partnercenter_transfers.as_target", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.partnercenter_transfers.as_source", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
	if got := w.emu.Stats().TokensIssued; got < 2 {
		t.Errorf("the emulator issued %d tokens, want one per partner at least", got)
	}
}

// The partnercenter_transfer and data source documentation examples, in the
// order a migration uses them: the target's request (resource.tf), the
// source's adoption and submission (resource-source-submit.tf), both import
// forms and both data sources once the transfer is complete.
func TestAccExampleTransferDocs(t *testing.T) {
	w := newExampleWorld(t)
	w.actAs(t, w.target)
	const request = "partnercenter_transfer.northwind"
	var transferID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             w.expectCompleteAfterDestroy(&transferID),
		Steps: []resource.TestStep{
			{
				Config: w.readExample(t, "resources/partnercenter_transfer/resource.tf", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(request, tfjsonpath.New("status"), knownvalue.StringExact(partnercenter.StatusPending)),
					statecheck.ExpectKnownValue(request, tfjsonpath.New("target_product_types"), knownvalue.SetSizeExact(2)),
					statecheck.ExpectKnownOutputValue("transfer_id", knownvalue.NotNull()),
				},
				Check: captureID(request, &transferID),
			},
			{
				PreConfig: func() {
					t.Run("source submits", func(t *testing.T) { w.runSourceSubmitExample(t, transferID) })
					t.Run("import", func(t *testing.T) { w.runImportExamples(t, transferID) })
					t.Run("data sources", func(t *testing.T) { w.runDataSourceExamples(t, transferID) })
				},
				Config:           w.readExample(t, "resources/partnercenter_transfer/resource.tf", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(request, tfjsonpath.New("status"), knownvalue.StringExact(partnercenter.StatusComplete)),
				},
			},
		},
	})
}

// runSourceSubmitExample adopts and submits the request as the source
// partner, exactly as resource-source-submit.tf shows.
func (w *exampleWorld) runSourceSubmitExample(t *testing.T, transferID string) {
	t.Helper()
	w.actAs(t, w.source)
	const adopted = "partnercenter_transfer.from_fabrikam"
	example := w.readExample(t, "resources/partnercenter_transfer/resource-source-submit.tf", transferID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             w.expectCompleteAfterDestroy(&transferID),
		Steps: []resource.TestStep{
			{
				Config: example,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(adopted, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adopted, tfjsonpath.New("id"), knownvalue.StringExact(transferID)),
					statecheck.ExpectKnownValue(adopted, tfjsonpath.New("status"), knownvalue.StringExact(partnercenter.StatusComplete)),
					statecheck.ExpectKnownValue(adopted, tfjsonpath.New("transfer_direction"), knownvalue.StringExact("outgoing")),
					statecheck.ExpectKnownValue(adopted, tfjsonpath.New("line_items"), knownvalue.MapSizeExact(2)),
				},
			},
			{
				Config:           example,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// importCommand matches the `terraform import ADDRESS ID` line of import.sh.
var importCommand = regexp.MustCompile(`(?m)^terraform import (\S+) (\S+)$`)

// runImportExamples imports the transfer with import-by-string-id.tf, then
// with the import.sh command, which must give the same state.
func (w *exampleWorld) runImportExamples(t *testing.T, transferID string) {
	t.Helper()
	w.actAs(t, w.target)
	const address = "partnercenter_transfer.example"
	example := w.readExample(t, "resources/partnercenter_transfer/import-by-string-id.tf", transferID) +
		fmt.Sprintf("\nresource \"partnercenter_transfer\" \"example\" {\n  customer_id = %q\n}\n", w.customer.ID)
	m := importCommand.FindStringSubmatch(w.readExample(t, "resources/partnercenter_transfer/import.sh", transferID))
	if m == nil {
		t.Fatal("import.sh has no `terraform import ADDRESS ID` line")
	}
	if m[1] != address {
		t.Fatalf("import.sh imports %s; the import block example imports %s", m[1], address)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             w.expectCompleteAfterDestroy(&transferID),
		Steps: []resource.TestStep{
			{
				Config: example,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact(transferID)),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("status"), knownvalue.StringExact(partnercenter.StatusComplete)),
				},
			},
			{
				// terraform import with the ID of import.sh, in the prior
				// step's configuration.
				ResourceName:      address,
				ImportState:       true,
				ImportStateId:     m[2],
				ImportStateVerify: true,
			},
		},
	})
}

// runDataSourceExamples reads the completed transfer with every data source
// example, as the target partner.
func (w *exampleWorld) runDataSourceExamples(t *testing.T, transferID string) {
	t.Helper()
	w.actAs(t, w.target)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: w.readExample(t, "data-sources/partnercenter_transfer/data-source.tf", transferID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("transfer_status", knownvalue.StringExact(partnercenter.StatusComplete)),
					statecheck.ExpectKnownOutputValue("line_item_statuses", knownvalue.MapSizeExact(2)),
				},
			},
			{
				Config: w.readExample(t, "data-sources/partnercenter_transfers/data-source.tf", transferID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("statuses", knownvalue.MapExact(map[string]knownvalue.Check{
						transferID: knownvalue.StringExact(partnercenter.StatusComplete),
					})),
					// As the target, no request waits for this partner's submission.
					statecheck.ExpectKnownOutputValue("waiting_transfer_ids", knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}

// The documentation examples of other resources and data sources: each
// resource example is applied as the target partner, then imported with its
// import.sh ID (and its import block checked against the same state), each
// data source example is read; afterwards the plan must be empty.
func TestAccExampleOtherDocs(t *testing.T) {
	byDir := otherDocExamples(t)
	if len(byDir) == 0 {
		t.Skip("every documentation example has a dedicated test")
	}
	w := newExampleWorld(t)
	w.actAs(t, w.target)
	dirs := make([]string, 0, len(byDir))
	for dir := range byDir {
		dirs = append(dirs, dir)
	}
	slices.Sort(dirs)
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			var main []string
			var importCmd, importBlock string
			for _, name := range byDir[dir] {
				text := w.readExample(t, dir+"/"+name, "")
				switch name {
				case "import.sh":
					importCmd = text
				case "import-by-string-id.tf":
					importBlock = text
				default:
					main = append(main, text)
				}
			}
			if len(main) == 0 {
				t.Fatalf("examples/%s has import examples but no resource example to import", dir)
			}
			cfg := strings.Join(main, "\n")
			steps := []resource.TestStep{
				{Config: cfg},
				{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			}
			if importCmd != "" {
				m := importCommand.FindStringSubmatch(importCmd)
				if m == nil {
					t.Fatalf("examples/%s/import.sh has no `terraform import ADDRESS ID` line", dir)
				}
				steps = append(steps, resource.TestStep{ResourceName: m[1], ImportState: true, ImportStateId: m[2], ImportStateVerify: true})
			}
			if importBlock != "" {
				steps = append(steps, resource.TestStep{
					Config:           cfg + "\n" + importBlock,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				})
			}
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
		})
	}
}

// captureID records a resource's ID from state.
func captureID(address string, id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s is not in state", address)
		}
		*id = rs.Primary.ID
		return nil
	}
}

// expectCompleteAfterDestroy checks that destroying left the transfer
// Complete in Partner Center: a completed transfer cannot be cancelled, so
// destroy only forgets it.
func (w *exampleWorld) expectCompleteAfterDestroy(id *string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := w.transferStatus(*id); got != partnercenter.StatusComplete {
			return fmt.Errorf("after destroy transfer %s is %s, want Complete", *id, got)
		}
		return nil
	}
}

// Every example file is run by some test (or is data the emulator uses).
func TestExamples_everyFileIsExercised(t *testing.T) {
	for _, rel := range exampleFiles(t) {
		if exampleTestFor(rel) == "" {
			t.Errorf("examples/%s is not run by any test: add a test and list it in exampleTests", rel)
		}
	}
	for rel := range exampleTests {
		if _, err := os.Stat(filepath.Join(examplesDir, filepath.FromSlash(rel))); err != nil {
			t.Errorf("exampleTests lists examples/%s, which does not exist", rel)
		}
	}
}

// The documentation examples use the example seed's IDs (or a placeholder
// the tests map onto it), so they run unchanged against the emulator and a
// reader can follow them with `partnercenter-emulator`.
func TestExamples_useExampleSeedIDs(t *testing.T) {
	seed := emulator.DefaultSeed()
	known := map[string]bool{examplePlaceholderTransferID: true}
	for g := range examplePlaceholders {
		known[g] = true
	}
	for _, p := range seed.Partners {
		known[strings.ToLower(p.TenantID)] = true
		for _, a := range p.Apps {
			known[strings.ToLower(a.ClientID)] = true
		}
	}
	for _, c := range seed.Customers {
		known[strings.ToLower(c.ID)] = true
		for _, s := range c.Subscriptions {
			known[strings.ToLower(s.ID)] = true
			for _, a := range s.AddOns {
				known[strings.ToLower(a.ID)] = true
			}
		}
	}
	for _, rel := range exampleFiles(t) {
		if test := exampleTestFor(rel); !strings.HasPrefix(test, "TestAcc") || strings.HasPrefix(rel, "adoption/") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(examplesDir, filepath.FromSlash(rel))) // #nosec G304 -- the repository's own example files.
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range exampleGUIDPattern.FindAllString(string(src), -1) {
			if !known[strings.ToLower(g)] {
				t.Errorf("examples/%s uses GUID %s, which is neither an ID of examples/emulator/seed.json nor a placeholder the tests map", rel, g)
			}
		}
	}
}
