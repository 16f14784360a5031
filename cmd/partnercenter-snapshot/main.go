// SPDX-License-Identifier: MPL-2.0

// Command partnercenter-snapshot copies a partner's customers, their
// subscriptions and transfer requests into a file the emulator serves
// (partnercenter-emulator -snapshot), so a migration can be rehearsed on a
// copy of the partner. It signs in like the provider (the same
// PARTNERCENTER_* / ARM_* environment variables), sends only GET requests
// through the client's shared rate limiter, prints progress on stderr and
// writes the file atomically. An interrupted run keeps what it read in
// <output>.partial (marked incomplete, refused by the emulator); the next
// run with the same -o continues from it.
//
//	partnercenter-snapshot -o partner.json [-anonymize] [-concurrency 8] [-max-requests-per-second 5]
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/cmdmain"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/snapshot"
)

// version is the User-Agent's version; set it with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	cmdmain.Run("partnercenter-snapshot", run)
}

// maxRateEnv is the provider's variable for max_requests_per_second.
const maxRateEnv = "PARTNERCENTER_MAX_REQUESTS_PER_SECOND"

type config struct {
	output      string
	anonymize   bool
	keyFile     string
	partnerName string
	concurrency int
	maxRate     float64
	restart     bool
	progress    time.Duration
	checkpoint  time.Duration
}

func parseFlags(args []string, stderr io.Writer, getenv func(string) string) (config, error) {
	var c config
	fs := flag.NewFlagSet("partnercenter-snapshot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = fmt.Fprintf(stderr, "Usage: partnercenter-snapshot -o partner.json [flags]\n\n"+
			"Signs in like the provider, from the environment: %s.\n\nFlags:\n", envHelp())
		fs.PrintDefaults()
	}
	fs.StringVar(&c.output, "o", "", "the snapshot file to write (required); progress is kept in <file>"+snapshot.PartialSuffix+" until it is complete")
	fs.BoolVar(&c.anonymize, "anonymize", false, "replace names, domains, e-mail addresses and free text with keyed pseudonyms (ids, offers, quantities, terms, statuses, dates kept)")
	fs.StringVar(&c.keyFile, "anonymize-key-file", "", "with -anonymize: the secret key file (default <file>.key, created if missing; the same key gives the same pseudonyms)")
	fs.StringVar(&c.partnerName, "partner-name", "", "the partner's name in the snapshot when no transfer request names it")
	fs.IntVar(&c.concurrency, "concurrency", snapshot.DefaultConcurrency, "customers read at a time (all requests share one rate limiter)")
	fs.Float64Var(&c.maxRate, "max-requests-per-second", 0, "cap on requests per second, retries included (default: "+maxRateEnv+", else none)")
	fs.BoolVar(&c.restart, "restart", false, "ignore <file>"+snapshot.PartialSuffix+" and read everything again")
	fs.DurationVar(&c.progress, "progress-interval", 2*time.Second, "how often a progress line is printed on stderr")
	fs.DurationVar(&c.checkpoint, "checkpoint-interval", 5*time.Second, "how often what was read is saved to <file>"+snapshot.PartialSuffix)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	case c.output == "":
		return c, errors.New("-o is required: the snapshot file to write, e.g. -o partner.json")
	case c.concurrency < 1:
		return c, errors.New("-concurrency must be at least 1")
	case c.progress <= 0 || c.checkpoint <= 0:
		return c, errors.New("-progress-interval and -checkpoint-interval must be positive")
	case c.keyFile != "" && !c.anonymize:
		return c, errors.New("-anonymize-key-file needs -anonymize")
	}
	if c.maxRate == 0 {
		if v := strings.TrimSpace(getenv(maxRateEnv)); v != "" {
			rate, err := strconv.ParseFloat(v, 64)
			if err != nil || rate < 0.01 {
				return c, fmt.Errorf("%s=%q is not a number of requests per second of at least 0.01", maxRateEnv, v)
			}
			c.maxRate = rate
		}
	}
	if c.maxRate < 0 {
		return c, errors.New("-max-requests-per-second must not be negative")
	}
	if c.anonymize && c.keyFile == "" {
		c.keyFile = c.output + ".key"
	}
	return c, nil
}

// envHelp lists the variables the provider reads for its settings.
func envHelp() string {
	var names []string
	for _, attr := range []string{auth.AttrTenantID, auth.AttrClientID, auth.AttrClientSecret, auth.AttrClientCertificatePath,
		auth.AttrUseOIDC, auth.AttrUseCLI, auth.AttrUseMSI, auth.AttrAccessToken, auth.AttrEnvironment, auth.AttrEndpoint, auth.AttrAuthorityHost} {
		if vars := auth.EnvVars(attr); len(vars) > 0 {
			names = append(names, vars[0])
		}
	}
	return strings.Join(names, ", ") + " (and their ARM_* equivalents)"
}

func run(ctx context.Context, args []string, _, stderr io.Writer) error {
	c, err := parseFlags(args, stderr, os.Getenv)
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) { _, _ = fmt.Fprintf(stderr, "snapshot: "+format+"\n", a...) }

	cfg := auth.Config{}
	auth.ApplyEnv(&cfg, os.Getenv)
	tokens, err := auth.NewTokenProvider(ctx, cfg, nil)
	if err != nil {
		return err
	}
	client, err := partnercenter.New(partnercenter.Options{Endpoint: cfg.ResolvedEndpoint(), Token: tokens,
		UserAgent: "partnercenter-snapshot/" + version, MaxRequestsPerSecond: c.maxRate})
	if err != nil {
		return err
	}
	partner := cfg.PartnerTenantID()
	if partner == "" {
		token, err := tokens.Token(ctx)
		if err != nil {
			return fmt.Errorf("signing in (%s): %w", cfg.Method(), err)
		}
		partner = auth.Config{AccessToken: token}.PartnerTenantID()
		if partner == "" {
			return errors.New("cannot tell which partner the credential signs in as: set PARTNERCENTER_TENANT_ID")
		}
	}

	o := snapshot.Options{Client: client, PartnerTenantID: partner, ClientID: cfg.ClientID, PartnerName: c.partnerName,
		Concurrency: c.concurrency, Progress: stderr, ProgressInterval: c.progress, CheckpointInterval: c.checkpoint}
	if c.anonymize {
		key, err := anonymizeKey(c.keyFile, logf)
		if err != nil {
			return err
		}
		o.Anonymizer = snapshot.NewAnonymizer(key)
	}
	partialPath := c.output + snapshot.PartialSuffix
	o.Resume, err = resumable(partialPath, partner, c, logf)
	if err != nil {
		return err
	}
	o.Checkpoint = func(s emulator.Seed) error { return snapshot.WriteFile(partialPath, s) }

	logf("reading partner %s at %s (%s), GET only, %d customers at a time, rate cap %s", partner, cfg.ResolvedEndpoint(), cfg.Method(),
		c.concurrency, rateText(c.maxRate))
	s, err := snapshot.Take(ctx, o)
	if err != nil {
		if _, statErr := os.Stat(partialPath); statErr == nil {
			return fmt.Errorf("%w\nwhat was read is kept in %s (marked incomplete; the emulator refuses it): run the same command again to continue", err, partialPath)
		}
		return err
	}
	if err := snapshot.WriteFile(c.output, s); err != nil {
		return err
	}
	if err := os.Remove(partialPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		logf("could not remove %s: %v", partialPath, err)
	}
	h := s.Snapshot
	logf("wrote %s: %d customers, %d subscriptions, %d transfer requests, %d partner(s)%s", c.output, h.CustomersRead,
		s.SubscriptionCount(), len(s.Transfers), len(s.Partners), anonymizedText(h.Anonymized))
	for _, l := range h.LeftOut {
		logf("left out: %s", l)
	}
	return nil
}

// resumable returns the partial file to continue, or nil after saying why
// the run starts again.
func resumable(path, partner string, c config, logf func(string, ...any)) (*emulator.Seed, error) {
	partial, err := snapshot.ReadPartial(path)
	switch {
	case err != nil && c.restart:
		logf("starting again (-restart): ignoring %s", path)
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%w\nremove it or pass -restart to start again", err)
	case partial == nil:
		return nil, nil
	case c.restart:
		logf("starting again (-restart): ignoring %s (%d of %d customers read)", path, partial.Snapshot.CustomersRead, partial.Snapshot.CustomersTotal)
		return nil, nil
	}
	if problem := snapshot.ResumeProblem(partial, partner, c.anonymize); problem != "" {
		logf("starting again: %s cannot be continued (%s)", path, problem)
		return nil, nil
	}
	logf("continuing %s: %d of %d customers already read", path, partial.Snapshot.CustomersRead, partial.Snapshot.CustomersTotal)
	return partial, nil
}

// anonymizeKey reads the key file, or creates it with 32 random bytes.
func anonymizeKey(path string, logf func(string, ...any)) ([]byte, error) {
	b, err := os.ReadFile(path) // #nosec G304 -- the operator's key file.
	if err == nil {
		key, decodeErr := hex.DecodeString(strings.TrimSpace(string(b)))
		if decodeErr != nil || len(key) < 16 {
			return nil, fmt.Errorf("anonymization key %s: want at least 32 hex digits", path)
		}
		logf("anonymizing with the key in %s", path)
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("saving the anonymization key: %w", err)
	}
	logf("anonymizing with a new key saved in %s (keep it private, do not share it with the snapshot; reuse it for the same pseudonyms)", path)
	return key, nil
}

func rateText(r float64) string {
	if r == 0 {
		return "none (the limiter still slows down after a 429)"
	}
	return strconv.FormatFloat(r, 'f', -1, 64) + "/s"
}

func anonymizedText(a bool) string {
	if a {
		return ", anonymized"
	}
	return ""
}
