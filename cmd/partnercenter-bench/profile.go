// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// profileTop is how many functions of each profile the notes show.
const profileTop = 14

// profileNotes summarises the CPU profiles the provider and floor
// processes wrote during the N-size commands (-cpuprofile): the top
// functions by their own CPU time over all processes of a command, as
// `go tool pprof -top` prints them.
func (b *benchEnv) profileNotes(n int) []Result {
	var notes []Result
	for _, what := range []string{"apply", "plan", "destroy"} {
		for _, t := range []string{"partnercenter_transfer", "floor_transfer"} {
			dir := filepath.Join(b.profileDir, fmt.Sprintf("N%d", n), t, what)
			top, err := pprofTop(b.ctx, dir, profileTop)
			if err != nil {
				notes = append(notes, note(sectionApply, fmt.Sprintf("CPU profile of %s, N=%d %s: %v", t, n, what, err)))
				continue
			}
			notes = append(notes, note(sectionApply, fmt.Sprintf("CPU profile of every %s provider process of the N=%d `%s` runs (`go tool pprof -top`, first %d lines):\n\n```text\n%s\n```",
				t, n, what, profileTop, top)))
		}
	}
	return notes
}

// pprofTop merges the profiles in dir and returns pprof's -top output
// without its file header.
func pprofTop(ctx context.Context, dir string, lines int) (string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.pprof"))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no profiles in %s", dir)
	}
	args := append([]string{"tool", "pprof", "-top", fmt.Sprintf("-nodecount=%d", lines)}, files...)
	out, err := exec.CommandContext(ctx, "go", args...).Output() // #nosec G204 -- go tool pprof on the benchmark's own files.
	if err != nil {
		return "", fmt.Errorf("go tool pprof: %w", err)
	}
	var kept []string
	for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Build ID:") || strings.HasPrefix(l, "Type:") || strings.HasPrefix(l, "Time:") {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n"), nil
}
