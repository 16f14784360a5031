// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// profileTop is how many functions the flat listing shows.
const profileTop = 12

// profileShares are the parts of a provider process's CPU the notes show:
// the share of samples whose stack passes through each (they overlap: the
// provider's code calls the framework, everything allocates).
var profileShares = []struct{ label, focus, ignore string }{
	{"in the resource's own methods (Create, Read, ModifyPlan, Delete, ...), with what they call", ownCode, ""},
	{"HTTP client, TLS and JSON of the API calls", `net/http\.|crypto/tls|go-retryablehttp|internal/partnercenter\.|encoding/json`, ""},
	{"terraform-plugin-framework and terraform-plugin-go outside those methods", `terraform-plugin-framework/|terraform-plugin-go/`, ownCode},
	{"garbage collector (background marking)", `runtime\.gcBgMarkWorker`, ""},
}

// ownCode matches the provider's functions and the floor's methods.
const ownCode = `terraform-provider-partnercenter/internal/(provider|transfers)\.|^main\.\(\*`

// profileNotes summarises the CPU profiles the provider and floor
// processes wrote during the N-size commands (-cpuprofile): per command,
// the total CPU sampled and where it went, for both providers, and the
// provider's flat top functions of its apply.
func (b *benchEnv) profileNotes(n int) []Result {
	var t strings.Builder
	fmt.Fprintf(&t, "CPU profiles of every provider process of the N=%d commands (`-cpuprofile`; all processes of all runs of a command merged): CPU sampled, and the share of it whose stack passes through each part (the first two overlap).\n\n", n)
	t.WriteString("| command | provider | CPU sampled |")
	for _, s := range profileShares {
		t.WriteString(" " + s.label + " |")
	}
	t.WriteString("\n|---|---|---|" + strings.Repeat("---|", len(profileShares)) + "\n")
	for _, what := range []string{"apply", "plan", "destroy"} {
		for _, name := range []string{"partnercenter_transfer", "floor_transfer"} {
			files, _ := filepath.Glob(filepath.Join(b.profileDir, fmt.Sprintf("N%d", n), name, what, "*.pprof"))
			fmt.Fprintf(&t, "| %s | %s |", what, name)
			if len(files) == 0 {
				t.WriteString(" no profile |" + strings.Repeat(" |", len(profileShares)) + "\n")
				continue
			}
			_, totalCPU, err := pprofShare(b.ctx, files, "", "")
			if err != nil {
				t.WriteString(" " + oneLine(err.Error()) + " |" + strings.Repeat(" |", len(profileShares)) + "\n")
				continue
			}
			fmt.Fprintf(&t, " %s |", totalCPU)
			for _, s := range profileShares {
				share, _, err := pprofShare(b.ctx, files, s.focus, s.ignore)
				if err != nil {
					share = "?"
				}
				fmt.Fprintf(&t, " %s |", share)
			}
			t.WriteString("\n")
		}
	}
	notes := []Result{note(sectionApply, t.String())}
	for _, what := range []string{"apply", "plan"} {
		files, _ := filepath.Glob(filepath.Join(b.profileDir, fmt.Sprintf("N%d", n), "partnercenter_transfer", what, "*.pprof"))
		for _, view := range []struct {
			label string
			args  []string
		}{
			{"inside the resource's own methods", []string{"-show_from=" + ownCode}},
			{"in terraform-plugin-framework outside them", []string{"-ignore=" + ownCode, "-show_from=terraform-plugin-framework/internal/fwserver"}},
		} {
			top, err := pprofTop(b.ctx, files, profileTop, view.args...)
			if err != nil {
				continue
			}
			notes = append(notes, note(sectionApply, fmt.Sprintf("This provider's N=%d `%s`, CPU %s, by cumulative CPU, first %d functions (`go tool pprof -top -cum %s`):\n\n```text\n%s\n```",
				n, what, view.label, profileTop, strings.Join(view.args, " "), top)))
		}
	}
	return notes
}

// accounting is pprof's summary line: "Showing nodes accounting for 1.20s, 45.11% of 2.66s total".
var accounting = regexp.MustCompile(`accounting for ([^,]+), ([0-9.]+%) of (\S+) total`)

// pprofShare returns the share of the samples in files whose stack
// matches focus (all when empty) and not ignore, and the total CPU sampled.
func pprofShare(ctx context.Context, files []string, focus, ignore string) (share, totalCPU string, err error) {
	args := []string{"tool", "pprof", "-top"}
	if focus != "" {
		args = append(args, "-focus="+focus)
	}
	if ignore != "" {
		args = append(args, "-ignore="+ignore)
	}
	out, err := exec.CommandContext(ctx, "go", append(args, files...)...).CombinedOutput() // #nosec G204 -- go tool pprof on the benchmark's own files.
	if m := accounting.FindStringSubmatch(string(out)); m != nil {
		return m[2], m[3], nil
	}
	if focus != "" && err == nil || strings.Contains(string(out), "no matches found") {
		return "0%", "", nil
	}
	return "", "", fmt.Errorf("go tool pprof: %w: %s", err, oneLine(string(out)))
}

// pprofTop merges the profiles and returns pprof's -top -cum output
// without its file header.
func pprofTop(ctx context.Context, files []string, lines int, extra ...string) (string, error) {
	if len(files) == 0 {
		return "", fmt.Errorf("no profiles")
	}
	args := append(append([]string{"tool", "pprof", "-top", "-cum", fmt.Sprintf("-nodecount=%d", lines)}, extra...), files...)
	out, err := exec.CommandContext(ctx, "go", args...).Output() // #nosec G204 -- go tool pprof on the benchmark's own files.
	if err != nil {
		return "", fmt.Errorf("go tool pprof: %w", err)
	}
	var kept []string
	for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Build ID:") || strings.HasPrefix(l, "Type:") || strings.HasPrefix(l, "Time:") ||
			strings.HasPrefix(l, "Active filters:") || strings.HasPrefix(l, "   ") && strings.Contains(l, "=") && !strings.Contains(l, "%") {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n"), nil
}
