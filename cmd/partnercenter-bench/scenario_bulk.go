// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"path/filepath"
	"time"
)

func init() {
	register(scenario{name: "bulk", order: 70, title: "Whole-partner migration under throttling", usesCLI: true, run: bulkScenario,
		budgets: []budget{applyCreateBudget, finishedPlanBudget}})
}

const sectionBulk = "8. Whole-partner migration: N target-side creates under throttling, then plans over the finished requests"

// bulkRate is the partner's request budget in this scenario (requests per
// second), and bulkParallelism the CLI's -parallelism: a bulk run raises
// it, and the shared limiter must keep the extra workers inside the budget.
const (
	bulkRate        = 50
	bulkParallelism = 30
)

// finishedPlanBudget: final transfers are not re-read, so a plan over them
// sends only what its one provider process's Configure sends (token and
// connection check, see configuring), whatever N.
var finishedPlanBudget = newBudget("`plan` over N finished (Expired) requests", configuring(1))

// bulkScenario applies one request per customer for N customers under a
// rate limit (issue 16): 0 errors and 0 duplicates, and the requests are
// the minimum (applyCreateBudget: per customer one POST, and the plan's
// relationship check and list for a Pending request with the same inputs,
// twice, since Terraform plans again in the apply's own provider process).
// The requests are then left to expire (a final state), one refresh
// records that, and a plan over the finished migration must send no
// request beyond its provider process's Configure.
func bulkScenario(b *benchEnv) []Result {
	n := b.pick(2000, 200, 20)
	b.logf("bulk: N=%d creates at %d requests/s, -parallelism=%d", n, bulkRate, bulkParallelism)
	rows, err := b.measureBulk(n)
	if err != nil {
		rows = append(rows, failed(sectionBulk, fmt.Sprintf("N=%d bulk migration", n), err))
	}
	return rows
}

func (b *benchEnv) measureBulk(n int) ([]Result, error) {
	dir := filepath.Join(b.workDir, "bulk")
	w, cfgDir, err := startThrottledCreates(dir, n, bulkRate)
	if err != nil {
		return nil, err
	}
	defer w.close()
	env := w.env(w.target)
	parallelism := fmt.Sprintf("-parallelism=%d", bulkParallelism)
	name := fmt.Sprintf("N=%d creates at R=%d/s, -parallelism=%d", n, bulkRate, bulkParallelism)

	w.emu.ResetStats()
	res, runErr := b.cli.run(b.ctx, cfgDir, env, "apply", "-auto-approve", "-input=false", "-no-color", parallelism)
	applyStats := w.emu.Stats()
	perCustomer, duplicates := requestsPerCustomer(w)
	errorCount := countErrors(res.Output, runErr)
	rows := []Result{
		info(sectionBulk, name+": apply time", fmt.Sprintf("%s (requests/R = %s)", seconds(res.Wall),
			seconds(time.Duration(float64(total(applyCreateBudget.at(n)))/bulkRate*float64(time.Second))))),
		checked(sectionBulk, name+": errors and duplicates", fmt.Sprintf("%d errors, %d requests on the server, %d duplicates", errorCount, len(perCustomer), duplicates),
			fmt.Sprintf("0 errors, %d requests, 0 duplicates", n), errorCount == 0 && len(perCustomer) == n && duplicates == 0),
		answeredRow(sectionBulk, name+": requests", applyStats, applyCreateBudget.at(n)),
	}

	// Finished: every request expires (30 days), a refresh-only apply
	// records it, and the plan after that has nothing to ask.
	w.emu.Advance(31 * 24 * time.Hour)
	w.emu.Settle()
	if res, err := b.cli.run(b.ctx, cfgDir, env, "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color", parallelism); err != nil {
		return rows, fmt.Errorf("refresh-only apply recording the expiry: %w: %s", err, oneLine(res.Output))
	}
	w.emu.ResetStats()
	plan, err := b.cli.run(b.ctx, cfgDir, env, "plan", "-input=false", "-no-color", parallelism)
	if err != nil {
		return rows, fmt.Errorf("plan over finished requests: %w: %s", err, oneLine(plan.Output))
	}
	planStats := w.emu.Stats()
	rows = append(rows,
		info(sectionBulk, fmt.Sprintf("plan over the %d finished (Expired) requests: time", n), seconds(plan.Wall)),
		requestRow(sectionBulk, fmt.Sprintf("plan over the %d finished (Expired) requests: requests", n), planStats, finishedPlanBudget.at(n), ""),
	)
	return rows, nil
}
