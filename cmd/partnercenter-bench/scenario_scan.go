// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

func init() {
	register(scenario{name: "scan", order: 60, title: "Scanning every customer for transfers", usesCLI: true, run: scanScenario})
}

const sectionScan = "7. Scanning every customer for transfers (data.partnercenter_transfers without customer_id)"

// Scan budget: the emulator allows scanRate requests per second per
// partner; the data source reads scanConcurrency customers at a time.
// Retry-After is whole seconds, so the throughput is about
// min(R, concurrency / 1 s): 64 workers keep a budget of 50/s busy.
const (
	scanRate        = 50
	scanConcurrency = 64
	// scanTimeTarget is the largest acceptable scan time relative to
	// requests / R, the time the budget alone imposes.
	scanTimeTarget = 1.2
)

// scannedOutput finds `+ scanned = 2000` in the plan output.
var scannedOutput = regexp.MustCompile(`scanned\s*=\s*(\d+)`)

// scanScenario scans N customers with 0 to 2 transfers each under the rate
// limit (time and requests), then 5,000 customers with 2 each (10,000
// transfers) unthrottled for memory, in full and with ids_only.
func scanScenario(b *benchEnv) []Result {
	n, big := 2_000, 5_000
	if b.quick {
		n, big = 300, 1_000
	}
	var rows []Result
	for _, run := range []scanRun{
		{customers: n, rate: scanRate, mixed: true},
		{customers: big},
		{customers: big, idsOnly: true},
	} {
		r, err := b.measureScan(run)
		if err != nil {
			r = append(r, failed(sectionScan, fmt.Sprintf("scan %d customers", run.customers), err))
		}
		rows = append(rows, r...)
	}
	return rows
}

// scanRun is one scan measurement: customers with 0 to 2 transfers each
// (mixed) or 2 each, at rate requests per second (0: unthrottled).
type scanRun struct {
	customers, rate int
	mixed, idsOnly  bool
}

func (b *benchEnv) measureScan(run scanRun) ([]Result, error) {
	n, rate := run.customers, run.rate
	dir := filepath.Join(b.workDir, fmt.Sprintf("scan-%d-%d-%v", n, rate, run.idsOnly))
	w, err := startWorld(dir, nil)
	if err != nil {
		return nil, err
	}
	defer w.close()
	b.logf("scan: generating %d customers with 0 to 2 transfers each", n)
	ids, err := w.emu.GenerateCustomers(emulator.GenerateCustomers{Count: n,
		PartnerTenantIDs: []string{w.target.TenantID, w.source.TenantID}, OwnerPartnerTenantID: w.source.TenantID})
	if err != nil {
		return nil, err
	}
	transfers, err := w.seedScanTransfers(b.ctx, ids, run.mixed)
	if err != nil {
		return nil, err
	}
	if rate > 0 {
		w.emu.SetRateLimit(emulator.RateLimit{Requests: rate, Per: time.Second})
	}
	cfgDir := filepath.Join(dir, "config")
	if err := writeFiles(cfgDir, map[string]string{"main.tf": scanConfig(w, run.idsOnly)}); err != nil {
		return nil, err
	}
	b.logf("scan: terraform plan scanning %d customers, %d transfers (rate %d/s, ids_only %v)", n, transfers, rate, run.idsOnly)
	w.emu.ResetStats()
	res, err := b.cli.run(b.ctx, cfgDir, w.env(w.source), "plan", "-input=false", "-no-color")
	if err != nil {
		return nil, err
	}
	stats := w.emu.Stats()
	scanned := -1
	if m := scannedOutput.FindStringSubmatch(res.Output); m != nil {
		scanned, _ = strconv.Atoi(m[1])
	}
	pages := (n + emulator.DefaultCustomerPageSize - 1) / emulator.DefaultCustomerPageSize
	minimum := pages + n
	got := countsOf(stats)
	answered := got["listCustomers GET"] + got["list GET"] - stats.Throttled
	label := fmt.Sprintf("%d customers, %d transfers", n, transfers)
	if run.idsOnly {
		label += ", ids_only"
	}
	rows := []Result{
		checked(sectionScan, label+": found", fmt.Sprintf("%d transfers in %s", scanned, seconds(res.Wall)),
			fmt.Sprintf("all %d", transfers), scanned == transfers),
		checked(sectionScan, label+": answered requests", fmt.Sprintf("%d (%s; %d answered 429)", answered, got, stats.Throttled),
			fmt.Sprintf("= %d customer pages + %d customers = %d", pages, n, minimum), answered == minimum),
		info(sectionScan, label+": provider peak RSS", megabytes(res.Provider.PeakRSS)),
	}
	if rate > 0 {
		ideal := time.Duration(float64(minimum) / float64(rate) * float64(time.Second))
		ratio := res.Wall.Seconds() / ideal.Seconds()
		rows = append(rows, checked(sectionScan, fmt.Sprintf("%s at R=%d/s, scan_concurrency=%d: time", label, rate, scanConcurrency),
			fmt.Sprintf("%s = %.2fx requests/R (%s)", seconds(res.Wall), ratio, seconds(ideal)),
			fmt.Sprintf("<= %.1fx = %s", scanTimeTarget, seconds(time.Duration(scanTimeTarget*float64(ideal)))), ratio <= scanTimeTarget))
	} else {
		rows[2] = checked(sectionScan, label+": provider peak RSS", megabytes(res.Provider.PeakRSS), "< "+megabytes(listRSSTarget),
			res.Provider.PeakRSS > 0 && res.Provider.PeakRSS < listRSSTarget)
	}
	return rows, nil
}

// seedScanTransfers gives customer i i%3 pending requests from the target
// (0, 1 or 2) when mixed, else 2, through the API with a few workers, and
// returns the total.
func (w *world) seedScanTransfers(ctx context.Context, ids []string, mixed bool) (int, error) {
	client, err := w.client(ctx, w.target)
	if err != nil {
		return 0, err
	}
	var jobs []string
	for i, id := range ids {
		k := 2
		if mixed {
			k = i % 3
		}
		for range k {
			jobs = append(jobs, id)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range 8 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return
				}
				c := customer{ID: jobs[i], Name: "Customer", Email: "it@customer.example"}
				if _, err := client.CreateTransfer(ctx, c.ID, w.createRequest(c)); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("seeding transfers: %w", err)
					}
					mu.Unlock()
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	return len(jobs), firstErr
}

// scanConfig is the source partner's discovery of every request.
func scanConfig(w *world, idsOnly bool) string {
	return requiredProviders + "\n" + w.providerBlock(w.source) + fmt.Sprintf(`
data "partnercenter_transfers" "all" {
  direction        = "outgoing"
  scan_concurrency = %d
  ids_only         = %v
}

output "scanned" {
  value = length(data.partnercenter_transfers.all.ids)
}
`, scanConcurrency, idsOnly)
}
