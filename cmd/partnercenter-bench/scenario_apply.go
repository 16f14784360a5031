// SPDX-License-Identifier: MPL-2.0

package main

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

func init() {
	register(scenario{name: "apply", order: 10, title: "terraform apply, plan and destroy of N transfers, against the floor and terraform_data",
		usesCLI: true, run: applyScenario, budgets: []budget{applyCreateBudget, applyPlanBudget, applyDestroyBudget}})
}

// The exact requests of the apply scenario's commands (see budget). The
// plan of a create lists its customer's transfers once, to name a Pending
// request with the same inputs no resource holds; Terraform plans the
// creates again during the apply in a second provider process, which lists
// once more (the requests that existed before its POSTs) and POSTs. A
// refresh of a pending transfer is one GET; destroy refreshes in its plan
// (one provider process) and cancels in its apply (another process). Every
// provider process the CLI starts configures (see configuring): apply two
// (plan and apply), plan one, destroy three.
var (
	applyCreateBudget = newBudget("`apply` creating N transfers, one customer each",
		each(perN("create POST", 1), perN("list GET", 2)), configuring(2))
	applyPlanBudget = newBudget("refreshing `plan` of the N pending transfers (no change)",
		each(perN("get GET", 1)), configuring(1))
	applyDestroyBudget = newBudget("`destroy` cancelling the N pending transfers",
		each(perN("get GET", 1), perN("cancel PATCH", 1)), configuring(3))
)

const (
	sectionApply    = "1. terraform apply creating N transfers vs N terraform_data"
	sectionRequests = "2. HTTP requests per command (emulator counts vs the budgets above)"
)

// Time ratio targets of the provider's commands relative to the same
// commands over terraform_data of the same size (issue 17), checked at
// applyTargetSize; the small apply has its own, looser target, as fixed
// start-up costs (the provider's process, authentication) dominate it.
const (
	applyTargetSize       = 500
	applyRatioTarget      = 1.3
	planRatioTarget       = 2.0
	destroyRatioTarget    = 1.3
	smallApplySize        = 10
	smallApplyRatioTarget = 3.0
	// targetRepeats is how often the commands whose ratio is checked run
	// alternately with their baseline; the medians are compared.
	targetRepeats = 3
)

// applyRun is the cost of the commands for one size.
type applyRun struct {
	n int
	// reps is how many times both applies ran; apply and baseApply are
	// the median runs.
	reps                 int
	apply, baseApply     runResult
	plan, basePlan       runResult
	applyReqs, planReqs  emulator.Stats
	destroyReqs          emulator.Stats
	transfersAfterApply  int
	canceledAfterDestroy int
	destroy, baseDestroy runResult
}

// applyScenario measures scenarios 1 (time and memory) and 2 (requests) on
// the same commands: apply, a refreshing plan that must show no change,
// and destroy (whose requests are counted; terraform_data has no
// counterpart worth timing).
func applyScenario(b *benchEnv) []Result {
	sizes := []int{10, 100, 500}
	switch {
	case b.ci:
		sizes = []int{3}
	case b.quick:
		sizes = []int{10, 50}
	}
	var timing, requests []Result
	for i, n := range sizes {
		largest := i == len(sizes)-1
		// Sizes with a target repeat and take the medians, so one
		// disturbed run does not decide.
		reps := 1
		if !b.ci && (n == smallApplySize || largest && !b.quick) {
			reps = targetRepeats
		}
		b.logf("apply: N=%d (%d runs)", n, reps)
		run, err := b.measureApply(n, reps)
		if err != nil {
			timing = append(timing, failed(sectionApply, fmt.Sprintf("N=%d", n), err))
			continue
		}
		timing = append(timing, applyTimingRows(run, largest, b.parallelism)...)
		requests = append(requests, applyRequestRows(run)...)
	}
	return append(timing, requests...)
}

func (b *benchEnv) measureApply(n, reps int) (applyRun, error) {
	run := applyRun{n: n, reps: reps}
	dir := filepath.Join(b.workDir, fmt.Sprintf("apply-%d", n))
	w, err := startWorld(dir, nil)
	if err != nil {
		return run, err
	}
	defer w.close()
	customers, err := w.addCustomers(n)
	if err != nil {
		return run, err
	}
	vars, err := customersVars(customers)
	if err != nil {
		return run, err
	}
	providerDir, baseDir := filepath.Join(dir, "provider"), filepath.Join(dir, "baseline")
	if err := writeFiles(providerDir, map[string]string{"main.tf": transferConfig(w), "terraform.tfvars.json": vars}); err != nil {
		return run, err
	}
	if err := writeFiles(baseDir, map[string]string{"main.tf": baselineConfig(w), "terraform.tfvars.json": vars}); err != nil {
		return run, err
	}
	par := fmt.Sprintf("-parallelism=%d", b.parallelism)
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color", par}
	plan := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", par}
	destroy := []string{"destroy", "-auto-approve", "-input=false", "-no-color", par}
	env := w.env(w.target)

	want := applyCreateBudget.at(n)
	var applies, baseApplies []runResult
	for rep := range reps {
		if rep > 0 {
			// Start again from an empty state: the next apply creates N
			// new requests (the emulator allows several per customer).
			if err := removeState(providerDir, baseDir); err != nil {
				return run, err
			}
		}
		// Alternate which goes first, so neither always runs on a
		// machine warmed (or disturbed) by the other.
		order := []bool{false, true}
		if rep%2 == 1 {
			order = []bool{true, false}
		}
		for _, withProvider := range order {
			if !withProvider {
				res, err := b.cli.run(b.ctx, baseDir, nil, apply...)
				if err != nil {
					return run, err
				}
				baseApplies = append(baseApplies, res)
				continue
			}
			before := len(w.emu.Transfers())
			w.emu.ResetStats()
			res, err := b.cli.run(b.ctx, providerDir, env, apply...)
			if err != nil {
				return run, err
			}
			applies = append(applies, res)
			stats := w.emu.Stats()
			created := len(w.emu.Transfers()) - before
			// Keep the first run that deviates, else the last.
			if rep == 0 || (countsOf(run.applyReqs).equal(want) && run.transfersAfterApply == n) {
				run.applyReqs, run.transfersAfterApply = stats, created
			}
		}
	}
	run.apply, run.baseApply = medianRun(applies), medianRun(baseApplies)

	// Plans change nothing, so they repeat alternately like the applies.
	// Exit code 0 of -detailed-exitcode: the refresh found no drift.
	var plans, basePlans []runResult
	for rep := range reps {
		if rep%2 == 1 {
			res, err := b.cli.run(b.ctx, baseDir, nil, plan...)
			if err != nil {
				return run, err
			}
			basePlans = append(basePlans, res)
		}
		w.emu.ResetStats()
		res, err := b.cli.run(b.ctx, providerDir, env, plan...)
		if err != nil {
			return run, fmt.Errorf("plan after apply: %w", err)
		}
		plans = append(plans, res)
		if rep == 0 || countsOf(run.planReqs).equal(applyPlanBudget.at(n)) {
			run.planReqs = w.emu.Stats()
		}
		if rep%2 == 0 {
			res, err := b.cli.run(b.ctx, baseDir, nil, plan...)
			if err != nil {
				return run, err
			}
			basePlans = append(basePlans, res)
		}
	}
	run.plan, run.basePlan = medianRun(plans), medianRun(basePlans)

	// Destroy once each: repeating it would need another apply each time.
	if run.baseDestroy, err = b.cli.run(b.ctx, baseDir, nil, destroy...); err != nil {
		return run, err
	}
	w.emu.ResetStats()
	if run.destroy, err = b.cli.run(b.ctx, providerDir, env, destroy...); err != nil {
		return run, err
	}
	run.destroyReqs = w.emu.Stats()
	for _, t := range w.emu.Transfers() {
		if transfers.Status(t.Status) == transfers.Canceled {
			run.canceledAfterDestroy++
		}
	}
	return run, nil
}

// medianRun returns the run with the median wall time.
func medianRun(rs []runResult) runResult {
	sorted := slices.Clone(rs)
	slices.SortFunc(sorted, func(a, b runResult) int { return cmp.Compare(a.Wall, b.Wall) })
	return sorted[len(sorted)/2]
}

// removeState deletes the local state of each configuration directory.
func removeState(dirs ...string) error {
	for _, d := range dirs {
		for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
			if err := os.Remove(filepath.Join(d, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

func applyTimingRows(r applyRun, largest bool, parallelism int) []Result {
	n := r.n
	ratio := r.apply.Wall.Seconds() / r.baseApply.Wall.Seconds()
	rows := []Result{
		info(sectionApply, fmt.Sprintf("N=%d apply: partnercenter_transfer", n),
			fmt.Sprintf("%s (%d transfers created)", seconds(r.apply.Wall), r.transfersAfterApply)),
		info(sectionApply, fmt.Sprintf("N=%d apply: terraform_data", n), seconds(r.baseApply.Wall)),
	}
	ratioName := fmt.Sprintf("N=%d apply: time ratio (-parallelism=%d)", n, parallelism)
	if r.reps > 1 {
		ratioName = fmt.Sprintf("N=%d apply: time ratio, medians of %d runs (-parallelism=%d)", n, r.reps, parallelism)
	}
	ratioValue := fmt.Sprintf("%.2fx", ratio)
	atTarget := largest && n >= applyTargetSize
	switch {
	case atTarget:
		rows = append(rows, checked(sectionApply, ratioName, ratioValue, fmt.Sprintf("<= %.1fx", applyRatioTarget),
			ratio <= applyRatioTarget && r.transfersAfterApply == n))
	case n == smallApplySize:
		rows = append(rows, checked(sectionApply, ratioName, ratioValue, fmt.Sprintf("<= %.1fx", smallApplyRatioTarget),
			ratio <= smallApplyRatioTarget && r.transfersAfterApply == n))
	default:
		rows = append(rows, info(sectionApply, ratioName, ratioValue))
	}
	ratioRow := func(name string, got, base runResult, target float64) Result {
		ratio := got.Wall.Seconds() / base.Wall.Seconds()
		value := fmt.Sprintf("%s / %s = %.2fx", seconds(got.Wall), seconds(base.Wall), ratio)
		if !atTarget {
			return info(sectionApply, name, value)
		}
		return checked(sectionApply, name, value, fmt.Sprintf("<= %.1fx", target), ratio <= target)
	}
	planName := fmt.Sprintf("N=%d plan (refresh, no changes): provider / terraform_data", n)
	if r.reps > 1 {
		planName += fmt.Sprintf(", medians of %d runs", r.reps)
	}
	rows = append(rows,
		info(sectionApply, fmt.Sprintf("N=%d apply: provider peak RSS", n),
			fmt.Sprintf("%s (largest of %d provider processes)", megabytes(r.apply.Provider.PeakRSS), r.apply.Provider.Processes)),
		// CPU time barely depends on what else the machine runs, unlike
		// wall time on two cores.
		info(sectionApply, fmt.Sprintf("N=%d apply: CPU time, provider + CLI / terraform_data CLI", n),
			fmt.Sprintf("%s + %s / %s = %.2fx", seconds(r.apply.Provider.CPU), seconds(r.apply.CPU-r.apply.Provider.CPU), seconds(r.baseApply.CPU),
				r.apply.CPU.Seconds()/r.baseApply.CPU.Seconds())),
		ratioRow(planName, r.plan, r.basePlan, planRatioTarget),
		ratioRow(fmt.Sprintf("N=%d destroy (cancels every request): provider / terraform_data", n), r.destroy, r.baseDestroy, destroyRatioTarget),
	)
	return rows
}

// applyRequestRows compares each command's requests with its budget.
func applyRequestRows(r applyRun) []Result {
	n := r.n
	return []Result{
		requestRow(sectionRequests, fmt.Sprintf("N=%d apply (create)", n), r.applyReqs, applyCreateBudget.at(n), ""),
		requestRow(sectionRequests, fmt.Sprintf("N=%d plan (refresh)", n), r.planReqs, applyPlanBudget.at(n), ""),
		requestRow(sectionRequests, fmt.Sprintf("N=%d destroy (cancel)", n), r.destroyReqs, applyDestroyBudget.at(n),
			fmt.Sprintf("; %d cancelled", r.canceledAfterDestroy)),
	}
}

// requestRow passes when the counts equal want (a budget's at(N)) exactly
// and nothing was throttled, refused or replayed. It is an Exact row:
// TestBenchRequests requires it to pass at the scenario's CI size.
func requestRow(section, name string, s emulator.Stats, want requestCounts, suffix string) Result {
	got := countsOf(s)
	value := got.String()
	var extra []string
	if s.Throttled > 0 {
		extra = append(extra, fmt.Sprintf("throttled %d", s.Throttled))
	}
	if s.Unauthorized > 0 {
		extra = append(extra, fmt.Sprintf("unauthorized %d", s.Unauthorized))
	}
	if s.Replayed > 0 {
		extra = append(extra, fmt.Sprintf("replayed %d", s.Replayed))
	}
	if len(extra) > 0 {
		value += " (" + strings.Join(extra, ", ") + ")"
	}
	ok := got.equal(want) && s.Throttled == 0 && s.Unauthorized == 0 && s.Replayed == 0
	r := checked(section, name, value+suffix, "= "+want.String(), ok)
	r.Exact = true
	return r
}
