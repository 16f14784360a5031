// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strings"
	"testing"
)

// The source partner's discovery (direction = "outgoing") run with the
// target partner's credentials used to plan "no changes" with empty
// outputs; it now warns that the credentials look like the other
// partner's, naming who is signed in. With the source's own credentials
// the same configuration finds the request and says nothing.
func TestAccTransfers_otherPartnersCredentialsWarn(t *testing.T) {
	w := newAccWorld(t)
	cli := newTFCLI(t, w.providers()+w.targetRequest(""))
	cli.init()
	if out, err := cli.apply(); err != nil {
		t.Fatalf("target creates its request: %v\n%s", err, out)
	}
	discovery := func(alias string) string {
		return w.providers() + w.targetRequest("") + fmt.Sprintf(`
data "partnercenter_transfers" "to_submit" {
  provider    = partnercenter.%s
  customer_id = %q
  direction   = "outgoing"
  status      = "Pending"
}

output "to_submit" {
  value = data.partnercenter_transfers.to_submit.ids
}
`, alias, w.customerID)
	}
	const warning = "The credentials look like the other partner's"

	cli.setConfig(discovery("target"))
	out := strings.Join(strings.Fields(cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")), " ")
	for _, want := range []string{warning, "No transfer is outgoing for the partner the provider is signed in as (" + w.target.Name + ", tenant " + w.target.TenantID + ")",
		"1 transfer(s) matching every other filter are incoming", "this partner is their target"} {
		if !strings.Contains(out, want) {
			t.Errorf("the source's discovery run with the target's credentials does not say %q:\n%s", want, out)
		}
	}

	cli.setConfig(discovery("source"))
	out = cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if strings.Contains(out, warning) || !strings.Contains(out, w.transfers()[0].ID) {
		t.Errorf("with the source's credentials the discovery must find the request without a warning:\n%s", out)
	}
}
