// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// reviewPlanDir holds the guide "Reviewing a transfer plan"'s generated
// plan and its policy check.
const reviewPlanDir = "guides/reviewing-a-transfer-plan"

// envUpdatePlanSnippet rewrites the committed plan instead of comparing.
const envUpdatePlanSnippet = "UPDATE_PLAN_SNIPPET"

// planSnippetCLI is the CLI the committed plan was generated with; other
// CLIs (the Terraform 1.14 and OpenTofu legs) lay a plan out differently,
// so there only its content is checked.
const planSnippetCLI = "Terraform v1.11.4"

// The guide shows the plan the source partner's submit example really
// produces against the example seed, and feeds `terraform show -json` of
// it to the seat-limit policy check.
func TestAccExampleReviewingATransferPlan(t *testing.T) {
	w := newExampleWorld(t)
	w.actAs(t, w.target)
	target := newTFCLI(t, `
provider "partnercenter" {}

resource "partnercenter_transfer" "request" {
  customer_id              = "`+w.customer.ID+`"
  source_partner_tenant_id = "`+w.source.TenantID+`"
  source_partner_name      = "`+w.source.Name+`"
  customer_email           = "`+w.customer.Email+`"
}
`)
	target.init()
	if out, err := target.apply(); err != nil {
		t.Fatalf("target apply: %v\n%s", err, out)
	}
	ts := stateTransfers(target.state())
	if len(ts) != 1 {
		t.Fatalf("target state holds %d transfers", len(ts))
	}
	transferID := ts[0].id

	w.actAs(t, w.source)
	source := newTFCLI(t, "provider \"partnercenter\" {}\n"+w.readExample(t, "resources/partnercenter_transfer/resource-source-submit.tf", transferID))
	source.init()
	planned := source.mustRun("plan", "-out=tfplan", "-input=false", "-no-color")
	snippet := reviewerPlan(t, planned, transferID)
	shown := []string{`friendly_name          = "Microsoft 365 E3"`, `quantity               = 25`, `billing_cycle          = "annual"`,
		`"e5e5e5e5-0000-4000-8000-000000000001"`, "1 to import, 0 to add, 1 to change, 0 to destroy"}
	for _, want := range shown {
		if !strings.Contains(snippet, want) {
			t.Errorf("the submit plan does not show %s:\n%s", want, snippet)
		}
	}
	committedRel := reviewPlanDir + "/plan.txt"
	committed := filepath.Join(examplesDir, filepath.FromSlash(committedRel))
	cli, _, _ := strings.Cut(source.mustRun("version"), "\n")
	switch {
	case os.Getenv(envUpdatePlanSnippet) != "" && cli != planSnippetCLI:
		t.Fatalf("%s: generate the snippet with %s (this CLI is %s) or update planSnippetCLI", envUpdatePlanSnippet, planSnippetCLI, cli)
	case cli != planSnippetCLI:
		t.Logf("the committed plan is %s's layout; %s is not compared with it, only its content is checked", planSnippetCLI, cli)
		committedText := string(exampleFile(t, committedRel))
		for _, want := range shown {
			if !strings.Contains(committedText, want) {
				t.Errorf("examples/%s does not show %s", committedRel, want)
			}
		}
	case os.Getenv(envUpdatePlanSnippet) != "":
		if err := os.WriteFile(committed, []byte(snippet), 0o600); err != nil {
			t.Fatal(err)
		}
	default:
		if got := exampleFile(t, committedRel); string(got) != snippet {
			t.Errorf("examples/%s/plan.txt differs from the plan the example produces now; rerun with %s=1 and commit it.\nGenerated:\n%s",
				reviewPlanDir, envUpdatePlanSnippet, snippet)
		}
	}

	planJSON := source.mustRun("show", "-json", "tfplan")
	// 25 seats of Microsoft 365 E3, 25 of its Teams Phone add-on and 10 of
	// Business Premium: 60.
	if out, err := seatLimit(t, planJSON, "60"); err != nil {
		t.Errorf("seat-limit with -max-seats 60 failed: %v\n%s", err, out)
	}
	out, err := seatLimit(t, planJSON, "59")
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(out, "partnercenter_transfer.from_fabrikam: submits 60 seats, more than the limit of 59") {
		t.Errorf("seat-limit with -max-seats 59 should fail naming the transfer; got %v\n%s", err, out)
	}
}

// reviewerPlan is the part of `terraform plan` output a reviewer reads,
// from "Terraform (or OpenTofu) will perform" to the "Plan:" line, with the emulator's
// transfer ID and times replaced by the examples' placeholders.
func reviewerPlan(t *testing.T, out, transferID string) string {
	t.Helper()
	// OpenTofu names itself where Terraform does.
	start := strings.Index(out, " will perform the following actions:")
	if start >= 0 {
		start = strings.LastIndexByte(out[:start], '\n') + 1
	}
	end := strings.Index(out, "\nPlan: ")
	if start < 0 || end < 0 {
		t.Fatalf("no plan in the output:\n%s", out)
	}
	if nl := strings.IndexByte(out[end+1:], '\n'); nl >= 0 {
		end += 1 + nl
	}
	text := strings.ReplaceAll(out[start:end], transferID, examplePlaceholderTransferID)
	text = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`).ReplaceAllString(text, "2026-01-05T09:00:00Z")
	return text + "\n"
}

// seatLimit runs the guide's policy check on a plan's JSON.
func seatLimit(t *testing.T, planJSON, maxSeats string) (string, error) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = "/usr/local/go/bin/go"
	}
	cmd := exec.CommandContext(t.Context(), goBin, "run", "./seat-limit", "-max-seats", maxSeats) // #nosec G204 -- the repository's own example.
	cmd.Dir = filepath.Dir(exampleDirPath(t, reviewPlanDir+"/seat-limit"))
	cmd.Stdin = strings.NewReader(planJSON)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err = cmd.Run()
	return buf.String(), err
}
