// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

func init() {
	register(scenario{name: "snapshot", order: 90, title: "Snapshot of a partner (partnercenter-snapshot)",
		run: snapshotScenario, budgets: []budget{snapshotBudget}})
}

const sectionSnapshot = "Snapshot of a partner: partnercenter-snapshot reading N customers with 3 subscriptions each"

// snapshotBudget is the minimum a snapshot can cost: the customer list in
// pages of 500, one subscription list and one transfer list per customer,
// and signing in once. GET only: any POST, PATCH or DELETE to the API
// breaks the row.
var snapshotBudget = newBudget("partnercenter-snapshot of N customers",
	each(perGroup("listCustomers GET", emulator.DefaultCustomerPageSize), perN("listSubscriptions GET", 1), perN("list GET", 1)),
	authenticating(1))

const (
	// snapshotRate is the client-side cap (-max-requests-per-second) of
	// the timed run. A configured cap is a promise (no bursts above it), so
	// the run may not be faster than API requests / rate; how much slower
	// it is (each paced request waits for its slot, and a late wake-up on
	// a loaded machine is not caught up) is the figure.
	snapshotRate = 100
	// snapshotRSSTarget bounds the command's peak memory at 2,000 customers.
	snapshotRSSTarget = 100_000_000
)

// snapshotScenario snapshots N generated customers (3 subscriptions each,
// every other license with an add-on) as their source partner with the
// real command, unthrottled and then capped at snapshotRate requests per
// second: requests against the budget, time, peak memory and file size.
func snapshotScenario(b *benchEnv) []Result {
	n := b.pick(2_000, 300, 40)
	rows, err := b.measureSnapshot(n)
	if err != nil {
		rows = append(rows, failed(sectionSnapshot, fmt.Sprintf("snapshot of %d customers", n), err))
	}
	return rows
}

func (b *benchEnv) measureSnapshot(n int) ([]Result, error) {
	dir := filepath.Join(b.workDir, "snapshot")
	binary, err := buildSnapshotCommand(b.ctx, dir)
	if err != nil {
		return nil, err
	}
	w, err := startWorld(dir, nil)
	if err != nil {
		return nil, err
	}
	defer w.close()
	b.logf("snapshot: generating %d customers with 3 subscriptions each", n)
	if _, err := w.emu.GenerateCustomers(emulator.GenerateCustomers{Count: n, SubscriptionsPerCustomer: 3,
		PartnerTenantIDs: []string{w.target.TenantID, w.source.TenantID}, OwnerPartnerTenantID: w.source.TenantID}); err != nil {
		return nil, err
	}
	label := fmt.Sprintf("%d customers x 3 subscriptions", n)
	var rows []Result
	for _, rate := range []int{0, snapshotRate} {
		out := filepath.Join(dir, fmt.Sprintf("partner-%d.json", rate))
		args := []string{"-o", out, "-progress-interval", "2s"}
		name := label + ", unthrottled"
		if rate > 0 {
			args = append(args, "-max-requests-per-second", fmt.Sprint(rate))
			name = fmt.Sprintf("%s, -max-requests-per-second %d", label, rate)
		}
		b.logf("snapshot: %s", name)
		w.emu.ResetStats()
		run, err := runSnapshotCommand(b.ctx, binary, w, args)
		if err != nil {
			return rows, err
		}
		stats := w.emu.Stats()
		seed, err := emulator.LoadSeed(out)
		if err != nil {
			return rows, fmt.Errorf("the snapshot does not load: %w", err)
		}
		file, err := os.Stat(out)
		if err != nil {
			return rows, err
		}
		want := snapshotBudget.at(n)
		rows = append(rows,
			requestRow(sectionSnapshot, name+": requests", stats, want, ""),
			checked(sectionSnapshot, name+": snapshot loads in the emulator", fmt.Sprintf("%d customers, %d subscriptions incl. add-ons, %s file",
				len(seed.Customers), seed.SubscriptionCount(), megabytes(file.Size())), fmt.Sprintf("%d customers", n), len(seed.Customers) == n),
		)
		api := 0
		for k, v := range countsOf(stats) {
			if k != "token POST" && k != "openid-configuration GET" {
				api += v
			}
		}
		if rate == 0 {
			rows = append(rows,
				info(sectionSnapshot, name+": time", seconds(run.wall)),
				checked(sectionSnapshot, name+": command peak RSS", megabytes(run.peakRSS), "< "+megabytes(snapshotRSSTarget),
					run.peakRSS > 0 && (b.ci || b.quick || run.peakRSS < snapshotRSSTarget)))
		} else {
			ideal := time.Duration(float64(api) / float64(rate) * float64(time.Second))
			ratio := run.wall.Seconds() / ideal.Seconds()
			rows = append(rows, checked(sectionSnapshot, name+": time (the cap holds)", fmt.Sprintf("%s = %.2fx API requests/rate (%s)", seconds(run.wall), ratio, seconds(ideal)),
				">= 1.0x", ratio >= 1))
		}
		rows = append(rows, note(sectionSnapshot, fmt.Sprintf("%s, last progress line: `%s`", name, run.lastProgress)))
		if rate == 0 {
			// Microsoft documents 500 requests per minute per tenant for
			// the customer and subscription resources.
			rows = append(rows, note(sectionSnapshot, fmt.Sprintf("At Partner Center's documented 500 requests per minute, "+
				"these %d API requests take at least %s: pass -max-requests-per-second 8 to stay under it.",
				api, (time.Duration(api)*time.Minute/500).Round(time.Second))))
		}
	}
	return rows, nil
}

// buildSnapshotCommand builds cmd/partnercenter-snapshot into dir.
func buildSnapshotCommand(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("building partnercenter-snapshot needs the go command on PATH")
	}
	binary := filepath.Join(dir, "partnercenter-snapshot")
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", binary, "./cmd/partnercenter-snapshot") // #nosec G204 -- fixed arguments.
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building partnercenter-snapshot: %w\n%s", err, out)
	}
	return binary, nil
}

type snapshotRun struct {
	wall         time.Duration
	peakRSS      int64
	lastProgress string
}

// runSnapshotCommand runs the command as w's source partner, signed in
// through the provider's environment variables.
func runSnapshotCommand(ctx context.Context, binary string, w *world, args []string) (snapshotRun, error) {
	cmd := exec.CommandContext(ctx, binary, args...) // #nosec G204 -- the command built above.
	cmd.Env = append(cleanEnv(os.Environ()), append(w.env(w.source),
		"PARTNERCENTER_TENANT_ID="+w.source.TenantID, "PARTNERCENTER_CLIENT_ID="+w.source.ClientID,
		"PARTNERCENTER_ENDPOINT="+w.srv.URL, "PARTNERCENTER_AUTHORITY_HOST="+w.srv.URL+"/")...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	started := time.Now()
	err := cmd.Run()
	run := snapshotRun{wall: time.Since(started)}
	if err != nil {
		return run, fmt.Errorf("partnercenter-snapshot: %w\n%s", err, tail(stderr.String(), 2000))
	}
	if u, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		run.peakRSS = u.Maxrss * 1024 // kilobytes on Linux
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.HasPrefix(l, "snapshot: customers ") {
			run.lastProgress = l
		}
	}
	return run, nil
}
