// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

func init() {
	register(scenario{name: "history", order: 15, title: "N creates on a clean machine and after ten plan/apply cycles of history",
		usesCLI: true, run: historyScenario, budgets: []budget{historyCreateBudget}})
}

const sectionHistory = "1b. terraform apply creating N transfers, clean and after ten plan/apply cycles of history"

// historyCreateBudget is the same apply before and after the history: the
// provider keeps nothing between runs, so the history costs nothing.
var historyCreateBudget = newBudget("`apply` creating N transfers, one customer each, on a clean machine and after the history",
	createCounts(), configuring(2))

// historyRatioTarget bounds the apply after the history against the same
// apply on a clean machine, in the same run: equal but for the noise of a
// shared machine.
const historyRatioTarget = 1.25

// historyScenario answers issue 23's "500 creates after ten plan/apply
// cycles of history take no longer than on a clean machine": the provider
// once appended every refresh and create to a per-user file that every
// create parsed. N creates run on a clean machine, then ten ordinary
// plan/apply cycles (a small fleet created and destroyed in turn: refreshes,
// creates and cancels), then N creates again, with terraform_data applies of the
// same size as the baseline before each; the user cache directory the runs
// see must stay empty.
func historyScenario(b *benchEnv) []Result {
	n, cycles, fleet := b.pick(500, 50, 3), b.pick(10, 10, 2), b.pick(20, 10, 2)
	b.logf("history: N=%d, %d cycles of a %d-transfer fleet", n, cycles, fleet)
	rows, err := b.measureHistory(n, cycles, fleet)
	if err != nil {
		rows = append(rows, failed(sectionHistory, fmt.Sprintf("N=%d", n), err))
	}
	return rows
}

func (b *benchEnv) measureHistory(n, cycles, fleet int) ([]Result, error) {
	dir := filepath.Join(b.workDir, "history")
	w, err := startWorld(dir, nil)
	if err != nil {
		return nil, err
	}
	defer w.close()
	cache := filepath.Join(dir, "user-cache")
	env := append(w.env(w.target), "XDG_CACHE_HOME="+cache)
	par := fmt.Sprintf("-parallelism=%d", b.parallelism)
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color", par}

	// createN applies N new requests (fresh customers) from a directory of
	// its own, and N terraform_data before it.
	createN := func(name string) (provider, base runResult, reqs string, ok bool, err error) {
		customers, err := w.addCustomers(n)
		if err != nil {
			return provider, base, "", false, err
		}
		vars, err := customersVars(customers)
		if err != nil {
			return provider, base, "", false, err
		}
		pDir, bDir := filepath.Join(dir, name), filepath.Join(dir, name+"-baseline")
		if err := writeFiles(pDir, map[string]string{"main.tf": transferConfig(w), "terraform.tfvars.json": vars}); err != nil {
			return provider, base, "", false, err
		}
		if err := writeFiles(bDir, map[string]string{"main.tf": baselineConfig(w), "terraform.tfvars.json": vars}); err != nil {
			return provider, base, "", false, err
		}
		if base, err = b.cli.run(b.ctx, bDir, nil, apply...); err != nil {
			return provider, base, "", false, err
		}
		w.emu.ResetStats()
		if provider, err = b.cli.run(b.ctx, pDir, env, apply...); err != nil {
			return provider, base, "", false, err
		}
		row := requestRow(sectionHistory, fmt.Sprintf("N=%d apply (%s)", n, name), w.emu.Stats(), historyCreateBudget.at(n), "")
		return provider, base, row.Value, row.Verdict == Pass, nil
	}

	clean, cleanBase, cleanReqs, cleanOK, err := b.createNLogged("clean", createN)
	if err != nil {
		return nil, err
	}

	// History: a fleet created in odd cycles and destroyed (cancelled) in
	// even ones, each cycle a refreshing plan and an apply.
	customers, err := w.addCustomers(fleet)
	if err != nil {
		return nil, err
	}
	vars, err := customersVars(customers)
	if err != nil {
		return nil, err
	}
	hDir := filepath.Join(dir, "history-fleet")
	for c := range cycles {
		v := vars
		if c%2 == 1 {
			v = `{"customers": {}}`
		}
		if err := writeFiles(hDir, map[string]string{"main.tf": transferConfig(w), "terraform.tfvars.json": v}); err != nil {
			return nil, err
		}
		if res, err := b.cli.run(b.ctx, hDir, env, "plan", "-input=false", "-no-color", par); err != nil {
			return nil, fmt.Errorf("history cycle %d plan: %w: %s", c+1, err, oneLine(res.Output))
		}
		if res, err := b.cli.run(b.ctx, hDir, env, apply...); err != nil {
			return nil, fmt.Errorf("history cycle %d apply: %w: %s", c+1, err, oneLine(res.Output))
		}
	}
	made := len(w.emu.Transfers())

	after, afterBase, afterReqs, afterOK, err := b.createNLogged("after history", createN)
	if err != nil {
		return nil, err
	}
	files := 0
	_ = filepath.WalkDir(cache, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})

	ratio := after.Wall.Seconds() / clean.Wall.Seconds()
	return []Result{
		info(sectionHistory, fmt.Sprintf("N=%d apply on a clean machine: partnercenter_transfer / terraform_data", n),
			fmt.Sprintf("%s / %s", seconds(clean.Wall), seconds(cleanBase.Wall))),
		info(sectionHistory, fmt.Sprintf("history: %d plan/apply cycles creating and destroying %d transfers in turn", cycles, fleet),
			fmt.Sprintf("%d transfers on the server before the second apply", made)),
		info(sectionHistory, fmt.Sprintf("N=%d apply after the history: partnercenter_transfer / terraform_data", n),
			fmt.Sprintf("%s / %s", seconds(after.Wall), seconds(afterBase.Wall))),
		checked(sectionHistory, fmt.Sprintf("N=%d apply after the history vs on a clean machine", n), fmt.Sprintf("%.2fx", ratio),
			fmt.Sprintf("≤ %.2fx (the same, but for a shared machine's noise)", historyRatioTarget), ratio <= historyRatioTarget),
		checked(sectionHistory, "files in the user cache directory the runs saw", fmt.Sprint(files), "0 (nothing written between runs)", files == 0),
		exactRow(sectionHistory, fmt.Sprintf("N=%d apply (clean)", n), cleanReqs, historyCreateBudget.at(n), cleanOK),
		exactRow(sectionHistory, fmt.Sprintf("N=%d apply (after history)", n), afterReqs, historyCreateBudget.at(n), afterOK),
	}, nil
}

// createNLogged runs createN under a log line.
func (b *benchEnv) createNLogged(name string, createN func(string) (runResult, runResult, string, bool, error)) (runResult, runResult, string, bool, error) {
	b.logf("history: N creates (%s)", name)
	return createN(strings.ReplaceAll(name, " ", "-"))
}

// exactRow is a request row recorded earlier (requestRow's value and
// verdict), checked against want.
func exactRow(section, name, value string, want requestCounts, ok bool) Result {
	r := checked(section, name, value, "= "+want.String(), ok)
	r.Exact = true
	return r
}
