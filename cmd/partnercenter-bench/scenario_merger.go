// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

func init() {
	register(scenario{name: "merger", order: 75, title: "Merging two partners in one apply under throttling",
		usesCLI: true, run: mergerScenario, budgets: []budget{mergerApplyBudget}})
}

const sectionMerger = "Merger: N customers, both partners in one apply (examples/merger) under throttling"

// mergerRate is each partner's request budget (requests per second) and
// mergerParallelism the CLI's -parallelism.
const (
	mergerRate        = 25
	mergerParallelism = 20
	mergerTimeTarget  = 1.2
)

// mergerApplyBudget is the minimum of one `terraform apply` of the merger
// example over N customers with two subscriptions each, per customer.
// Planning: the acquired partner lists the customer's subscriptions (the
// data source and the acceptance's checks share the list) and its
// transfers (what was already accepted; the import of live requests); the
// acquirer lists the customer's requests (a Pending request with the same
// inputs that no resource holds is named at plan) and reads the customer
// (the relationship check). Applying: Terraform plans the create again
// (the acquirer's list and read) and creates one request;
// the acceptance is planned again with the request's id (its
// subscriptions, the request), submitted once and polled once (the
// transfer completes before the first poll). Four provider processes
// configure (see configuring): both partners' in the plan and in the apply.
var mergerApplyBudget = newBudget("apply of the merger example over N customers",
	each(perN("listSubscriptions GET", 2), perN("list GET", 3), perN("create POST", 1), perN("get GET", 2), perN("submit PATCH", 1), perN("getCustomer GET", 2)),
	configuring(4))

func mergerScenario(b *benchEnv) []Result {
	n := b.pick(500, 50, 5)
	b.logf("merger: N=%d customers x 2 subscriptions, %d requests/s per partner, -parallelism=%d", n, mergerRate, mergerParallelism)
	rows, err := b.measureMerger(n)
	if err != nil {
		rows = append(rows, failed(sectionMerger, fmt.Sprintf("N=%d merger", n), err))
	}
	return rows
}

func (b *benchEnv) measureMerger(n int) ([]Result, error) {
	dir := filepath.Join(b.workDir, "merger")
	w, err := startWorld(dir, func(o *emulator.Options) {
		o.RateLimit = emulator.RateLimit{Requests: mergerRate, Per: time.Second}
		o.CompletionDelay = time.Millisecond
	})
	if err != nil {
		return nil, err
	}
	defer w.close()
	cfgDir, err := writeMergerConfig(w, dir, n)
	if err != nil {
		return nil, err
	}
	submits := map[string]int{}
	var mu sync.Mutex
	defer w.emu.Subscribe(func(ev emulator.Event) {
		if ev.Cause == emulator.CauseSubmit {
			mu.Lock()
			submits[ev.TransferID]++
			mu.Unlock()
		}
	})()
	env := []string{"SSL_CERT_FILE=" + w.caFile, "PARTNERCENTER_POLL_INITIAL_INTERVAL=1s"}

	w.emu.ResetStats()
	res, runErr := b.cli.run(b.ctx, cfgDir, env, "apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", mergerParallelism))
	stats := w.emu.Stats()
	perCustomer, duplicates := requestsPerCustomer(w)
	mu.Lock()
	second := 0
	for _, k := range submits {
		second += k - 1
	}
	submitted := len(submits)
	mu.Unlock()
	complete := 0
	for _, t := range w.emu.Transfers() {
		if t.Status == partnercenter.StatusComplete {
			complete++
		}
	}
	errorCount := countErrors(res.Output, runErr)
	want := mergerApplyBudget.at(n)
	exact := answeredExactly(stats, want)
	// The time the rate limits alone impose: each partner has its own
	// budget R, and per phase the busier partner sends plan 2N (acquired),
	// creates 2N (acquirer), acceptances 4N (acquired); the phases do not
	// overlap (every create precedes every acceptance).
	api := 8 * n
	floor := time.Duration(float64(api) / mergerRate * float64(time.Second))
	name := fmt.Sprintf("N=%d customers at R=%d/s per partner, -parallelism=%d", n, mergerRate, mergerParallelism)
	requests := checked(sectionMerger, name+": requests", fmt.Sprintf("%s; %d answered 429", countsOf(stats), stats.Throttled),
		fmt.Sprintf("answered = %s (the minimum); the rest answered 429", want), exact)
	requests.Exact = true
	rows := []Result{
		checked(sectionMerger, name+": errors, duplicate requests, second submissions",
			fmt.Sprintf("%d errors, %d requests on the server (%d duplicates), %d submitted (%d twice), %d Complete",
				errorCount, len(perCustomer), duplicates, submitted, second, complete),
			fmt.Sprintf("0 errors, %d requests, 0 duplicates, %d submitted once, %d Complete", n, n, n),
			errorCount == 0 && len(perCustomer) == n && duplicates == 0 && submitted == n && second == 0 && complete == n),
		requests,
		checked(sectionMerger, name+": apply time", fmt.Sprintf("%s = %.2fx requests/R (%d requests of the busier partner per phase / %d/s = %s)",
			seconds(res.Wall), res.Wall.Seconds()/floor.Seconds(), api, mergerRate, seconds(floor)),
			fmt.Sprintf("<= %.1fx requests/R", mergerTimeTarget), res.Wall.Seconds() <= mergerTimeTarget*floor.Seconds()),
	}
	return rows, nil
}

// answeredExactly reports whether the requests the emulator answered (not
// 429) are exactly want: every route at least its budget, and what is over
// the budget exactly the requests answered 429.
func answeredExactly(s emulator.Stats, want requestCounts) bool {
	got := countsOf(s)
	over := 0
	ok := len(got) == len(want)
	for k, v := range want {
		if got[k] < v {
			ok = false
		}
		over += got[k] - v
	}
	return ok && over == s.Throttled && s.Unauthorized == 0 && s.Replayed == 0
}

// writeMergerConfig adds n customers with two new-commerce subscriptions
// each, held by the source (acquired) partner, and writes the merger
// example with their CSV and both partners' credentials.
func writeMergerConfig(w *world, dir string, n int) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	files := map[string]string{}
	for _, name := range []string{"main.tf", "variables.tf", "outputs.tf"} {
		src, err := os.ReadFile(filepath.Join(root, "examples", "merger", name)) // #nosec G304 -- the repository's own example.
		if err != nil {
			return "", err
		}
		files[name] = string(src)
	}
	rows := []string{"customer_id,customer_name,customer_email,wave"}
	for i := range n {
		id := uuid.NewString()
		var subs []emulator.Subscription
		for j, offer := range []string{"Microsoft 365 E3", "Exchange Online (Plan 1)"} {
			subs = append(subs, emulator.Subscription{ID: uuid.NewString(), OwnerPartnerTenantID: w.source.TenantID,
				ProductType: partnercenter.ProductOnlineServicesNCE, FriendlyName: offer, Quantity: 10 + j, BillingCycle: "monthly", OfferID: "CFQ7TTC0LFLZ:0001"})
		}
		c := emulator.Customer{ID: id, Name: fmt.Sprintf("Customer %05d", i+1), Email: fmt.Sprintf("it@customer%d.example", i+1),
			PartnerTenantIDs: []string{w.target.TenantID, w.source.TenantID}, Subscriptions: subs}
		if err := w.emu.AddCustomer(c); err != nil {
			return "", err
		}
		rows = append(rows, fmt.Sprintf("%s,%s,%s,wave-1", id, c.Name, c.Email))
	}
	files["customers.csv"] = strings.Join(rows, "\n") + "\n"
	files["terraform.tfvars.json"] = fmt.Sprintf(`{"acquired_name": %q, "endpoint": %q, "authority_host": %q,
  "acquirer_tenant_id": %q, "acquirer_client_id": %q, "acquirer_client_secret": %q,
  "acquired_tenant_id": %q, "acquired_client_id": %q, "acquired_client_secret": %q}`,
		w.source.Name, w.srv.URL, w.srv.URL+"/", w.target.TenantID, w.target.ClientID, w.target.ClientSecret,
		w.source.TenantID, w.source.ClientID, w.source.ClientSecret)
	cfgDir := filepath.Join(dir, "config")
	return cfgDir, writeFiles(cfgDir, files)
}
