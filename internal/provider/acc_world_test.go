// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// testCA is shared by every emulator of the test binary: Go reads
// SSL_CERT_FILE once per process, so the CA must exist before any TLS
// connection is made.
var testCA *emulator.CA

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "partnercenter-acc-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	testCA, err = emulator.NewCA()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := testCA.WritePEM(caFile); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// TestMain has no *testing.T; this must precede the first TLS handshake.
	if err := os.Setenv("SSL_CERT_FILE", caFile); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Tests with two partners run the real provider binary (see
	// externalProviders), installed from a local filesystem mirror; the CLI
	// config also replaces a TF_CLI_CONFIG_FILE that points at a missing
	// file, which OpenTofu rejects.
	mirrorDir = filepath.Join(dir, "mirror")
	cliConfig := filepath.Join(dir, "terraform.tfrc")
	if err := os.WriteFile(cliConfig, []byte(fmt.Sprintf(cliConfigTemplate, mirrorDir, providerSource, openTofuSource, providerSource, openTofuSource)), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.Setenv("TF_CLI_CONFIG_FILE", cliConfig); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	// Each example file's claiming test must have read it (examples_read_test.go).
	if problems := unreadExamples(); code == 0 && len(problems) > 0 {
		fmt.Fprintln(os.Stderr, "FAIL: example files claimed but not read:\n  "+strings.Join(problems, "\n  "))
		return 1
	}
	return code
}

const (
	providerSource = "registry.terraform.io/partnercenter-terraform/partnercenter"
	// openTofuSource is where OpenTofu resolves the short source address
	// "partnercenter-terraform/partnercenter" that examples use.
	openTofuSource = "registry.opentofu.org/partnercenter-terraform/partnercenter"
	// mirrorVersion is the version the locally built binary is installed as.
	mirrorVersion     = "99.0.0"
	cliConfigTemplate = `provider_installation {
  filesystem_mirror {
    path    = %q
    include = [%q, %q]
  }
  direct {
    exclude = [%q, %q]
  }
}
disable_checkpoint = true
`
)

var (
	mirrorDir      string
	buildOnce      sync.Once
	buildErr       error
	buildBinaryDur time.Duration
)

// externalProviders makes Terraform start the provider binary itself, one
// process per provider configuration. Tests whose configuration has both a
// target and a source partner need it: with in-process factories every alias
// is served by the same provider server, and the last Configure would win.
func externalProviders(t *testing.T) map[string]resource.ExternalProvider {
	t.Helper()
	buildOnce.Do(func() {
		started := time.Now()
		binary := "terraform-provider-partnercenter_v" + mirrorVersion
		platform := runtime.GOOS + "_" + runtime.GOARCH
		dest := filepath.Join(mirrorDir, providerSource, mirrorVersion, platform, binary)
		goBin, err := exec.LookPath("go")
		if err != nil {
			goBin = "/usr/local/go/bin/go"
		}
		cmd := exec.CommandContext(t.Context(), goBin, "build", "-o", dest, "-ldflags", "-X main.version="+mirrorVersion, ".")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the provider for the filesystem mirror: %w\n%s", err, out)
		} else {
			buildErr = linkInto(dest, filepath.Join(mirrorDir, openTofuSource, mirrorVersion, platform, binary))
		}
		buildBinaryDur = time.Since(started)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return map[string]resource.ExternalProvider{"partnercenter": {Source: cliProviderSource(), VersionConstraint: mirrorVersion}}
}

// cliProviderSource is the full address the CLI under test gives the short
// source "partnercenter-terraform/partnercenter": OpenTofu resolves it on its
// own registry host, and a configuration must not mix the two addresses.
func cliProviderSource() string {
	if strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu") {
		return openTofuSource
	}
	return providerSource
}

// testPartner is one partner organisation with its app credentials.
type testPartner struct {
	TenantID, Name, ClientID, ClientSecret string
}

// accWorld is one emulator with a target and a source partner, and a
// customer whose subscriptions the source owns.
type accWorld struct {
	t          *testing.T
	server     *emulator.Server
	emu        *emulator.Emulator
	target     testPartner
	source     testPartner
	customerID string
	subs       []string // license subscriptions owned by the source
	azureSub   string   // an Azure subscription owned by the source
}

func newPartner(name string) testPartner {
	return testPartner{TenantID: uuid.NewString(), Name: name, ClientID: uuid.NewString(), ClientSecret: "s3cr3t-" + uuid.NewString()}
}

// newAccWorld starts an emulator over HTTPS with a fresh world. Emulated
// time runs 600x faster than real time, so a 5-minute completion takes half
// a second.
func newAccWorld(t *testing.T, tune ...func(*emulator.Options)) *accWorld {
	t.Helper()
	w := &accWorld{t: t, target: newPartner("Fabrikam New Partner"), source: newPartner("Contoso Old Partner"), customerID: uuid.NewString()}
	for range 3 {
		w.subs = append(w.subs, uuid.NewString())
	}
	w.azureSub = uuid.NewString()
	subs := []emulator.Subscription{}
	for i, id := range w.subs {
		s := emulator.Subscription{ID: id, OwnerPartnerTenantID: w.source.TenantID, ProductType: partnercenter.ProductOnlineServicesNCE,
			FriendlyName: fmt.Sprintf("Microsoft 365 E3 #%d", i+1), BillingCycle: "monthly", Quantity: 10 + i, OfferID: "CFQ7TTC0LFLZ:0001"}
		if i == 0 {
			s.AddOns = []emulator.Subscription{{ID: uuid.NewString(), ProductType: partnercenter.ProductOnlineServicesNCE, FriendlyName: "Teams Phone", BillingCycle: "monthly", Quantity: 10}}
		}
		subs = append(subs, s)
	}
	subs = append(subs, emulator.Subscription{ID: w.azureSub, OwnerPartnerTenantID: w.source.TenantID, ProductType: partnercenter.ProductAzureSubscription, FriendlyName: "Azure plan", BillingCycle: "monthly", Quantity: 1})
	opts := emulator.Options{
		Seed: emulator.Seed{
			Partners: []emulator.Partner{w.target.seed(), w.source.seed()},
			Customers: []emulator.Customer{{
				ID: w.customerID, Name: "Northwind Traders", Email: "it@northwind.example",
				PartnerTenantIDs: []string{w.target.TenantID, w.source.TenantID}, Subscriptions: subs,
			}},
		},
		Speed:           600,
		CompletionDelay: 5 * time.Minute,
	}
	for _, f := range tune {
		f(&opts)
	}
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(emu, "127.0.0.1:0", testCA)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	w.server, w.emu = srv, emu
	return w
}

func (p testPartner) seed() emulator.Partner {
	return emulator.Partner{TenantID: p.TenantID, Name: p.Name, Apps: []fakeentra.App{{TenantID: p.TenantID, ClientID: p.ClientID, ClientSecret: p.ClientSecret}}}
}

// providers returns provider blocks for both partners: partnercenter.target
// and partnercenter.source.
func (w *accWorld) providers() string {
	return w.providerBlock("target", w.target) + w.providerBlock("source", w.source)
}

func (w *accWorld) providerBlock(alias string, p testPartner) string {
	return fmt.Sprintf(`
provider "partnercenter" {
  alias                 = %q
  tenant_id             = %q
  client_id             = %q
  client_secret         = %q
  endpoint              = %q
  authority_host        = %q
  poll_initial_interval = "200ms"
  poll_max_interval     = "1s"
}
`, alias, p.TenantID, p.ClientID, p.ClientSecret, w.server.URL, w.server.URL+"/")
}

// targetRequest is the target partner's transfer request resource,
// partnercenter_transfer.request.
func (w *accWorld) targetRequest(extra string) string {
	const name = "request"
	return fmt.Sprintf(`
resource "partnercenter_transfer" %q {
  provider                 = partnercenter.target
  customer_id              = %q
  source_partner_tenant_id = %q
  source_partner_name      = %q
  customer_email           = "it@northwind.example"
  customer_name            = "Northwind Traders"
%s
}
`, name, w.customerID, w.source.TenantID, w.source.Name, extra)
}

// lineItems renders a line_items map of license subscriptions.
func lineItems(ids ...string) string {
	var b strings.Builder
	b.WriteString("  line_items = {\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "    %q = { product_type = \"OnlineServicesNCE\" }\n", id)
	}
	b.WriteString("  }\n")
	return b.String()
}

// adoptedRequest is the source partner's adoption, partnercenter_transfer.adopted,
// of the target's request by import block, with the given body.
func (w *accWorld) adoptedRequest(body string) string {
	const name, target = "adopted", "request"
	return fmt.Sprintf(`
import {
  provider = partnercenter.source
  to       = partnercenter_transfer.%[1]s
  id       = "%[2]s/${partnercenter_transfer.%[3]s.id}"
}

resource "partnercenter_transfer" %[1]q {
  provider    = partnercenter.source
  customer_id = %[2]q
%[4]s
}
`, name, w.customerID, target, body)
}

// transfers returns every transfer the emulator holds.
func (w *accWorld) transfers() []emulator.Transfer { return w.emu.Transfers() }

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"partnercenter": NewServer("test"),
}

// linkInto makes the binary at src available at dst too.
func linkInto(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	return os.Link(src, dst)
}
