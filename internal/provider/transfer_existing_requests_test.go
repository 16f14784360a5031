// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// Issue 23 item 3, through the real CLI: a create never takes over a
// request it did not make; the plan names a Pending request with the same
// inputs that no resource of the state holds.

// request renders a target request named name with the world's inputs.
func (w *accWorld) namedRequest(name, extra string) string {
	return strings.Replace(w.targetRequest(extra), `"partnercenter_transfer" "request"`, fmt.Sprintf("%q %q", "partnercenter_transfer", name), 1)
}

// words joins the CLI's output on single spaces: the CLIs wrap at
// different widths.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// Workspace A made a request; workspace B declares the same customer with
// the same inputs. B takes nothing over: with resources in its state (its
// plan refreshes them) the plan fails naming A's request with the import
// block; with an empty state the plan warns, and the apply makes B's own
// request. A's destroy cancels A's request only.
func TestAccExistingRequest_twoWorkspaces(t *testing.T) {
	w := newAccWorld(t)
	provider := w.providerBlock("target", w.target)
	a := newTFCLI(t, provider+w.targetRequest(""))
	a.init()
	a.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	held := stateTransfers(a.state())
	if len(held) != 1 {
		t.Fatalf("workspace A holds %d transfers, want 1", len(held))
	}
	aID := held[0].id

	// Workspace B with another request of its own in state.
	other := w.namedRequest("other", `  target_partner_email = "wave2@fabrikam.example"`)
	b := newTFCLI(t, provider+other)
	b.init()
	b.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	b.setConfig(provider + other + w.targetRequest(""))
	out, err := b.run("plan", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("workspace B planned a request identical to workspace A's:\n%s", out)
	}
	for _, want := range []string{"A Pending transfer request with the same inputs already exists", aID,
		fmt.Sprintf(`id = "%s/%s"`, w.customerID, aID), "another workspace", "killed", "source_partner_tenant_id = " + w.source.TenantID} {
		if !strings.Contains(words(out), want) {
			t.Errorf("the plan's error does not say %q:\n%s", want, out)
		}
	}
	if n := len(w.transfers()); n != 2 {
		t.Fatalf("%d transfers after the failed plan, want A's and B's other one", n)
	}

	// Workspace C, empty state: it cannot tell, so it warns, and creates
	// a request of its own.
	c := newTFCLI(t, provider+w.targetRequest(""))
	c.init()
	out = c.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(words(out), "may already exist") || !strings.Contains(out, aID) {
		t.Errorf("the empty workspace's run does not warn about %s:\n%s", aID, out)
	}
	cHeld := stateTransfers(c.state())
	if len(cHeld) != 1 || cHeld[0].id == aID {
		t.Fatalf("workspace C holds %+v; want a request of its own, not %s", cHeld, aID)
	}

	a.mustRun("destroy", "-auto-approve", "-input=false", "-no-color")
	for _, tr := range w.transfers() {
		want := partnercenter.StatusPending
		if tr.ID == aID {
			want = partnercenter.StatusCanceled
		}
		if tr.Status != want {
			t.Errorf("transfer %s is %s after A's destroy, want %s", tr.ID, tr.Status, want)
		}
	}
	if out, err := c.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Errorf("workspace C's plan after A's destroy is not empty: %v\n%s", err, out)
	}
}

// Two resources with identical inputs get two requests; a third one added
// later is not blocked by the requests the other two hold (their refresh
// and plan in the same process tell the provider), with or without
// -refresh=false, and its create never takes one.
func TestAccExistingRequest_identicalInputsInOneConfiguration(t *testing.T) {
	w := newAccWorld(t)
	provider := w.providerBlock("target", w.target)
	two := provider + w.namedRequest("first", "") + w.namedRequest("second", "")
	cli := newTFCLI(t, two)
	cli.init()
	cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if got := stateTransfers(cli.state()); len(got) != 2 || got[0].id == got[1].id || len(w.transfers()) != 2 {
		t.Fatalf("two identical resources hold %+v with %d on the server; want two requests", got, len(w.transfers()))
	}

	cli.setConfig(two + w.namedRequest("third", ""))
	out := cli.mustRun("plan", "-input=false", "-no-color")
	if strings.Contains(words(out), "same inputs") {
		t.Errorf("the plan of a third identical resource reports requests the other two hold:\n%s", out)
	}
	// Without a refresh Terraform still plans the two in the same process.
	out = cli.mustRun("plan", "-refresh=false", "-input=false", "-no-color")
	if strings.Contains(words(out), "same inputs") {
		t.Errorf("the -refresh=false plan of a third identical resource reports requests the other two hold:\n%s", out)
	}
	cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	ids := map[string]bool{}
	for _, st := range stateTransfers(cli.state()) {
		ids[st.id] = true
	}
	if len(ids) != 3 || len(w.transfers()) != 3 {
		t.Errorf("%d distinct requests in state, %d on the server; want 3 and 3", len(ids), len(w.transfers()))
	}
}

// A replacement, with -replace and with create_before_destroy, makes a new
// request and cancels the old one; it never adopts it.
func TestAccExistingRequest_replacementNeverAdoptsTheOldRequest(t *testing.T) {
	for _, cbd := range []bool{false, true} {
		t.Run(fmt.Sprintf("create_before_destroy=%v", cbd), func(t *testing.T) {
			w := newAccWorld(t)
			extra := ""
			if cbd {
				extra = "  lifecycle {\n    create_before_destroy = true\n  }\n"
			}
			cli := newTFCLI(t, w.providerBlock("target", w.target)+w.targetRequest(extra))
			cli.init()
			cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
			old := stateTransfers(cli.state())[0].id
			out := cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color", "-replace=partnercenter_transfer.request")
			now := stateTransfers(cli.state())
			if len(now) != 1 || now[0].id == old {
				t.Fatalf("after -replace the state holds %+v; want a new request, not %s:\n%s", now, old, out)
			}
			for _, tr := range w.transfers() {
				want := partnercenter.StatusPending
				if tr.ID == old {
					want = partnercenter.StatusCanceled
				}
				if tr.Status != want {
					t.Errorf("transfer %s is %s after the replacement, want %s", tr.ID, tr.Status, want)
				}
			}
			if len(w.transfers()) != 2 {
				t.Errorf("%d transfers on the server, want the old (cancelled) and the new", len(w.transfers()))
			}
		})
	}
}
