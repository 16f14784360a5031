// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

func init() {
	register(scenario{name: "throttle", order: 30, title: "Throttled apply (emulator rate limit per partner)", usesCLI: true, run: throttleScenario,
		budgets: []budget{applyCreateBudget}})
}

const sectionThrottle = "4. Throttled apply (emulator rate limit per partner)"

// throttleTarget is the largest acceptable apply time relative to
// requests/R (the budget's Partner Center requests over the rate), the
// time the rate limit alone imposes, and throttledShareTarget the share of
// requests that may be answered 429 (issue 17): the client's shared limiter
// finds the budget once for every worker instead of each worker on its own.
const (
	throttleTarget       = 1.1
	throttledShareTarget = 0.05
)

// Defaults of -throttle-rate (the emulator's budget, requests per second
// per partner) and -throttle-parallelism (the CLI's -parallelism, one run
// each). 30 workers contend three to one for a budget of 10 per second:
// without a shared limiter each found the limit on its own, and 539 of 739
// requests were answered 429.
const (
	defaultThrottleRate        = 10
	defaultThrottleParallelism = "10,30"
)

func throttleScenario(b *benchEnv) []Result {
	n := b.pick(200, 60, 20)
	var rows []Result
	for _, p := range b.throttleParallelism {
		b.logf("throttle: N=%d at %d requests/s, -parallelism=%d", n, b.throttleRate, p)
		r, err := b.measureThrottled(n, p)
		if err != nil {
			r = append(r, failed(sectionThrottle, fmt.Sprintf("N=%d throttled apply, -parallelism=%d", n, p), err))
		}
		rows = append(rows, r...)
	}
	return rows
}

func (b *benchEnv) measureThrottled(n, parallelism int) ([]Result, error) {
	dir := filepath.Join(b.workDir, fmt.Sprintf("throttle-%d", parallelism))
	w, cfgDir, err := startThrottledCreates(dir, n, b.throttleRate)
	if err != nil {
		return nil, err
	}
	defer w.close()
	w.emu.ResetStats()
	res, runErr := b.cli.run(b.ctx, cfgDir, w.env(w.target),
		"apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", parallelism))
	stats := w.emu.Stats()
	perCustomer, duplicates := requestsPerCustomer(w)
	errorCount := countErrors(res.Output, runErr)

	errorText := ""
	if i := strings.Index(res.Output, "Error:"); i >= 0 {
		errorText = " (first: " + oneLine(res.Output[i:]) + ")"
	}

	share := 0.0
	if stats.Total > 0 {
		share = float64(stats.Throttled) / float64(stats.Total-stats.Count(emulator.RouteToken, "")-stats.Count("openid-configuration", ""))
	}
	// The limit applies to Partner Center's routes, not to the identity
	// platform's (token, openid-configuration): the ideal time is the
	// budget's Partner Center requests over R.
	want := applyCreateBudget.at(n)
	limited := total(want) - want[emulator.RouteToken+" POST"] - want["openid-configuration GET"]
	ideal := time.Duration(float64(limited) / float64(b.throttleRate) * float64(time.Second))
	ratio := res.Wall.Seconds() / ideal.Seconds()
	name := fmt.Sprintf("N=%d creates at R=%d/s, -parallelism=%d", n, b.throttleRate, parallelism)
	return []Result{
		checked(sectionThrottle, name+": time", fmt.Sprintf("%s = %.2fx requests/R (%d Partner Center requests / R = %s)", seconds(res.Wall), ratio, limited, seconds(ideal)),
			fmt.Sprintf("<= %.1fx requests/R = %s", throttleTarget, seconds(time.Duration(throttleTarget*float64(ideal)))), ratio <= throttleTarget),
		checked(sectionThrottle, name+": errors", fmt.Sprintf("%d errors, %d transfers, %d duplicates%s", errorCount, len(perCustomer), duplicates, errorText),
			fmt.Sprintf("0 errors, %d transfers, 0 duplicates", n), errorCount == 0 && len(perCustomer) == n && duplicates == 0),
		checked(sectionThrottle, name+": requests answered 429", fmt.Sprintf("%d of %d (%.1f%%), %d replayed", stats.Throttled, stats.Total, 100*share, stats.Replayed),
			fmt.Sprintf("< %.0f%% answered 429, 0 replayed", 100*throttledShareTarget), share < throttledShareTarget && stats.Replayed == 0),
		answeredRow(sectionThrottle, name+": answered requests", stats, want),
	}, nil
}

// answeredRow checks a throttled command: the requests answered (not 429)
// are exactly want, the budget of the same command unthrottled, every one
// answered 429 was sent again, and none was replayed. It is an Exact row.
func answeredRow(section, name string, s emulator.Stats, want requestCounts) Result {
	got := countsOf(s)
	sent, budget := total(got), total(want)
	ok := sent-s.Throttled == budget && s.Replayed == 0 && len(got) == len(want)
	for k, v := range want {
		ok = ok && got[k] >= v
	}
	r := checked(section, name, fmt.Sprintf("%d answered of %d sent (%s; %d answered 429)", sent-s.Throttled, sent, got, s.Throttled),
		fmt.Sprintf("%d answered: %s", budget, want), ok)
	r.Exact = true
	return r
}

// startThrottledCreates starts an emulator that allows rate requests per
// second per partner, with n customers, and writes the target's
// configuration creating one request per customer; it returns the world and
// the configuration's directory.
func startThrottledCreates(dir string, n, rate int) (*world, string, error) {
	w, err := startWorld(dir, func(o *emulator.Options) {
		o.RateLimit = emulator.RateLimit{Requests: rate, Per: time.Second}
	})
	if err != nil {
		return nil, "", err
	}
	customers, err := w.addCustomers(n)
	if err == nil {
		var vars string
		if vars, err = customersVars(customers); err == nil {
			err = writeFiles(filepath.Join(dir, "config"), map[string]string{"main.tf": transferConfig(w), "terraform.tfvars.json": vars})
		}
	}
	if err != nil {
		w.close()
		return nil, "", err
	}
	return w, filepath.Join(dir, "config"), nil
}

// requestsPerCustomer counts the requests on the server per customer and
// how many of them are duplicates (more than one for a customer).
func requestsPerCustomer(w *world) (map[string]int, int) {
	perCustomer := map[string]int{}
	for _, t := range w.emu.Transfers() {
		perCustomer[strings.ToLower(t.CustomerTenantID)]++
	}
	duplicates := 0
	for _, k := range perCustomer {
		duplicates += k - 1
	}
	return perCustomer, duplicates
}

// countErrors counts the CLI's error diagnostics; a failed run counts at
// least one.
func countErrors(output string, runErr error) int {
	n := strings.Count(output, "Error:")
	if runErr != nil && n == 0 {
		n = 1
	}
	return n
}
