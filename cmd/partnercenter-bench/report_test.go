// SPDX-License-Identifier: MPL-2.0

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func sampleResults() []Result {
	return []Result{
		info("1. apply", "N=10 apply", "1.00 s"),
		checked("1. apply", "N=10 ratio", "1.20x", "<= 1.5x", true),
		checked("2. requests", "N=10 plan", "get GET 11", "= get GET 10", false),
		failed("2. requests", "N=100 plan", errors.New("terraform exited with 1\nError: boom")),
	}
}

func TestVerdictsAndFailures(t *testing.T) {
	rs := sampleResults()
	want := []Verdict{Info, Pass, Fail, Fail}
	for i, r := range rs {
		if r.Verdict != want[i] {
			t.Errorf("row %d verdict %s, want %s", i, r.Verdict, want[i])
		}
	}
	if got := failures(rs); got != 2 {
		t.Errorf("failures = %d, want 2", got)
	}
	if v := rs[3].Value; v != "error: terraform exited with 1 ..." {
		t.Errorf("error row keeps only the first line, got %q", v)
	}
}

func TestWriteTableGroupsSectionsAndAligns(t *testing.T) {
	var b strings.Builder
	if err := writeTable(&b, sampleResults()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Count(out, "1. apply\n") != 1 || strings.Count(out, "2. requests\n") != 1 {
		t.Errorf("each section heading should appear once:\n%s", out)
	}
	if !strings.HasSuffix(out, "4 measurements, 2 failed\n") {
		t.Errorf("missing summary line:\n%s", out)
	}
	// Every row's result column starts at the same position.
	var col = -1
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "  ") {
			continue
		}
		i := strings.LastIndex(line, "  ")
		if col == -1 {
			col = i
		} else if i != col {
			t.Errorf("misaligned row %q (result at %d, want %d)", line, i, col)
		}
	}
}

func TestMarkdownTableEscapesPipes(t *testing.T) {
	md := markdownTable([]Result{info("s", "a|b", "c")})
	if !strings.Contains(md, `| a\|b | c |  | info |`) {
		t.Errorf("pipe not escaped or row malformed:\n%s", md)
	}
	if !strings.Contains(md, "| **s** | | | |") {
		t.Errorf("missing section row:\n%s", md)
	}
}

func TestSpliceSectionsReplacesOnlyTheNamedSection(t *testing.T) {
	order := []string{"apply", "wait", "list"}
	doc := "# Benchmarks\n\nintro\n\n" + sectionBlock("apply", "old apply") + "\n\n" + sectionBlock("list", "old list") + "\n\n## Notes\nkept\n"
	got, err := spliceSections(doc, order, map[string]string{"list": "new list"}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := "# Benchmarks\n\nintro\n\n" + sectionBlock("apply", "old apply") + "\n\n" + sectionBlock("list", "new list") + "\n\n## Notes\nkept\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	again, err := spliceSections(got, order, map[string]string{"list": "new list"}, false)
	if err != nil || again != got {
		t.Errorf("splicing the same section twice must be stable: %v\n%s", err, again)
	}
	// A missing section goes between its neighbours in run order.
	got, err = spliceSections(got, order, map[string]string{"wait": "new wait"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if a, w, l := strings.Index(got, "old apply"), strings.Index(got, "new wait"), strings.Index(got, "new list"); a >= w || w >= l || !strings.HasSuffix(got, "## Notes\nkept\n") {
		t.Errorf("wait section not inserted between apply and list:\n%s", got)
	}
}

func TestSpliceSectionsFullWriteReplacesTheLegacyBlock(t *testing.T) {
	doc := "# Title\n\n" + legacyBegin + "\nold table\n" + legacyEnd + "\n\n## After\n"
	got, err := spliceSections(doc, []string{"apply", "wait"}, map[string]string{"apply": "A", "wait": "W"}, true)
	if err != nil {
		t.Fatal(err)
	}
	want := "# Title\n\n" + sectionBlock("apply", "A") + "\n\n" + sectionBlock("wait", "W") + "\n\n## After\n"
	if got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
	if _, err := spliceSections(endMarker("apply")+"\n"+beginMarker("apply"), []string{"apply"}, map[string]string{"apply": "x"}, false); err == nil {
		t.Error("markers out of order must be an error, not a silent rewrite")
	}
	got, err = spliceSections("# Title", []string{"apply"}, map[string]string{"apply": "A"}, false)
	if err != nil || got != "# Title\n\n"+sectionBlock("apply", "A")+"\n" {
		t.Errorf("a document without sections gets one appended: %v\n%q", err, got)
	}
}

func TestWriteReportCreatesThenUpdates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := writeReport(path, []string{"apply"}, map[string]string{"apply": "first"}, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("prose\n\n"+mustRead(t, path)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeReport(path, []string{"apply"}, map[string]string{"apply": "second"}, false); err != nil {
		t.Fatal(err)
	}
	got := mustRead(t, path)
	if !strings.HasPrefix(got, "prose\n") || !strings.Contains(got, "\nsecond\n") || strings.Contains(got, "first") {
		t.Errorf("prose must stay and the section be replaced:\n%s", got)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReportNamesTheCommit checks the generated section says which commit
// it measured (issue 17), and that describeCommit finds this checkout's.
func TestReportNamesTheCommit(t *testing.T) {
	s := scenario{name: "apply", title: "Apply", usesCLI: true, budgets: []budget{applyCreateBudget}}
	md := runMeta{commit: "0123456789ab", cli: "terraform 1.11.4", parallelism: 10}.sectionMarkdown(s, scenarioMeta{loadBefore: 1.5, loadAfter: 2.25}, nil)
	for _, want := range []string{"- Measured: commit 0123456789ab.", "terraform 1.11.4, `-parallelism=10`", "load average (1 min) 1.50 before this scenario, 2.25 after",
		"`-only apply`", budgetsMarkdown(s.budgets)} {
		if !strings.Contains(md, want) {
			t.Errorf("the section lacks %q:\n%s", want, md)
		}
	}
	md = runMeta{commit: "0123456789ab", prebuilt: true}.sectionMarkdown(s, scenarioMeta{}, nil)
	if !strings.Contains(md, "prebuilt provider") {
		t.Errorf("a -provider run is not marked as another build:\n%s", md)
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	got := describeCommit(t.Context(), root)
	if err := exec.CommandContext(t.Context(), "git", "-C", root, "rev-parse", "HEAD").Run(); err != nil {
		if got != "unknown (not a git checkout)" {
			t.Errorf("describeCommit without git = %q, want it to say the commit is unknown", got)
		}
		return
	}
	if !regexp.MustCompile(`^[0-9a-f]{12}( with uncommitted changes)?$`).MatchString(got) {
		t.Errorf("describeCommit = %q, want 12 hex digits, optionally marked as changed", got)
	}
}
