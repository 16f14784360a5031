// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

// badInputCase is one invalid configuration that must fail at validate or
// plan time with an error naming the attribute, before any request is made.
type badInputCase struct {
	name     string
	provider string // extra provider arguments (replaces the credentials when it sets any)
	resource string // resource body lines after customer_id
	want     string // regexp the error must match
	// atPlan marks input only the plan can judge (it needs the caller's
	// tenant or to know the resource is being created): the provider is
	// configured first, and configure's check of the provider block sends
	// exactly configureCheck; nothing else may reach the emulator.
	atPlan bool
}

// configureCheck is every request a configured provider sends before the
// plan: discovery, one token and the partner's organization profile.
var configureCheck = map[string]int{"openid-configuration GET": 1, "token POST": 1, "organizationProfile GET": 1}

const (
	validCustomer = "11111111-1111-1111-1111-111111111111"
	validSource   = "33333333-3333-3333-3333-333333333333"
	validGUID     = "44444444-4444-4444-4444-444444444444"
	lettersGUID   = "9a7c2c5e-6e2d-4c1e-9c7f-1d4b7b3e2a10"
	// callerTenant stands for the provider's own tenant (the target's).
	callerTenant = "{{caller}}"
	createInputs = `  source_partner_tenant_id = "` + validSource + `"
  source_partner_name      = "Contoso Old Partner"
  customer_email           = "it@northwind.example"
`
)

// badInputCases is the table RELIABILITY.md counts.
func badInputCases(t *testing.T) []badInputCase {
	t.Helper()
	certMissing := filepath.Join(t.TempDir(), "missing.pfx")
	return []badInputCase{
		// Resource arguments.
		{name: "customer_id not a GUID", resource: createInputs, want: `(?s)Invalid GUID.*customer_id`},
		{name: "source tenant not a GUID", resource: `  source_partner_tenant_id = "contoso"
  source_partner_name = "x"
  customer_email = "a@b.example"`, want: `(?s)Invalid source_partner_tenant_id.*not\s+a\s+GUID`},
		{name: "target tenant not a GUID", resource: createInputs + `  target_partner_tenant_id = "1234"`, want: `(?s)Invalid target_partner_tenant_id.*not\s+a\s+GUID`},
		{name: "GUID with braces", resource: createInputs + `  target_partner_tenant_id = "{` + validGUID + `}"`, want: `(?s)Invalid target_partner_tenant_id.*not\s+a\s+GUID`},
		{name: "e-mail without domain", resource: `  source_partner_tenant_id = "` + validSource + `"
  source_partner_name = "x"
  customer_email = "not-an-email"`, want: `(?s)Invalid customer_email.*not\s+a\s+single\s+plain\s+e-mail\s+address`},
		{name: "e-mail with display name", resource: `  source_partner_tenant_id = "` + validSource + `"
  source_partner_name = "x"
  customer_email = "Bob <bob@northwind.example>"`, want: `(?s)Invalid customer_email.*not\s+a\s+single\s+plain\s+e-mail\s+address`},
		{name: "two e-mails", resource: `  source_partner_tenant_id = "` + validSource + `"
  source_partner_name = "x"
  customer_email = "a@b.example, c@d.example"`, want: `(?s)Invalid customer_email.*not\s+a\s+single\s+plain\s+e-mail\s+address`},
		{name: "unknown transfer_type", resource: createInputs + `  transfer_type = 4`, want: `(?s)Invalid transfer_type.*use\s+one\s+of\s+3,\s+5`},
		{name: "unknown product type", resource: createInputs + `  target_product_types = ["Office365"]`, want: `(?s)Invalid target_product_types.*use\s+one\s+of`},
		{name: "empty product type set", resource: createInputs + `  target_product_types = []`, want: `(?s)target_product_types.*at least 1`},
		{name: "empty source name", resource: strings.Replace(createInputs, `"Contoso Old Partner"`, `""`, 1), want: `(?s)Invalid source_partner_name.*only\s+white\s+space`},
		{name: "empty customer name", resource: createInputs + `  customer_name = ""`, want: `(?s)Invalid customer_name.*only\s+white\s+space`},
		{name: "empty partner of record", resource: createInputs + `  partner_of_record = ""`, want: `(?s)Invalid partner_of_record.*only\s+white\s+space`},
		{name: "source is the caller (target unset)", atPlan: true, resource: strings.Replace(createInputs, validSource, callerTenant, 1),
			want: `(?s)Source\s+partner\s+is\s+the\s+calling\s+partner.*source_partner_tenant_id.*900148`},
		{name: "source is the nil GUID", resource: strings.Replace(createInputs, validSource, "00000000-0000-0000-0000-000000000000", 1),
			want: `(?s)Invalid source_partner_tenant_id.*nil\s+GUID`},
		{name: "whitespace-only source name", resource: strings.Replace(createInputs, `"Contoso Old Partner"`, `"   "`, 1),
			want: `(?s)Invalid source_partner_name.*only\s+white\s+space`},
		{name: "NUL in customer name", resource: createInputs + `  customer_name = "North\u0000wind"`,
			want: `(?s)Invalid customer_name.*control\s+character\s+U\+0000`},
		{name: "tab in target partner e-mail", resource: createInputs + `  target_partner_email = "ops\tticket"`,
			want: `(?s)Invalid target_partner_email.*control\s+character\s+U\+0009`},
		{name: "source equals target", atPlan: true, resource: createInputs + `  target_partner_tenant_id = "` + validSource + `"`, want: `(?s)Source and target partner are the same.*900148`},
		{name: "missing customer_email on create", atPlan: true, resource: `  source_partner_tenant_id = "` + validSource + `"
  source_partner_name = "x"`, want: `(?s)Missing argument for a new transfer request.*customer_email`},
		{name: "missing source tenant on create", atPlan: true, resource: `  source_partner_name = "x"
  customer_email = "a@b.example"`, want: `(?s)Missing argument for a new transfer request.*source_partner_tenant_id`},
		{name: "missing source name on create", atPlan: true, resource: `  source_partner_tenant_id = "` + validSource + `"
  customer_email = "a@b.example"`, want: `(?s)Missing argument for a new transfer request.*source_partner_name`},
		{name: "line items while creating", atPlan: true, resource: createInputs + `  line_items = { "` + validGUID + `" = { product_type = "OnlineServicesNCE" } }`, want: `(?s)line_items cannot be set on a new transfer request`},
		{name: "line item key not a GUID", resource: createInputs + `  line_items = { "sub-1" = { product_type = "OnlineServicesNCE" } }`, want: `(?s)Invalid GUID.*line_items`},
		{name: "empty line item key", resource: createInputs + `  line_items = { "" = { product_type = "OnlineServicesNCE" } }`, want: `(?s)Invalid GUID.*line_items`},
		{name: "empty line_items map", resource: createInputs + `  line_items = {}`, want: `(?s)line_items.*at least 1`},
		{name: "unknown line item product type", resource: createInputs + `  line_items = { "` + validGUID + `" = { product_type = "Printer" } }`, want: `(?s)product_type.*must be one of`},
		{name: "line item without product type", resource: createInputs + `  line_items = { "` + validGUID + `" = {} }`, want: `(?s)Missing product_type`},
		{name: "same subscription twice (case)", resource: `  line_items = {
    "` + lettersGUID + `" = { product_type = "OnlineServicesNCE" }
    "` + strings.ToUpper(lettersGUID) + `" = { product_type = "OnlineServicesNCE" }
  }`, want: `(?s)Duplicate subscription in line_items`},
		{name: "timeout in days", resource: createInputs + `  timeouts = { update = "3d" }`, want: `(?s)Invalid timeout.*timeouts.update is not a Go duration`},
		{name: "negative timeout", resource: createInputs + `  timeouts = { create = "-5m" }`, want: `(?s)Impossible timeout.*timeouts.create`},
		{name: "zero timeout", resource: createInputs + `  timeouts = { delete = "0s" }`, want: `(?s)Impossible timeout.*timeouts.delete`},
		{name: "timeout beyond a request's life", resource: createInputs + `  timeouts = { update = "2000h" }`, want: `(?s)Impossible timeout.*timeouts.update`},
		{name: "unknown argument", resource: createInputs + `  subscription_ids = ["x"]`, want: `Unsupported argument`},
		{name: "computed argument set", resource: createInputs + `  status = "Complete"`, want: `(?s)Invalid Configuration for Read-Only Attribute.*status`},
		// Provider settings.
		{name: "provider tenant not a GUID", provider: `tenant_id = "contoso.onmicrosoft.com"`, resource: createInputs, want: `(?s)Invalid GUID.*tenant_id`},
		{name: "provider client id not a GUID", provider: `client_id = "my-app"`, resource: createInputs, want: `(?s)Invalid GUID.*client_id`},
		{name: "unknown environment", provider: `environment = "mars"`, resource: createInputs, want: `(?s)environment.*must be one of`},
		{name: "non-loopback http endpoint", provider: `endpoint = "http://partnercenter.example.com"`, resource: createInputs, want: `(?s)endpoint`},
		{name: "non-loopback http authority", provider: `authority_host = "http://login.example.com/"`, resource: createInputs, want: `(?s)authority_host`},
		{name: "poll interval not a duration", provider: `poll_initial_interval = "fast"`, resource: createInputs, want: `(?s)Invalid duration.*poll_initial_interval`},
		{name: "poll max below initial", provider: `poll_initial_interval = "1m"
  poll_max_interval = "10s"`, resource: createInputs, want: `(?s)poll_max_interval`},
		{name: "request rate cap of zero", provider: `max_requests_per_second = 0`, resource: createInputs, want: `(?s)max_requests_per_second.*at least 0.01`},
		{name: "secret and certificate together", provider: `client_certificate_path = "/etc/hosts"`, resource: createInputs, want: `(?s)client_secret.*client_certificate_path|client_certificate_path.*client_secret`},
		{name: "access token and secret together", provider: `access_token = "eyJhbGciOi"`, resource: createInputs, want: `(?s)access_token`},
		{name: "oidc without a token source", provider: `use_oidc = true`, resource: createInputs, want: `(?s)oidc`},
		{name: "certificate file missing", provider: `client_secret = null
  client_certificate_path = "` + certMissing + `"`, resource: createInputs, want: `(?s)client_certificate_path`},
		{name: "no credentials", provider: `client_secret = null`, resource: createInputs, want: `(?s)credential|authentication`},
	}
}

// TestAccBadInput runs every invalid configuration through the real CLI: each
// must fail at validate or plan time with an error naming the attribute
// (and never panic), without a single request reaching Partner Center.
func TestAccBadInput(t *testing.T) {
	w := newAccWorld(t)
	// Credentials from the environment would hide the "no credentials" case.
	for _, env := range os.Environ() {
		if name, _, _ := strings.Cut(env, "="); strings.HasPrefix(name, "ARM_") || strings.HasPrefix(name, "PARTNERCENTER_") || strings.HasPrefix(name, "ACTIONS_ID_TOKEN") {
			t.Setenv(name, "")
			_ = os.Unsetenv(name)
		}
	}
	cases := badInputCases(t)
	steps := make([]resource.TestStep, 0, len(cases))
	seen := make([]emulator.Stats, len(cases))
	for i, tc := range cases {
		customer := validCustomer
		if tc.name == "customer_id not a GUID" {
			customer = "northwind"
		}
		cfg := fmt.Sprintf(`
provider "partnercenter" {
%s
}

resource "partnercenter_transfer" "bad" {
  customer_id = %q
%s
}
`, providerArgs(w, tc.provider), customer, tc.resource)
		cfg = strings.ReplaceAll(cfg, callerTenant, w.target.TenantID)
		steps = append(steps, resource.TestStep{
			// Every request of the case before, on any route, tokens
			// included, is counted before the next one starts.
			PreConfig: func() {
				if i > 0 {
					seen[i-1] = w.emu.Stats()
				}
				w.emu.ResetStats()
			},
			Config:      cfg,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(tc.want),
		})
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
	seen[len(cases)-1] = w.emu.Stats()
	for i, s := range seen {
		want := map[string]int{}
		if cases[i].atPlan {
			want = configureCheck
		}
		if !maps.Equal(s.Requests, want) {
			t.Errorf("%s: requests %v reached the emulator, want exactly %v; bad input must fail before any transfer request", cases[i].name, s.Requests, want)
		}
	}
	t.Logf("bad inputs tried: %d, none sending a transfer request", len(cases))
}

// providerArgs renders the target partner's provider arguments with the
// case's lines replacing the arguments they name.
func providerArgs(w *accWorld, overrides string) string {
	args := [][2]string{
		{"tenant_id", fmt.Sprintf("%q", w.target.TenantID)},
		{"client_id", fmt.Sprintf("%q", w.target.ClientID)},
		{"client_secret", fmt.Sprintf("%q", w.target.ClientSecret)},
		{"endpoint", fmt.Sprintf("%q", w.server.URL)},
		{"authority_host", fmt.Sprintf("%q", w.server.URL+"/")},
	}
	for _, line := range strings.Split(overrides, "\n") {
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		replaced := false
		for i := range args {
			if args[i][0] == key {
				args[i][1], replaced = value, true
			}
		}
		if !replaced {
			args = append(args, [2]string{key, value})
		}
	}
	var b strings.Builder
	for _, a := range args {
		fmt.Fprintf(&b, "  %s = %s\n", a[0], a[1])
	}
	return b.String()
}
