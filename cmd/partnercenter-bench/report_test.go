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

func TestSpliceGeneratedKeepsProse(t *testing.T) {
	doc := "# Benchmarks\n\nintro\n\n" + beginMarker + "\nold table\n" + endMarker + "\n\n## Notes\nkept\n"
	got, err := spliceGenerated(doc, "new table\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "# Benchmarks\n\nintro\n\n" + beginMarker + "\nnew table\n" + endMarker + "\n\n## Notes\nkept\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	again, err := spliceGenerated(got, "new table\n")
	if err != nil || again != got {
		t.Errorf("splicing the same table twice must be stable: %v\n%s", err, again)
	}
}

func TestSpliceGeneratedAppendsMarkersWhenMissing(t *testing.T) {
	got, err := spliceGenerated("# Title", "table")
	if err != nil {
		t.Fatal(err)
	}
	if got != "# Title\n\n"+beginMarker+"\ntable\n"+endMarker+"\n" {
		t.Errorf("unexpected document:\n%s", got)
	}
	if _, err := spliceGenerated(endMarker+"\n"+beginMarker, "x"); err == nil {
		t.Error("markers out of order must be an error, not a silent rewrite")
	}
}

func TestWriteReportCreatesThenUpdates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := writeReport(path, "first"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("prose\n\n"+mustRead(t, path)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeReport(path, "second"); err != nil {
		t.Fatal(err)
	}
	got := mustRead(t, path)
	if !strings.HasPrefix(got, "prose\n") || !strings.Contains(got, "\nsecond\n") || strings.Contains(got, "first") {
		t.Errorf("prose must stay and the table be replaced:\n%s", got)
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
	md := runMeta{commit: "0123456789ab", cli: "terraform 1.11.4", parallelism: 10}.markdown(nil)
	if !strings.Contains(md, "- Measured: commit 0123456789ab.") {
		t.Errorf("the report does not name the commit:\n%s", md)
	}
	md = runMeta{commit: "0123456789ab", prebuilt: true}.markdown(nil)
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
