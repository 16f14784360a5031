// SPDX-License-Identifier: MPL-2.0

// Package cpuprofile lets the benchmark profile provider processes started
// by the Terraform CLI, which it cannot start under a profiler itself.
package cpuprofile

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
)

// EnvVar names a directory; when it is set, a process calling Start writes
// its CPU profile there as <name>-<pid>.pprof when the returned function
// runs. cmd/partnercenter-bench sets it with -cpuprofile.
const EnvVar = "PARTNERCENTER_CPUPROFILE_DIR"

// Start begins profiling when EnvVar is set and returns the function that
// stops and writes the profile (a no-op otherwise). Failing to profile
// never stops the process: it is a measurement aid.
func Start(name string) (stop func()) {
	dir := os.Getenv(EnvVar)
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", name, os.Getpid()))) // #nosec G304 G703 -- a directory the benchmark chose.
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
