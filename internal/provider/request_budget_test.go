// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

// Request budgets: the request-count rows of `make bench` as tests, so a
// change that sends one request more than the minimum fails CI. The
// emulator counts every request it serves by route and method; timings
// stay in the benchmark.

// budgetSize is how many transfers the CLI budgets manage.
const budgetSize = 5

// authRequestsPer is what authenticating costs each provider process that
// calls the API: MSAL reads the tenant's openid-configuration once to find
// the token endpoint, then asks for one token.
func authRequestsPer(processes int) map[string]int {
	return map[string]int{"openid-configuration GET": processes, "token POST": processes}
}

// configureRequestsPer is what each provider process costs before its
// first operation: authentication (above) and Configure's connection check,
// one GET of the partner's organization profile (connection_check.go),
// which fails a wrong endpoint or credential within seconds on the provider
// block. The token is the one every later request of the process uses.
func configureRequestsPer(processes int) map[string]int {
	return withRequests(authRequestsPer(processes), map[string]int{emulator.RouteOrganizationProfile + " GET": processes})
}

// onlyConfigureRequests reports whether got holds the connection checks of
// some number of provider processes and nothing else.
func onlyConfigureRequests(got map[string]int) bool {
	return len(got) == 0 || maps.Equal(got, configureRequestsPer(got["token POST"]))
}

// configuringProcesses is how many provider processes configured, read off
// their token requests; what else they sent is checked separately.
func configuringProcesses(got emulator.Stats) int { return got.Requests["token POST"] }

func withRequests(base map[string]int, extra map[string]int) map[string]int {
	out := maps.Clone(base)
	for k, v := range extra {
		out[k] += v
	}
	return out
}

// checkBudget compares what the emulator served since its last ResetStats
// with want, exactly: every route and method, none missing, none extra,
// and nothing throttled, refused or replayed.
func checkBudget(t *testing.T, what string, got emulator.Stats, want map[string]int) {
	t.Helper()
	if !maps.Equal(got.Requests, want) || got.Throttled != 0 || got.Unauthorized != 0 || got.Replayed != 0 {
		t.Errorf("%s: requests %s (throttled %d, unauthorized %d, replayed %d); the budget is exactly %s and nothing throttled, refused or replayed",
			what, formatCounts(got.Requests), got.Throttled, got.Unauthorized, got.Replayed, formatCounts(want))
	}
}

func formatCounts(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// TestAccRequestBudgetLifecycle runs the real CLI through create, refresh
// (live and final transfers) and destroy of budgetSize transfer requests
// and checks every command sends exactly the minimum.
func TestAccRequestBudgetLifecycle(t *testing.T) {
	f := newFleet(t, budgetSize)
	cli := newTFCLI(t, f.providers()+f.requests(budgetSize, ""))
	cli.init()

	f.emu.ResetStats()
	if out, err := cli.apply(); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	// A create is one POST and nothing else: no read after it. The plan of
	// new resources lists their customer's transfers once, to name a
	// Pending request with the same inputs that no resource holds; the
	// apply plans the creates again in a new provider process (Terraform
	// re-plans every change during apply, without the plan's private data),
	// which lists once more. Each process also reads the customer once, to
	// check this partner has a relationship with it (Partner Center's 20002
	// at apply otherwise). Two processes, each configuring.
	checkBudget(t, "apply creating requests", f.emu.Stats(),
		withRequests(configureRequestsPer(2), map[string]int{"create POST": budgetSize, "list GET": 2, "getCustomer GET": 2}))

	f.emu.ResetStats()
	if out, err := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Fatalf("plan after apply must find no change: %v\n%s", err, out)
	}
	// A refresh of a live (pending) transfer is one GET.
	checkBudget(t, "plan refreshing live requests", f.emu.Stats(), withRequests(configureRequestsPer(1), map[string]int{"get GET": budgetSize}))

	f.emu.ResetStats()
	if out, err := cli.run("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
	// The destroy plan refreshes (one GET each, first process), the apply
	// cancels from that refreshed state (one PATCH each, second process);
	// a third process (destroy's own refresh-free plan) only configures.
	checkBudget(t, "destroy cancelling pending requests", f.emu.Stats(),
		withRequests(configureRequestsPer(3), map[string]int{"get GET": budgetSize, "cancel PATCH": budgetSize}))

	// Final transfers: new requests, left to expire (30 days), the expiry
	// recorded in the state by one refresh-only apply; then a plan.
	if out, err := cli.apply(); err != nil {
		t.Fatalf("apply again: %v\n%s", err, out)
	}
	f.emu.Advance(31 * 24 * time.Hour)
	f.emu.Settle()
	for _, tr := range f.transfers() {
		if tr.Status != partnercenter.StatusExpired && tr.Status != partnercenter.StatusCanceled {
			t.Fatalf("transfer %s is %s after 31 days, want Expired", tr.ID, tr.Status)
		}
	}
	if out, err := cli.apply("-refresh-only"); err != nil {
		t.Fatalf("apply -refresh-only recording the expiry: %v\n%s", err, out)
	}
	f.emu.ResetStats()
	if out, err := cli.run("plan", "-input=false", "-no-color"); err != nil {
		t.Fatalf("plan over expired requests: %v\n%s", err, out)
	}
	// Final transfers are never re-read (issue 17 item 2), and an expired
	// request is re-requested only with recreate_expired_request = true:
	// the plan's only requests are its provider process's connection check.
	checkBudget(t, "plan refreshing final (Expired) requests", f.emu.Stats(), configureRequestsPer(1))
}

// TestAccRequestBudgetThrottledApply creates transfers against a partner
// budget of 10 requests per second: the shared limiter must find the budget
// once for every worker, so almost every POST succeeds at its first try.
// The count of 429s depends a little on timing (when the first one comes),
// so this budget has a margin; the benchmark measures the real share.
func TestAccRequestBudgetThrottledApply(t *testing.T) {
	const n, rate = 40, 10
	f := newFleet(t, n, func(o *emulator.Options) {
		o.RateLimit = emulator.RateLimit{Requests: rate, Per: time.Second}
	})
	cli := newTFCLI(t, f.providers()+f.requests(n, ""))
	cli.init()
	f.emu.ResetStats()
	started := time.Now()
	if out, err := cli.apply("-parallelism=10"); err != nil {
		t.Fatalf("throttled apply: %v\n%s", err, out)
	}
	took := time.Since(started)
	s := f.emu.Stats()
	posts := s.Count(emulator.RouteCreate, "POST")
	// Without the shared limiter each of 10 workers found the limit on its
	// own, about once a second: ~40 429s for these 40 creates. With it,
	// one at the start (the service's burst ends) and at most one more
	// while the pace is learned.
	const maxThrottled = 3
	if s.Throttled > maxThrottled || posts != n+s.Throttled || s.Replayed != 0 {
		t.Errorf("throttled apply of %d creates: %d POSTs, %d answered 429, %d replayed; want at most %d answered 429, every other POST a create, none replayed (requests %s)",
			n, posts, s.Throttled, s.Replayed, maxThrottled, formatCounts(s.Requests))
	}
	if got := len(f.transfers()); got != n {
		t.Errorf("%d transfers after the throttled apply, want %d", got, n)
	}
	t.Logf("throttled apply: %d creates in %s (N/R = %s), %d answered 429", n, took.Round(time.Millisecond), time.Duration(n/rate)*time.Second, s.Throttled)
}

// budgetClock is a wait.Clock on the emulator's virtual time, which moves
// only when the poller sleeps: a one-hour wait takes milliseconds and its
// polls are the schedule's, not the machine's.
type budgetClock struct{ emu *emulator.Emulator }

func (c budgetClock) Now() time.Time { return c.emu.Now() }

func (c budgetClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.emu.Advance(d)
	return nil
}

// TestRequestBudgetWait submits a transfer as the source partner and waits
// for its completion one hour later with the provider's poller, default
// schedule and client: exactly one submit, the schedule model's status
// GETs, and one authentication.
func TestRequestBudgetWait(t *testing.T) {
	w := newAccWorld(t)
	w.emu.SetSpeed(0)
	ctx := t.Context()
	client := func(p testPartner) *partnercenter.Client {
		t.Helper()
		cfg := auth.Config{TenantID: p.TenantID, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: w.server.URL, AuthorityHost: w.server.URL + "/"}
		tokens, err := auth.NewTokenProvider(ctx, cfg, w.server.Client())
		if err != nil {
			t.Fatal(err)
		}
		c, err := partnercenter.New(partnercenter.Options{Endpoint: cfg.ResolvedEndpoint(), Token: tokens, HTTPClient: w.server.Client()})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	created, err := client(w.target).CreateTransfer(ctx, w.customerID, partnercenter.CreateTransferRequest{
		SourcePartnerTenantID: w.source.TenantID, SourcePartnerName: w.source.Name, CustomerEmailID: "it@northwind.example",
		CustomerName: "Northwind Traders", TransferType: partnercenter.TransferTypeNewCommerce,
	})
	if err != nil {
		t.Fatal(err)
	}
	const completeAfter = time.Hour
	if err := w.emu.SetTransferCompletionDelay(created.ID, completeAfter); err != nil {
		t.Fatal(err)
	}
	source := client(w.source)
	w.emu.ResetStats()
	submitted, err := source.SubmitTransfer(ctx, w.customerID, created.ID,
		[]partnercenter.SubmitLineItem{{SubscriptionID: w.subs[0], ProductType: partnercenter.ProductOnlineServicesNCE}})
	if err != nil {
		t.Fatal(err)
	}
	poll := func(ctx context.Context) (wait.Observation[*partnercenter.Transfer], error) {
		tr, err := source.GetTransfer(ctx, w.customerID, created.ID)
		if err != nil {
			return wait.Observation[*partnercenter.Transfer]{}, err
		}
		return wait.Observation[*partnercenter.Transfer]{Value: tr, Status: tr.Status, Done: transfers.Status(tr.Status).EndsWait()}, nil
	}
	first := wait.Observation[*partnercenter.Transfer]{Value: submitted, Status: submitted.Status, Done: transfers.Status(submitted.Status).EndsWait()}
	last, polls, err := wait.Until(ctx, wait.Poller{Schedule: wait.DefaultSchedule, Clock: budgetClock{emu: w.emu}}, w.emu.Now(), first, poll, nil)
	if err != nil {
		t.Fatal(err)
	}
	if last.Status != partnercenter.StatusComplete {
		t.Fatalf("the wait ended on %s, want Complete", last.Status)
	}
	model, _ := wait.DefaultSchedule.Simulate(completeAfter)
	if polls != model {
		t.Errorf("%d status polls for a completion after %s, the schedule model says %d", polls, completeAfter, model)
	}
	checkBudget(t, "submit and wait one hour", w.emu.Stats(), withRequests(authRequestsPer(1), map[string]int{"submit PATCH": 1, "get GET": model}))
}
