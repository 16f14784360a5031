// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestBudgetAtAndFormula(t *testing.T) {
	b := newBudget("x", each(perN("create POST", 1), perN("list GET", 2), perGroup("page GET", 100), fixed("list GET", 1)), authenticating(2))
	if got, want := b.at(250), (requestCounts{"create POST": 250, "list GET": 501, "page GET": 3, "openid-configuration GET": 2, "token POST": 2}); !got.equal(want) {
		t.Errorf("at(250) = %s, want %s", got, want)
	}
	if got, want := b.formula(), "create POST N, list GET 2N + 1, openid-configuration GET 2, page GET ceil(N/100), token POST 2"; got != want {
		t.Errorf("formula = %q, want %q", got, want)
	}
	if got := newBudget("none").at(5); len(got) != 0 {
		t.Errorf("an empty budget counts %s", got)
	}
}

// TestRequestDifferenceNamesEachRouteThatDiffers guards the apply
// findings: a route only one side sends, or sends more or fewer of, is
// named with the provider's excess; equal routes are left out.
func TestRequestDifferenceNamesEachRouteThatDiffers(t *testing.T) {
	p := requestCounts{"create POST": 5, "list GET": 10, "getCustomer GET": 10, "token POST": 2}
	f := requestCounts{"create POST": 5, "list GET": 5, "token POST": 1, "floor GET": 1}
	if got, want := requestDifference(p, f), "floor GET -1, getCustomer GET +10, list GET +5, token POST +1"; got != want {
		t.Errorf("requestDifference = %q, want %q", got, want)
	}
	if got := requestDifference(p, p); got != "" {
		t.Errorf("requestDifference of equal counts = %q, want empty", got)
	}
}

// TestScenariosAreRegistered guards the registry: every scenario has a
// unique name, and -only accepts each.
func TestScenariosAreRegistered(t *testing.T) {
	for _, want := range []string{"apply", "wait", "throttle", "list", "startup", "scan", "bulk"} {
		if o, err := parseOptions([]string{"-only", want}, nil); err != nil || !o.selected(want) {
			t.Errorf("-only %s: %v", want, err)
		}
	}
}

// TestBenchmarksDocRecordsBudgets is the check that keeps BENCHMARKS.md's
// request figures meaning what the code counts: each scenario's section
// records the budgets its request rows were checked against, and they must
// be the budgets in the code now. A change to a command's requests changes
// its budget (TestBenchRequests and the provider's request budget tests see
// to that), and then this test fails until the section is measured again.
func TestBenchmarksDocRecordsBudgets(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "BENCHMARKS.md")) // #nosec G304 -- the module's own document.
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, s := range registered() {
		known[s.name] = true
		if len(s.budgets) == 0 {
			continue
		}
		rerun := fmt.Sprintf("measure it again: make bench BENCHARGS='-only %s -write BENCHMARKS.md'", s.name)
		text, ok := sectionText(string(doc), s.name)
		if !ok {
			t.Errorf("BENCHMARKS.md has no generated section for scenario %q, whose request budgets CI checks; %s", s.name, rerun)
			continue
		}
		if want := budgetsMarkdown(s.budgets); !strings.Contains(text, want) {
			t.Errorf("BENCHMARKS.md's %q section was measured with other request budgets than the code's:\n%s\nThe code's are:\n%s\n%s",
				s.name, recordedBudgets(text), want, rerun)
		}
	}
	for _, m := range regexp.MustCompile(`<!-- bench:begin (\S+) `).FindAllStringSubmatch(string(doc), -1) {
		if m[1] != "(generated" && !known[m[1]] {
			t.Errorf("BENCHMARKS.md has a section for scenario %q, which the bench no longer has: remove it", m[1])
		}
	}
}

// recordedBudgets extracts the budget lines of a section, for the message.
func recordedBudgets(section string) string {
	var lines []string
	for _, l := range strings.Split(section, "\n") {
		if strings.HasPrefix(l, "- ") && strings.HasSuffix(l, "`") {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "(none recorded)"
	}
	return strings.Join(lines, "\n")
}

// TestBenchRequests runs every scenario that declares request budgets at
// its CI size with the real CLI and provider against the emulator, and
// fails when any request row does not match its budget: the same code and
// the same budgets as `make bench`, so the bench's request rows pass on
// every commit CI passes. Timings are not checked here.
func TestBenchRequests(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs the Terraform CLI: set TF_ACC=1 (make test does)")
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		t.Setenv("TERRAFORM", p)
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	work := t.TempDir()
	cli, err := newTerraformCLI(ctx, root, work, "", false)
	if err != nil {
		t.Fatal(err)
	}
	env := &benchEnv{ctx: ctx, cli: cli, workDir: work, ci: true, parallelism: 10,
		throttleRate: defaultThrottleRate, throttleParallelism: []int{10}, logf: t.Logf}
	for _, s := range registered() {
		if len(s.budgets) == 0 {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			exact := 0
			for _, r := range s.run(env) {
				switch {
				case r.Exact:
					exact++
					if r.Verdict != Pass {
						t.Errorf("%s: %s, budget %s", r.Name, r.Value, r.Target)
					}
				case r.Verdict == Fail && r.Target == "runs":
					t.Errorf("%s: %s", r.Name, r.Value)
				}
			}
			if exact == 0 {
				t.Errorf("scenario %q declares budgets but reported no request row at its CI size", s.name)
			}
		})
	}
}
