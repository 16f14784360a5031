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

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/cpuprofile"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

func init() {
	register(scenario{name: "apply", order: 10, title: "terraform apply, plan and destroy of N transfers, against the floor and terraform_data",
		usesCLI: true, run: applyScenario, budgets: []budget{
			applyCreateBudget, applyPlanBudget, applyDestroyBudget,
			floorCreateBudget, floorPlanBudget, floorDestroyBudget,
		}})
}

// The exact requests of the apply scenario's commands (see budget).
// `terraform apply` of creates runs two provider processes: the plan's,
// and the apply's, which plans the creates again before applying them.
// Per created transfer (one customer each), see createCounts:
//   - getCustomer GET, 2 per customer: each process's plan checks once that
//     the customer has a relationship with the target partner
//     (transfers.Service.CheckCustomer, cached per customer per process);
//   - list GET, 2 per customer: each process's plan lists the customer's
//     transfers once, to name a Pending request with the same inputs that
//     no resource holds (the apply process's list sees the requests that
//     existed before its POSTs);
//   - create POST, 1: the apply.
//
// A refresh of a pending transfer is one GET; destroy refreshes in its plan
// (one provider process) and cancels in its apply (another process). Every
// provider process the CLI starts configures (see configuring): apply two
// (plan and apply), plan one, destroy three.
var (
	applyCreateBudget = newBudget("partnercenter_transfer: `apply` creating N transfers, one customer each",
		createCounts(), configuring(2))
	applyPlanBudget = newBudget("partnercenter_transfer: refreshing `plan` of the N pending transfers (no change)",
		each(perN("get GET", 1)), configuring(1))
	applyDestroyBudget = newBudget("partnercenter_transfer: `destroy` cancelling the N pending transfers",
		each(perN("get GET", 1), perN("cancel PATCH", 1)), configuring(3))
)

// createCounts is the per-customer share of `terraform apply` creating one
// transfer per customer, across its plan and apply processes (see above).
func createCounts() []count {
	return each(
		perN(emulator.RouteGetCustomer+" GET", 2),
		perN(emulator.RouteList+" GET", 2),
		perN(emulator.RouteCreate+" POST", 1),
	)
}

// The floor's budgets: one POST per create (after one list per customer
// when the provider's create lists too), one GET per refresh, one cancel
// per destroy, in one authenticated process per command. The floor neither
// checks the connection nor the customer's relationship, nor plans in a
// second process, so it sends fewer requests than the provider: the
// findings say which (applyFindings).
var (
	floorCreateBudget = newBudget("floor_transfer: `apply` creating N transfers",
		each(perN("create POST", 1), perN("list GET", floorListsBeforeCreate())), authenticating(1))
	floorPlanBudget = newBudget("floor_transfer: refreshing `plan` (no change)",
		each(perN("get GET", 1)), authenticating(1))
	floorDestroyBudget = newBudget("floor_transfer: `destroy` cancelling the N transfers",
		each(perN("get GET", 1), perN("cancel PATCH", 1)), authenticating(2))
)

// floorListsBeforeCreate is 1 when the provider's apply lists once per
// create, so the floor does the same (list_before_create): the apply
// target compares the two for the same requests.
func floorListsBeforeCreate() int {
	if applyCreateBudget.at(1)["list GET"] > 0 {
		return 1
	}
	return 0
}

const (
	sectionApply    = "1. apply, refreshing plan and destroy of N transfers: this provider vs the floor (and terraform_data)"
	sectionRequests = "2. HTTP requests per command (emulator counts vs the budgets above)"
)

// Time ratio targets of the provider's commands relative to the same
// commands of the floor provider (issue 27): a minimal framework provider
// sending the same requests through the same client. Checked at
// applyTargetSize and smallApplySize, medians of targetRepeats runs taken
// in rotating order.
const (
	applyTargetSize    = 500
	applyRatioTarget   = 1.2
	planRatioTarget    = 1.1
	destroyRatioTarget = 1.2
	smallApplySize     = 10
	smallRatioTarget   = 1.2
	targetRepeats      = 3
)

// target is one of the three configurations measured side by side.
type target struct {
	name string // "partnercenter_transfer", "floor_transfer", "terraform_data"
	dir  string
	env  []string
	w    *world // nil for terraform_data, which sends no request
	// profile is the profile directory prefix of the provider process.
	applies, plans, destroys          []runResult
	applyReqs, planReqs, destroyReqs  emulator.Stats
	created, canceled                 int
	createBudget, planBudget, destroy budget
}

// applyRun is the cost of the commands for one size.
type applyRun struct {
	n, reps                   int
	provider, floor, baseline *target
}

// applyScenario measures the same commands, apply, a refreshing plan that
// must show no change and destroy, over N transfers of this provider, the
// floor provider and terraform_data, in rotating order, and counts the
// requests of the two providers.
func applyScenario(b *benchEnv) []Result {
	sizes := []int{10, 100, 500}
	switch {
	case b.ci:
		sizes = []int{3}
	case b.quick:
		sizes = []int{10, 50}
	}
	var timing, requests, notes []Result
	for _, n := range sizes {
		reps := 1
		if !b.ci && (n == smallApplySize || n == applyTargetSize) {
			reps = max(b.repeats, 1)
		}
		b.logf("apply: N=%d (%d runs of each)", n, reps)
		run, err := b.measureApply(n, reps)
		if err != nil {
			timing = append(timing, failed(sectionApply, fmt.Sprintf("N=%d", n), err))
			continue
		}
		timing = append(timing, applyTimingRows(run, b.parallelism)...)
		requests = append(requests, applyRequestRows(run)...)
		if n == sizes[len(sizes)-1] {
			notes = append(notes, applyFindings(run))
			if b.profileDir != "" {
				notes = append(notes, b.profileNotes(n)...)
			}
		}
	}
	return append(append(timing, requests...), notes...)
}

func (b *benchEnv) measureApply(n, reps int) (applyRun, error) {
	run := applyRun{n: n, reps: reps}
	dir := filepath.Join(b.workDir, fmt.Sprintf("apply-%d", n))
	// The provider and the floor each get an emulator of their own: the
	// provider adopts a pending request with its inputs (the orphan
	// adoption), so it must not see the floor's.
	pw, err := startWorld(filepath.Join(dir, "provider-world"), nil)
	if err != nil {
		return run, err
	}
	defer pw.close()
	fw, err := startWorld(filepath.Join(dir, "floor-world"), nil)
	if err != nil {
		return run, err
	}
	defer fw.close()
	run.provider = &target{name: "partnercenter_transfer", dir: filepath.Join(dir, "provider"), env: pw.env(pw.target), w: pw,
		createBudget: applyCreateBudget, planBudget: applyPlanBudget, destroy: applyDestroyBudget}
	run.floor = &target{name: "floor_transfer", dir: filepath.Join(dir, "floor"), env: fw.env(fw.target), w: fw,
		createBudget: floorCreateBudget, planBudget: floorPlanBudget, destroy: floorDestroyBudget}
	run.baseline = &target{name: "terraform_data", dir: filepath.Join(dir, "baseline")}

	par := fmt.Sprintf("-parallelism=%d", b.parallelism)
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color", par}
	plan := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", par}
	destroy := []string{"destroy", "-auto-approve", "-input=false", "-no-color", par}
	targets := []*target{run.provider, run.floor, run.baseline}
	for rep := range reps {
		// Each repetition manages new customers: the destroyed requests
		// of the one before stay on the emulators as Canceled.
		if err := b.writeApplyConfigs(run, n); err != nil {
			return run, err
		}
		// Rotate who goes first, so none always runs on a machine warmed
		// (or disturbed) by another.
		for i := range targets {
			t := targets[(i+rep)%len(targets)]
			if err := b.applyPlanDestroy(t, n, rep, apply, plan, destroy); err != nil {
				return run, fmt.Errorf("%s: %w", t.name, err)
			}
		}
	}
	return run, nil
}

// writeApplyConfigs writes the three configurations over n new customers
// of each world (terraform_data uses the provider's).
func (b *benchEnv) writeApplyConfigs(run applyRun, n int) error {
	for _, t := range []*target{run.provider, run.floor} {
		cs, err := t.w.addCustomers(n)
		if err != nil {
			return err
		}
		vars, err := customersVars(cs)
		if err != nil {
			return err
		}
		cfg := transferConfig(t.w)
		if t == run.floor {
			cfg = floorConfig(t.w, floorListsBeforeCreate() == 1)
		}
		if err := writeFiles(t.dir, map[string]string{"main.tf": cfg, "terraform.tfvars.json": vars}); err != nil {
			return err
		}
		if t == run.provider {
			if err := writeFiles(run.baseline.dir, map[string]string{"main.tf": baselineConfig(t.w), "terraform.tfvars.json": vars}); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyPlanDestroy runs the three commands on one target and records
// their cost and, for the providers, their requests (the first run that
// deviates from the budget is kept, else the last).
func (b *benchEnv) applyPlanDestroy(t *target, n, rep int, apply, plan, destroy []string) error {
	runCmd := func(what string, args []string) (runResult, emulator.Stats, error) {
		env := t.env
		if b.profileDir != "" && t.w != nil {
			d := filepath.Join(b.profileDir, fmt.Sprintf("N%d", n), t.name, what)
			if err := os.MkdirAll(d, 0o700); err != nil {
				return runResult{}, emulator.Stats{}, err
			}
			env = append(slices.Clone(env), cpuprofile.EnvVar+"="+d)
		}
		if t.w != nil {
			t.w.emu.ResetStats()
		}
		res, err := b.cli.run(b.ctx, t.dir, env, args...)
		var stats emulator.Stats
		if t.w != nil {
			stats = t.w.emu.Stats()
		}
		if err != nil {
			return res, stats, fmt.Errorf("%s: %w", what, err)
		}
		return res, stats, nil
	}
	keep := func(dst *emulator.Stats, got emulator.Stats, want requestCounts) {
		if rep == 0 || countsOf(*dst).equal(want) {
			*dst = got
		}
	}
	before := 0
	if t.w != nil {
		before = len(t.w.emu.Transfers())
	}
	res, stats, err := runCmd("apply", apply)
	if err != nil {
		return err
	}
	t.applies = append(t.applies, res)
	if t.w != nil {
		keep(&t.applyReqs, stats, t.createBudget.at(n))
		t.created = len(t.w.emu.Transfers()) - before
	}
	// Exit code 0 of -detailed-exitcode: the refresh found no drift.
	if res, stats, err = runCmd("plan", plan); err != nil {
		return err
	}
	t.plans = append(t.plans, res)
	if t.w != nil {
		keep(&t.planReqs, stats, t.planBudget.at(n))
	}
	if res, stats, err = runCmd("destroy", destroy); err != nil {
		return err
	}
	t.destroys = append(t.destroys, res)
	if t.w != nil {
		keep(&t.destroyReqs, stats, t.destroy.at(n))
		t.canceled = 0
		for _, tr := range t.w.emu.Transfers() {
			if transfers.Status(tr.Status) == transfers.Canceled {
				t.canceled++
			}
		}
		t.canceled -= rep * n // the repetitions before cancelled theirs
	}
	return removeState(t.dir)
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

// applyTimingRows compares each command of the provider with the floor's
// (targeted at N = 10 and 500) and shows terraform_data's for context.
func applyTimingRows(r applyRun, parallelism int) []Result {
	n := r.n
	medians := fmt.Sprintf("-parallelism=%d", parallelism)
	if r.reps > 1 {
		medians = fmt.Sprintf("medians of %d runs, -parallelism=%d", r.reps, parallelism)
	}
	var rows []Result
	command := func(label string, pick func(*target) []runResult, target float64, extra string) {
		p, f, d := medianRun(pick(r.provider)), medianRun(pick(r.floor)), medianRun(pick(r.baseline))
		ratio := p.Wall.Seconds() / f.Wall.Seconds()
		name := fmt.Sprintf("N=%d %s (%s): provider / floor", n, label, medians)
		value := fmt.Sprintf("%s / %s = %.2fx%s; terraform_data %s", seconds(p.Wall), seconds(f.Wall), ratio, extra, seconds(d.Wall))
		if target > 0 {
			rows = append(rows, checked(sectionApply, name, value, fmt.Sprintf("<= %.1fx", target), ratio <= target))
		} else {
			rows = append(rows, info(sectionApply, name, value))
		}
	}
	applyTarget, planTarget, destroyTarget := 0.0, 0.0, 0.0
	switch n {
	case applyTargetSize:
		applyTarget, planTarget, destroyTarget = applyRatioTarget, planRatioTarget, destroyRatioTarget
	case smallApplySize:
		applyTarget, planTarget = smallRatioTarget, smallRatioTarget
	}
	same := ""
	if r.provider.createBudget.at(n).equal(r.floor.createBudget.at(n)) {
		same = fmt.Sprintf(" (both send %d requests)", total(r.provider.createBudget.at(n)))
	}
	command("apply", func(t *target) []runResult { return t.applies }, applyTarget, same)
	command("refreshing plan", func(t *target) []runResult { return t.plans }, planTarget, "")
	command("destroy", func(t *target) []runResult { return t.destroys }, destroyTarget, "")
	pa, fa, da := medianRun(r.provider.applies), medianRun(r.floor.applies), medianRun(r.baseline.applies)
	rows = append(rows,
		info(sectionApply, fmt.Sprintf("N=%d apply: transfers created, provider / floor", n), fmt.Sprintf("%d / %d", r.provider.created, r.floor.created)),
		info(sectionApply, fmt.Sprintf("N=%d apply: peak RSS of a provider process, provider / floor", n),
			fmt.Sprintf("%s / %s (largest of %d / %d processes)", megabytes(pa.Provider.PeakRSS), megabytes(fa.Provider.PeakRSS), pa.Provider.Processes, fa.Provider.Processes)),
		// CPU time barely depends on what else the machine runs, unlike
		// wall time on two cores.
		info(sectionApply, fmt.Sprintf("N=%d apply: CPU time, provider process + CLI", n),
			fmt.Sprintf("provider %s + %s, floor %s + %s, terraform_data CLI %s",
				seconds(pa.Provider.CPU), seconds(pa.CPU-pa.Provider.CPU), seconds(fa.Provider.CPU), seconds(fa.CPU-fa.Provider.CPU), seconds(da.CPU))),
	)
	return rows
}

// applyFindings says in words, from this run's figures, where the
// provider's time goes against the floor's at the largest N: wall time
// ratios and the provider processes' CPU per resource beyond the floor's.
func applyFindings(r applyRun) Result {
	n := r.n
	var b strings.Builder
	commands := []struct {
		label  string
		pick   func(*target) []runResult
		budget func(*target) budget
	}{
		{"apply", func(t *target) []runResult { return t.applies }, func(t *target) budget { return t.createBudget }},
		{"refreshing plan", func(t *target) []runResult { return t.plans }, func(t *target) budget { return t.planBudget }},
		{"destroy", func(t *target) []runResult { return t.destroys }, func(t *target) budget { return t.destroy }},
	}
	var differ []string
	more := true
	for _, c := range commands {
		p, f := c.budget(r.provider).at(n), c.budget(r.floor).at(n)
		if !p.equal(f) {
			more = more && total(p) > total(f)
			differ = append(differ, fmt.Sprintf("%s %d against the floor's %d (%s)", c.label, total(p), total(f), requestDifference(p, f)))
		}
	}
	fmt.Fprintf(&b, "**Findings at N=%d, from the figures above.** ", n)
	if len(differ) == 0 {
		b.WriteString("The floor sends the same requests as this provider for every command (section 2), so what separates them is work inside the provider process:")
	} else {
		than := "other requests than"
		if more {
			than = "more requests than"
		}
		fmt.Fprintf(&b, "This provider sends %s the floor (the budgets of section 2): %s; so what separates them is those requests and work inside the provider process:", than, strings.Join(differ, ", "))
	}
	for _, c := range commands {
		p, f := medianRun(c.pick(r.provider)), medianRun(c.pick(r.floor))
		extra := (p.Provider.CPU - f.Provider.CPU).Seconds() * 1000 / float64(n)
		fmt.Fprintf(&b, " %s %.2fx the floor's wall time, its provider processes using %s of CPU against the floor's %s (%+.2f ms per resource);",
			c.label, p.Wall.Seconds()/f.Wall.Seconds(), seconds(p.Provider.CPU), seconds(f.Provider.CPU), extra)
	}
	out := strings.TrimSuffix(b.String(), ";") + "."
	return note(sectionApply, out)
}

// requestDifference names the routes where p differs from f, with p's
// excess: "getCustomer GET +1000, organizationProfile GET +2".
func requestDifference(p, f requestCounts) string {
	keys := map[string]bool{}
	for k := range p {
		keys[k] = true
	}
	for k := range f {
		keys[k] = true
	}
	var parts []string
	for k := range keys {
		if d := p[k] - f[k]; d != 0 {
			parts = append(parts, fmt.Sprintf("%s %+d", k, d))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func total(c requestCounts) int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// applyRequestRows compares each provider command's requests with its
// budget.
func applyRequestRows(r applyRun) []Result {
	n := r.n
	var rows []Result
	for _, t := range []*target{r.provider, r.floor} {
		rows = append(rows,
			requestRow(sectionRequests, fmt.Sprintf("N=%d %s apply (create)", n, t.name), t.applyReqs, t.createBudget.at(n),
				fmt.Sprintf("; %d created", t.created)),
			requestRow(sectionRequests, fmt.Sprintf("N=%d %s plan (refresh)", n, t.name), t.planReqs, t.planBudget.at(n), ""),
			requestRow(sectionRequests, fmt.Sprintf("N=%d %s destroy (cancel)", n, t.name), t.destroyReqs, t.destroy.at(n),
				fmt.Sprintf("; %d cancelled", t.canceled)),
		)
	}
	return rows
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
