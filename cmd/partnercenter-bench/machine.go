// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// machine describes where the figures were measured.
type machine struct {
	CPU      string
	Cores    int
	MemoryGB float64
	Kernel   string
	Go       string
}

func (m machine) String() string {
	return fmt.Sprintf("%s, %d cores, %.1f GB RAM, Linux %s, %s", m.CPU, m.Cores, m.MemoryGB, m.Kernel, m.Go)
}

// describeMachine reads /proc; fields it cannot read stay empty.
func describeMachine() machine {
	m := machine{Cores: runtime.NumCPU(), Go: runtime.Version(), CPU: "unknown CPU"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if v := procField(string(b), "model name"); v != "" {
			m.CPU = v
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if kb, ok := procKilobytes(procField(string(b), "MemTotal")); ok {
			m.MemoryGB = float64(kb) / (1 << 20)
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// procField returns the value of "key: value" in a /proc text file.
func procField(text, key string) string {
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// procKilobytes parses "123456 kB".
func procKilobytes(v string) (int64, bool) {
	num, unit, _ := strings.Cut(strings.TrimSpace(v), " ")
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || (unit != "" && unit != "kB") {
		return 0, false
	}
	return n, true
}

// loadAverage returns the 1-minute load average, or -1 when unknown.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	return parseLoadAverage(string(b))
}

func parseLoadAverage(s string) float64 {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// waitForQuiet waits until the 1-minute load average is below limit or
// patience runs out, so final figures are not measured on a busy machine.
// It returns the load it stopped at.
func waitForQuiet(ctx context.Context, limit float64, patience time.Duration, logf func(string, ...any)) float64 {
	deadline := time.Now().Add(patience)
	for {
		load := loadAverage()
		if load < 0 || load < limit || !time.Now().Before(deadline) || ctx.Err() != nil {
			return load
		}
		logf("waiting for a quiet machine: load %.2f, want < %.2f (until %s)", load, limit, deadline.Format(time.TimeOnly))
		select {
		case <-ctx.Done():
		case <-time.After(30 * time.Second):
		}
	}
}
