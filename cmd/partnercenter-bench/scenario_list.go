// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

func init() {
	register(scenario{name: "list", order: 40, title: "Listing transfers through data.partnercenter_transfers", usesCLI: true, run: listScenario})
	// Its request rows compare with listBudget; once BENCHMARKS.md has a
	// list section measured with it, declare it here (budgets: ...) so CI
	// checks the section and runs list at its CI size.
}

const sectionList = "5. Listing transfers through data.partnercenter_transfers"

// listBudget is what a plan reading N transfers of one customer sends:
// one GET per page.
var listBudget = newBudget(fmt.Sprintf("`plan` reading the N transfers of one customer (pages of %d)", emulator.DefaultPageSize),
	each(perGroup("list GET", emulator.DefaultPageSize)), configuring(1))

// listRSSTarget is the largest acceptable peak RSS of the provider process
// while it lists 10,000 transfers.
const listRSSTarget = 150_000_000

// listedOutput finds the output value in the plan: `+ transfers_listed = 10000`.
var listedOutput = regexp.MustCompile(`transfers_listed\s*=\s*(\d+)`)

// listScenario lists a tenth of the transfers first, which shows how the
// cost grows, then all of them; the memory target applies to the largest.
func listScenario(b *benchEnv) []Result {
	n := b.pick(10_000, 2_000, 300)
	var rows []Result
	for _, size := range []int{n / 10, n} {
		r, err := b.measureList(size, size == n)
		if err != nil {
			r = append(r, failed(sectionList, fmt.Sprintf("list %d transfers", size), err))
		}
		rows = append(rows, r...)
	}
	return rows
}

func (b *benchEnv) measureList(n int, checkMemory bool) ([]Result, error) {
	dir := filepath.Join(b.workDir, fmt.Sprintf("list-%d", n))
	w, err := startWorld(dir, nil)
	if err != nil {
		return nil, err
	}
	defer w.close()
	cs, err := w.addCustomers(1)
	if err != nil {
		return nil, err
	}
	b.logf("list: seeding %d transfers", n)
	if err := w.seedTransfers(b.ctx, cs[0], n); err != nil {
		return nil, err
	}
	cfgDir := filepath.Join(dir, "config")
	if err := writeFiles(cfgDir, map[string]string{"main.tf": listConfig(w, cs[0])}); err != nil {
		return nil, err
	}
	b.logf("list: terraform plan reading %d transfers", n)
	w.emu.ResetStats()
	res, err := b.cli.run(b.ctx, cfgDir, w.env(w.target), "plan", "-input=false", "-no-color")
	if err != nil {
		return nil, err
	}
	stats := w.emu.Stats()
	listed := -1
	if m := listedOutput.FindStringSubmatch(res.Output); m != nil {
		listed, _ = strconv.Atoi(m[1])
	}
	label := fmt.Sprintf("%d transfers of one customer", n)
	memory := info(sectionList, label+": provider peak RSS", megabytes(res.Provider.PeakRSS))
	if checkMemory {
		memory = checked(sectionList, label+": provider peak RSS", megabytes(res.Provider.PeakRSS), "< "+megabytes(listRSSTarget),
			res.Provider.PeakRSS > 0 && res.Provider.PeakRSS < listRSSTarget)
	}
	return []Result{
		checked(sectionList, label+": terraform plan", fmt.Sprintf("%s, %d listed", seconds(res.Wall), listed), fmt.Sprintf("all %d listed", n), listed == n),
		requestRow(sectionList, label+": requests", stats, listBudget.at(n), ""),
		memory,
	}, nil
}
