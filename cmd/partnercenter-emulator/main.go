// SPDX-License-Identifier: MPL-2.0

// Command partnercenter-emulator runs the local Partner Center transfer API
// emulator (with its fake Entra ID) until SIGINT or SIGTERM. On start it
// prints machine-readable KEY=VALUE lines to stdout, for example:
//
//	PARTNERCENTER_ENDPOINT=https://127.0.0.1:43123
//	PARTNERCENTER_AUTHORITY_HOST=https://127.0.0.1:43123/
//	SSL_CERT_FILE=/tmp/partnercenter-emulator-123/ca.pem
//	PARTNERCENTER_EMULATOR_ADMIN=https://127.0.0.1:43123/_emulator/
//	PARTNERCENTER_EMULATOR_READY=1
//
// Human-readable information (partners, client ids, request log) goes to
// stderr. See internal/emulator/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/cmdmain"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

func main() {
	cmdmain.Run("partnercenter-emulator", run)
}

// config is the parsed command line.
type config struct {
	listen            string
	seedPath          string
	snapshotPath      string
	rehearsal         emulator.Rehearsal
	certificateFile   string
	useTLS            bool
	caFile            string
	stateFile         string
	stateSaveInterval time.Duration
	logRequests       bool
	opts              emulator.Options
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("partnercenter-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "address to listen on; port 0 picks a free port")
	fs.StringVar(&c.seedPath, "seed", "", "seed JSON file (default: the built-in copy of examples/emulator/seed.json)")
	fs.StringVar(&c.snapshotPath, "snapshot", "", "serve this partnercenter-snapshot file (refused if incomplete) plus a second partner; see -other-partner-*")
	fs.StringVar(&c.rehearsal.ClientSecret, "snapshot-client-secret", emulator.DefaultSnapshotClientSecret,
		"with -snapshot: the client secret the snapshot partner's app (the snapshot's client id) signs in with")
	fs.StringVar(&c.certificateFile, "snapshot-client-certificate", "", "with -snapshot: PEM certificate the snapshot partner's app may also sign in with")
	fs.StringVar(&c.rehearsal.Other.TenantID, "other-partner-tenant-id", "", "with -snapshot: the other partner of the migration "+
		"(default: the partner the snapshot's requests name most, else "+emulator.DefaultOtherPartnerTenantID+")")
	fs.StringVar(&c.rehearsal.Other.Name, "other-partner-name", "", "with -snapshot: the other partner's name (default: as the requests name it, else \""+emulator.DefaultOtherPartnerName+"\")")
	otherClientID := fs.String("other-partner-client-id", emulator.DefaultOtherPartnerClientID, "with -snapshot: the other partner's app client id")
	otherSecret := fs.String("other-partner-client-secret", emulator.DefaultOtherPartnerClientSecret, "with -snapshot: the other partner's app client secret")
	fs.BoolVar(&c.useTLS, "tls", true, "serve HTTPS with a CA generated at start (needed by azidentity)")
	fs.StringVar(&c.caFile, "ca-file", "", "where to write the CA certificate PEM (default: a temporary file removed at exit)")
	fs.StringVar(&c.stateFile, "state-file", "", "resume from this file if it exists; save to it while running and at exit")
	fs.DurationVar(&c.stateSaveInterval, "state-save-interval", 2*time.Second, "how often changed state is saved to -state-file (0: only at exit)")
	fs.BoolVar(&c.opts.IgnoreUnknownProperties, "ignore-unknown-properties", false, "ignore create and PATCH body properties no documentation lists (default: refuse them with 400)")
	fs.BoolVar(&c.logRequests, "log-requests", false, "log one line per request to stderr")
	fs.Float64Var(&c.opts.Speed, "speed", 1, "virtual seconds per real second (e.g. 600 turns 10 minutes into 1 second)")
	fs.DurationVar(&c.opts.CompletionDelay, "completion-delay", emulator.DefaultCompletionDelay, "virtual time a submitted transfer stays InProgress")
	fs.DurationVar(&c.opts.PendingExpiry, "pending-expiry", emulator.DefaultPendingExpiry, "virtual time before a pending transfer expires")
	fs.IntVar(&c.opts.PageSize, "page-size", emulator.DefaultPageSize, "list page size")
	fs.StringVar(&c.opts.ListShape, "list-shape", emulator.ListShapeCollection, `list response shape: "collection" (paged) or "array"`)
	fs.DurationVar(&c.opts.TokenLifetime, "token-lifetime", emulator.DefaultTokenLifetime, "lifetime of issued access tokens (real time)")
	fs.StringVar(&c.opts.CanceledStatus, "canceled-status", "Canceled", "status stored after a cancel")
	fs.StringVar(&c.opts.FailedStatus, "failed-status", "Failed", "status stored when a transfer fails")
	fs.StringVar(&c.opts.RequestIDMode, "request-id-mode", emulator.RequestIDReplay,
		"what a repeated MS-RequestId gets: "+strings.Join(emulator.RequestIDModes, ", ")+" (Partner Center's behaviour is undocumented; see internal/emulator/README.md)")
	rateLimit := fs.String("rate-limit", "", "per-partner request budget as N/duration, e.g. 50/1s (default: unlimited)")
	start := fs.String("start", "", "virtual clock start, RFC 3339 (default: now)")
	wire := fs.String("wire", "", "comma-separated documented wire variants to answer with (see internal/emulator/README.md): "+
		strings.Join(emulator.WireVariantNames(), ", "))
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var err error
	if c.opts.RateLimit, err = parseRateLimit(*rateLimit); err != nil {
		return c, err
	}
	if c.opts.Wire, err = emulator.ParseWireVariants(*wire); err != nil {
		return c, fmt.Errorf("-wire: %w", err)
	}
	if *start != "" {
		if c.opts.Start, err = time.Parse(time.RFC3339, *start); err != nil {
			return c, fmt.Errorf("-start: %w", err)
		}
	}
	if c.opts.Speed <= 0 {
		return c, errors.New("-speed must be positive")
	}
	if c.snapshotPath != "" && c.seedPath != "" {
		return c, errors.New("-snapshot and -seed exclude each other: a snapshot is the seed")
	}
	if c.snapshotPath != "" {
		c.rehearsal.Other.Apps = []fakeentra.App{{ClientID: *otherClientID, ClientSecret: *otherSecret}}
	}
	return c, nil
}

// parseRateLimit reads "N/duration"; the duration's number may be omitted
// ("50/s" is 50 per second). Empty means unlimited.
func parseRateLimit(s string) (emulator.RateLimit, error) {
	if s == "" {
		return emulator.RateLimit{}, nil
	}
	count, per, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(count)
	if !ok || err != nil || n <= 0 {
		return emulator.RateLimit{}, fmt.Errorf("-rate-limit %q: want N/duration, e.g. 50/1s", s)
	}
	if per != "" && (per[0] < '0' || per[0] > '9') {
		per = "1" + per
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 {
		return emulator.RateLimit{}, fmt.Errorf("-rate-limit %q: want N/duration, e.g. 50/1s", s)
	}
	return emulator.RateLimit{Requests: n, Per: d}, nil
}

// run starts the emulator, prints the connection lines and serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := log.New(stderr, "partnercenter-emulator: ", log.LstdFlags)
	c.opts.Seed = emulator.DefaultSeed()
	if c.seedPath != "" {
		if c.opts.Seed, err = emulator.LoadSeed(c.seedPath); err != nil {
			return err
		}
	}
	if c.snapshotPath != "" {
		if c.opts.Seed, err = loadSnapshot(c); err != nil {
			return err
		}
	}
	if c.logRequests {
		c.opts.Logf = logger.Printf
	}
	e, err := emulator.New(c.opts)
	if err != nil {
		return err
	}
	if c.stateFile != "" {
		switch err := e.LoadStateFile(c.stateFile); {
		case err == nil:
			logger.Printf("resumed state from %s", c.stateFile)
		case errors.Is(err, os.ErrNotExist):
		default:
			return err
		}
	}

	var ca *emulator.CA
	if c.useTLS {
		if ca, err = emulator.NewCA(); err != nil {
			return err
		}
		caFile := c.caFile
		if caFile == "" {
			dir, err := os.MkdirTemp("", "partnercenter-emulator-")
			if err != nil {
				return fmt.Errorf("creating a directory for the CA file: %w", err)
			}
			defer func() { _ = os.RemoveAll(dir) }() // Best effort: it is a temporary directory.
			caFile = filepath.Join(dir, "ca.pem")
		}
		if err := ca.WritePEM(caFile); err != nil {
			return err
		}
		c.caFile = caFile
	}
	srv, err := emulator.Start(e, c.listen, ca)
	if err != nil {
		return err
	}
	lines := []string{
		"PARTNERCENTER_ENDPOINT=" + srv.URL,
		"PARTNERCENTER_AUTHORITY_HOST=" + srv.URL + "/",
	}
	if ca != nil {
		lines = append(lines, "SSL_CERT_FILE="+c.caFile)
	}
	lines = append(lines, "PARTNERCENTER_EMULATOR_ADMIN="+srv.URL+"/_emulator/", "PARTNERCENTER_EMULATOR_READY=1")
	if _, err := fmt.Fprintln(stdout, strings.Join(lines, "\n")); err != nil {
		_ = srv.Close()
		return fmt.Errorf("writing the connection lines: %w", err)
	}
	for _, p := range e.State("").Partners {
		logger.Printf("partner %q tenant %s client ids %s", p.Name, p.TenantID, strings.Join(p.ClientIDs, ", "))
	}

	serveUntilDone(ctx, e, c, logger)
	err = srv.Close()
	if c.stateFile != "" {
		err = errors.Join(err, e.SaveStateFile(c.stateFile))
	}
	logger.Printf("stopped")
	return err
}

// loadSnapshot reads a snapshot (LoadSeed refuses an incomplete one) and
// adds the apps and the other partner a rehearsal needs.
func loadSnapshot(c config) (emulator.Seed, error) {
	s, err := emulator.LoadSeed(c.snapshotPath)
	if err != nil {
		return s, err
	}
	if c.certificateFile != "" {
		pem, err := os.ReadFile(c.certificateFile) // #nosec G304 -- the operator's certificate.
		if err != nil {
			return s, fmt.Errorf("-snapshot-client-certificate: %w", err)
		}
		c.rehearsal.CertificatePEM = string(pem)
	}
	s, err = s.ForRehearsal(c.rehearsal)
	if err != nil {
		return s, fmt.Errorf("snapshot %s: %w", c.snapshotPath, err)
	}
	return s, nil
}

// settleInterval is how often the command applies due transitions without
// client traffic, so expiry and completion events (webhooks) are timely.
const settleInterval = time.Second

// serveUntilDone waits for ctx. Meanwhile it settles due transitions every
// second and saves the state file when transfers changed (every change
// emits an event).
func serveUntilDone(ctx context.Context, e *emulator.Emulator, c config, logger *log.Logger) {
	var dirty atomic.Bool
	unsubscribe := e.Subscribe(func(emulator.Event) { dirty.Store(true) })
	defer unsubscribe()
	settle := time.NewTicker(settleInterval)
	defer settle.Stop()
	var save <-chan time.Time
	if c.stateFile != "" && c.stateSaveInterval > 0 {
		saveTicker := time.NewTicker(c.stateSaveInterval)
		defer saveTicker.Stop()
		save = saveTicker.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-settle.C:
			e.Settle()
		case <-save:
			if dirty.Swap(false) {
				if err := e.SaveStateFile(c.stateFile); err != nil {
					logger.Printf("saving state: %v", err)
				}
			}
		}
	}
}
