// SPDX-License-Identifier: MPL-2.0

// Package cmdmain is the main function the long-running commands share
// (cmd/partnercenter-emulator, cmd/partnercenter-webhook-receiver,
// cmd/partnercenter-snapshot), so that
// they stop on the same signals and fail the same way.
package cmdmain

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Runner is a command's body: it runs until ctx is done or its work ends.
type Runner func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// Run calls run with the process's arguments and a context that ends on
// SIGINT or SIGTERM, then exits with the code exitCode gives.
func Run(name string, run Runner) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if code := exitCode(name, err, os.Stderr); code != 0 {
		os.Exit(code)
	}
}

// exitCode is 0 for success and for -help (the flag package has printed the
// usage), otherwise 2 after writing "name: err" to stderr.
func exitCode(name string, err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	_, _ = fmt.Fprintln(stderr, name+":", err)
	return 2
}
