// SPDX-License-Identifier: MPL-2.0

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// providerProcessName is how the provider binary is named on disk (the CLI
// runs it under this name from the dev_overrides directory).
const providerProcessName = "terraform-provider-partnercenter"

// floorProcessName is the floor provider's binary (./floorprovider).
const floorProcessName = "terraform-provider-floor"

// sampleInterval is how often the process watcher looks at /proc. VmHWM is
// the kernel's own high-water mark, so sampling only has to catch each
// process before it exits, not the moment of its peak.
const sampleInterval = 20 * time.Millisecond

// procWatcher follows the descendants of one process (the Terraform CLI) and
// records the peak resident set size (VmHWM) of those running the provider.
type procWatcher struct {
	root    int
	matches func(pid int) bool
	stop    chan struct{}
	done    chan struct{}

	mu      sync.Mutex
	peaks   map[int]int64         // pid -> VmHWM bytes, provider processes only
	cpu     map[int]time.Duration // pid -> user+system CPU time, provider processes only
	checked map[int]bool          // pid -> is a provider process
}

// watchProviders starts watching the process tree under root.
func watchProviders(root int) *procWatcher {
	w := &procWatcher{
		root: root, matches: isProviderProcess,
		stop: make(chan struct{}), done: make(chan struct{}),
		peaks: map[int]int64{}, cpu: map[int]time.Duration{}, checked: map[int]bool{},
	}
	go w.loop()
	return w
}

func (w *procWatcher) loop() {
	defer close(w.done)
	t := time.NewTicker(sampleInterval)
	defer t.Stop()
	for {
		w.sample()
		select {
		case <-w.stop:
			return
		case <-t.C:
		}
	}
}

func (w *procWatcher) sample() {
	for _, pid := range descendants(w.root) {
		w.mu.Lock()
		isProvider, known := w.checked[pid]
		w.mu.Unlock()
		if !known {
			isProvider = w.matches(pid)
			w.mu.Lock()
			w.checked[pid] = isProvider
			w.mu.Unlock()
		}
		if !isProvider {
			continue
		}
		hwm, hwmOK := readPeakRSS(pid)
		cpu, cpuOK := readCPUTime(pid)
		w.mu.Lock()
		if hwmOK {
			w.peaks[pid] = max(w.peaks[pid], hwm)
		}
		if cpuOK {
			w.cpu[pid] = max(w.cpu[pid], cpu)
		}
		w.mu.Unlock()
	}
}

// providerUsage is what the provider processes of one command used.
type providerUsage struct {
	// PeakRSS is the largest VmHWM of one provider process (bytes).
	PeakRSS int64
	// Processes is how many provider processes the CLI started.
	Processes int
	// CPU is the CPU time of all of them, as last sampled (a process's
	// final few milliseconds may be missed).
	CPU time.Duration
}

// finish stops watching and returns what the provider processes used.
func (w *procWatcher) finish() providerUsage {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	var u providerUsage
	for _, p := range w.peaks {
		u.PeakRSS = max(u.PeakRSS, p)
	}
	for _, c := range w.cpu {
		u.CPU += c
	}
	u.Processes = len(w.peaks)
	return u
}

// descendants lists the children and grandchildren of pid from
// /proc/PID/task/TID/children (a multi-threaded parent may fork from any
// thread, so every thread's list is read).
func descendants(pid int) []int {
	var out []int
	frontier := []int{pid}
	for depth := 0; depth < 3 && len(frontier) > 0; depth++ {
		var next []int
		for _, p := range frontier {
			next = append(next, childrenOf(p)...)
		}
		out = append(out, next...)
		frontier = next
	}
	return out
}

func childrenOf(pid int) []int {
	tasks, err := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "children"))
	if err != nil {
		return nil
	}
	var out []int
	for _, t := range tasks {
		b, err := os.ReadFile(t) // #nosec G304 -- a /proc path built from pids.
		if err != nil {
			continue
		}
		out = append(out, parsePIDs(string(b))...)
	}
	return out
}

func parsePIDs(s string) []int {
	var out []int
	for _, f := range strings.Fields(s) {
		if n, err := strconv.Atoi(f); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// isProviderProcess reports whether pid runs the provider binary or the
// floor provider (floorProcessName): whichever the CLI runs.
func isProviderProcess(pid int) bool {
	exe, err := os.Readlink(filepath.Join("/proc", strconv.Itoa(pid), "exe"))
	base := filepath.Base(exe)
	return err == nil && (strings.HasPrefix(base, providerProcessName) || strings.HasPrefix(base, floorProcessName))
}

// readPeakRSS returns a process's peak resident set size in bytes.
func readPeakRSS(pid int) (int64, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status")) // #nosec G304 -- a /proc path built from a pid.
	if err != nil {
		return 0, false
	}
	return parsePeakRSS(string(b))
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat CPU times; it is 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// readCPUTime returns a process's user plus system CPU time.
func readCPUTime(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat")) // #nosec G304 -- a /proc path built from a pid.
	if err != nil {
		return 0, false
	}
	return parseCPUTime(string(b))
}

// parseCPUTime reads utime and stime (fields 14 and 15) of /proc/PID/stat.
// The command name (field 2) may contain spaces and parentheses, so fields
// are counted after its closing parenthesis.
func parseCPUTime(stat string) (time.Duration, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(stat[i+1:])
	// fields[0] is field 3 (state), so utime is fields[11], stime fields[12].
	if len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, true
}

func parsePeakRSS(status string) (int64, bool) {
	kb, ok := procKilobytes(procField(status, "VmHWM"))
	return kb * 1024, ok
}
