// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

const clientConfigAddr = "data.partnercenter_client_config.current"

func clientConfigConfig(w *accWorld) string {
	return "provider \"partnercenter\" {\n" + providerArgs(w, "") + "}\n\ndata \"partnercenter_client_config\" \"current\" {}\n"
}

// The data source says who the provider is signed in as: the tenant and
// name from the profile Configure read for its connection check, the MPN
// ID from one more GET.
func TestAccClientConfig_whoAmI(t *testing.T) {
	const mpnID = "7654321"
	w := newAccWorld(t, func(o *emulator.Options) { o.Seed.Partners[0].MpnID = mpnID })
	clearProviderEnv(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: w.emu.ResetStats,
			Config:    clientConfigConfig(w),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(clientConfigAddr, tfjsonpath.New("tenant_id"), knownvalue.StringExact(w.target.TenantID)),
				statecheck.ExpectKnownValue(clientConfigAddr, tfjsonpath.New("client_id"), knownvalue.StringExact(w.target.ClientID)),
				statecheck.ExpectKnownValue(clientConfigAddr, tfjsonpath.New("partner_name"), knownvalue.StringExact(w.target.Name)),
				statecheck.ExpectKnownValue(clientConfigAddr, tfjsonpath.New("domain"), knownvalue.StringExact("fabrikamnewpartner.onmicrosoft.com")),
				statecheck.ExpectKnownValue(clientConfigAddr, tfjsonpath.New("mpn_id"), knownvalue.StringExact(mpnID)),
				statecheck.ExpectKnownValue(clientConfigAddr, tfjsonpath.New("auth_method"), knownvalue.StringExact(auth.MethodClientSecret)),
				statecheck.ExpectKnownValue(clientConfigAddr, tfjsonpath.New("endpoint"), knownvalue.StringExact(w.server.URL)),
			},
		}},
	})
	// One apply step of the framework runs plan, apply, refresh and plan
	// again in one provider process (in-process server): one connection check
	// per Configure, one MPN read per data source read.
	st := w.emu.Stats()
	if reads, checks := st.Count(emulator.RouteMpnProfile, "GET"), st.Count(emulator.RouteOrganizationProfile, "GET"); reads == 0 || checks == 0 || reads > checks {
		t.Errorf("%d MPN reads and %d connection checks; want one MPN read per data source read, no more than one per Configure", reads, checks)
	}
}

// Partner Center documents the profiles for App+User credentials only;
// when it withholds them from an app-only token (403 900329), Configure
// still passes (the token was accepted) and the name is null.
func TestAccClientConfig_profileWithheldFromAppOnlyTokens(t *testing.T) {
	w := newAccWorld(t, func(o *emulator.Options) { o.ProfilesNeedAppUser = true })
	clearProviderEnv(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: clientConfigConfig(w),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(clientConfigAddr, tfjsonpath.New("tenant_id"), knownvalue.StringExact(w.target.TenantID)),
				statecheck.ExpectKnownValue(clientConfigAddr, tfjsonpath.New("partner_name"), knownvalue.Null()),
				statecheck.ExpectKnownValue(clientConfigAddr, tfjsonpath.New("mpn_id"), knownvalue.Null()),
			},
		}},
	})
}
