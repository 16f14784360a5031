// SPDX-License-Identifier: MPL-2.0

package main

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestParseProcFiles(t *testing.T) {
	status := "Name:\tterraform-provi\nVmPeak:\t  812345 kB\nVmHWM:\t   40960 kB\nVmRSS:\t   30000 kB\n"
	if got, ok := parsePeakRSS(status); !ok || got != 40960*1024 {
		t.Errorf("parsePeakRSS = %d, %v; want %d", got, ok, 40960*1024)
	}
	if _, ok := parsePeakRSS("Name:\tx\n"); ok {
		t.Error("a status without VmHWM must not parse")
	}
	// The command name may hold spaces and parentheses.
	stat := "1234 (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0 100 0 0"
	if got, ok := parseCPUTime(stat); !ok || got != 3*time.Second {
		t.Errorf("parseCPUTime = %s, %v; want 3s (250+50 ticks)", got, ok)
	}
	if _, ok := parseCPUTime("1234 (x) S 1"); ok {
		t.Error("a truncated stat line must not parse")
	}
	if got := parsePIDs("12 345 \n"); len(got) != 2 || got[0] != 12 || got[1] != 345 {
		t.Errorf("parsePIDs = %v", got)
	}
	if got := parseLoadAverage("0.52 0.40 0.30 1/200 4242\n"); got != 0.52 {
		t.Errorf("parseLoadAverage = %v", got)
	}
	if got := parseLoadAverage(""); got != -1 {
		t.Errorf("empty loadavg = %v, want -1", got)
	}
	if kb, ok := procKilobytes("16384 kB"); !ok || kb != 16384 {
		t.Errorf("procKilobytes = %d, %v", kb, ok)
	}
	if _, ok := procKilobytes("16 MB"); ok {
		t.Error("an unknown unit must not parse")
	}
}

// TestWatcherFindsGrandchild runs `sh -c 'cat; true'` (sh forks cat, a
// grandchild of this test) and checks that the watcher records cat while
// it is alive.
func TestWatcherFindsGrandchild(t *testing.T) {
	if _, err := os.Stat("/proc/self/task"); err != nil {
		t.Skip("needs /proc")
	}
	cmd := exec.CommandContext(t.Context(), "sh", "-c", "cat; true")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &procWatcher{
		root: cmd.Process.Pid, matches: func(int) bool { return true },
		stop: make(chan struct{}), done: make(chan struct{}),
		peaks: map[int]int64{}, cpu: map[int]time.Duration{}, checked: map[int]bool{},
	}
	go w.loop()
	deadline := time.Now().Add(10 * time.Second)
	for {
		w.mu.Lock()
		seen := len(w.peaks)
		w.mu.Unlock()
		if seen > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the watcher never saw the grandchild")
		}
		time.Sleep(5 * time.Millisecond) // Polling for an event, not timing it.
	}
	_ = stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	u := w.finish()
	if u.Processes != 1 || u.PeakRSS <= 0 {
		t.Errorf("usage %+v, want one process with a positive peak", u)
	}
}

func TestIsProviderProcessRejectsOtherBinaries(t *testing.T) {
	if isProviderProcess(os.Getpid()) {
		t.Error("the test binary is not the provider")
	}
	if isProviderProcess(-1) {
		t.Error("a missing process is not the provider")
	}
}
