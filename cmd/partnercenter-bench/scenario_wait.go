// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

func init() {
	register(scenario{name: "wait", order: 20, title: "Waiting for a transfer (real poller and client, emulator's virtual clock)", usesCLI: false, run: waitScenario,
		budgets: []budget{waitRequestBudget}})
}

const sectionWait = "3. Waiting for completion (real poller and client, emulator's virtual clock)"

// waitRequestBudget is what a submit and the wait for its completion send,
// N being the status polls the schedule model makes for that delay
// (wait.DefaultSchedule.Simulate).
var waitRequestBudget = newBudget("submit, then wait with the default schedule (N = the schedule model's status polls)",
	each(fixed("submit PATCH", 1), perN("get GET", 1)), authenticating(1))

// waitBudget is the target for one completion delay.
type waitBudget struct {
	after   time.Duration
	maxGets int
}

var waitBudgets = []waitBudget{{time.Minute, 8}, {time.Hour, 30}, {72 * time.Hour, 460}}

// lateAllowed is how late completion may be noticed: max(30 s, 15% of the
// elapsed time), and never more than 10 minutes.
func lateAllowed(after time.Duration) time.Duration {
	return min(max(30*time.Second, time.Duration(0.15*float64(after))), 10*time.Minute)
}

// emulatorClock is a wait.Clock on the emulator's virtual time: Sleep
// advances the emulator instead of sleeping, so a 72-hour wait takes
// milliseconds. realPerVirtual > 0 also sleeps that fraction of d on the
// real clock, which compresses the wait without removing real time, so
// access tokens (which expire on the real clock) age during it.
type emulatorClock struct {
	emu            *emulator.Emulator
	realPerVirtual float64
}

// Now returns the emulator's virtual time.
func (c emulatorClock) Now() time.Time { return c.emu.Now() }

// Sleep advances the emulator's clock by d.
func (c emulatorClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.realPerVirtual > 0 {
		if err := (wait.RealClock{}).Sleep(ctx, time.Duration(c.realPerVirtual*float64(d))); err != nil {
			return err
		}
	}
	c.emu.Advance(d)
	return nil
}

// waitResult is what the source partner's submit and wait cost.
type waitResult struct {
	polls      int
	modelPolls int
	late       time.Duration
	status     string
	requests   emulator.Stats
	realTime   time.Duration
}

// measureWait creates a transfer as the target, makes it complete
// completeAfter after submission, then submits it as the source with a
// fresh client and waits with the provider's poller and default schedule.
func measureWait(ctx context.Context, w *world, c customer, completeAfter time.Duration, clock emulatorClock) (waitResult, error) {
	var res waitResult
	target, err := w.client(ctx, w.target)
	if err != nil {
		return res, err
	}
	created, err := target.CreateTransfer(ctx, c.ID, w.createRequest(c))
	if err != nil {
		return res, err
	}
	if err := w.emu.SetTransferCompletionDelay(created.ID, completeAfter); err != nil {
		return res, err
	}
	source, err := w.client(ctx, w.source)
	if err != nil {
		return res, err
	}
	w.emu.ResetStats()
	started := time.Now()
	submitted, err := source.SubmitTransfer(ctx, c.ID, created.ID,
		[]partnercenter.SubmitLineItem{{SubscriptionID: c.SubscriptionID, ProductType: partnercenter.ProductOnlineServicesNCE}})
	if err != nil {
		return res, err
	}
	// The emulator's clock is frozen between advances: this is the
	// transfer's own submission time.
	submittedAt := w.emu.Now()
	poll := func(ctx context.Context) (wait.Observation[*partnercenter.Transfer], error) {
		t, err := source.GetTransfer(ctx, c.ID, created.ID)
		if err != nil {
			return wait.Observation[*partnercenter.Transfer]{}, err
		}
		return wait.Observation[*partnercenter.Transfer]{Value: t, Status: t.Status, Done: transfers.Status(t.Status).EndsWait()}, nil
	}
	first := wait.Observation[*partnercenter.Transfer]{Value: submitted, Status: submitted.Status, Done: transfers.Status(submitted.Status).EndsWait()}
	last, polls, err := wait.Until(ctx, wait.Poller{Schedule: wait.DefaultSchedule, Clock: clock}, submittedAt, first, poll, nil)
	if err != nil {
		return res, err
	}
	res.realTime = time.Since(started)
	res.requests = w.emu.Stats()
	res.polls = polls
	res.modelPolls, _ = wait.DefaultSchedule.Simulate(completeAfter)
	res.late = w.emu.Now().Sub(submittedAt.Add(completeAfter))
	res.status = last.Status
	return res, nil
}

// tokenCompression is how long, in real time, the 72-hour wait of the token
// measurement takes; tokenLifetime is the emulator's (real-clock) token
// lifetime during it.
const (
	tokenLifetime = 4 * time.Second
	fullTokenRun  = 12 * time.Second
	quickTokenRun = 6 * time.Second
)

// waitScenario measures the wait scenario on one emulator whose clock only moves
// when the poller sleeps, then once more with tokens shorter than the wait.
func waitScenario(b *benchEnv) []Result {
	rows, err := waitRows(b)
	if err != nil {
		rows = append(rows, failed(sectionWait, "wait", err))
	}
	return rows
}

func waitRows(b *benchEnv) ([]Result, error) {
	var rows []Result
	w, err := startWorld(filepath.Join(b.workDir, "wait"), nil)
	if err != nil {
		return nil, err
	}
	defer w.close()
	w.emu.SetSpeed(0)
	budgets := waitBudgets
	if b.ci {
		budgets = budgets[:2] // the 72-hour waits add nothing a CI run needs
	}
	customers, err := w.addCustomers(len(budgets))
	if err != nil {
		return nil, err
	}
	for i, budget := range budgets {
		b.logf("wait: completion after %s", budget.after)
		r, err := measureWait(b.ctx, w, customers[i], budget.after, emulatorClock{emu: w.emu})
		if err != nil {
			return rows, fmt.Errorf("wait for %s: %w", budget.after, err)
		}
		rows = append(rows, waitRowsFor(budget, r)...)
	}
	if b.ci {
		return rows, nil
	}

	b.logf("wait: 72h with %s tokens", tokenLifetime)
	r, err := b.measureTokenWait()
	if err != nil {
		return rows, err
	}
	return append(rows, tokenRows(r)...), nil
}

func waitRowsFor(budget waitBudget, r waitResult) []Result {
	label := "completes after " + shortDuration(budget.after)
	gets := r.requests.Count(emulator.RouteGet, "GET")
	allowed := lateAllowed(budget.after)
	want := waitRequestBudget.at(r.modelPolls)
	return []Result{
		checked(sectionWait, label+": status GETs", fmt.Sprintf("%d (schedule model: %d)", gets, r.modelPolls),
			fmt.Sprintf("<= %d", budget.maxGets), gets <= budget.maxGets && gets == r.polls && r.status == partnercenter.StatusComplete),
		checked(sectionWait, label+": noticed late by", shortDuration(r.late), "<= "+shortDuration(allowed),
			r.late >= 0 && r.late <= allowed),
		requestRow(sectionWait, label+": all requests of submit + wait", r.requests, want, ""),
	}
}

// measureTokenWait runs the 72-hour wait with tokens that live tokenLifetime
// on the real clock, compressed into a few real seconds.
func (b *benchEnv) measureTokenWait() (waitResult, error) {
	w, err := startWorld(filepath.Join(b.workDir, "wait-tokens"), func(o *emulator.Options) { o.TokenLifetime = tokenLifetime })
	if err != nil {
		return waitResult{}, err
	}
	defer w.close()
	w.emu.SetSpeed(0)
	cs, err := w.addCustomers(1)
	if err != nil {
		return waitResult{}, err
	}
	const after = 72 * time.Hour
	run := fullTokenRun
	if b.quick {
		run = quickTokenRun
	}
	r, err := measureWait(b.ctx, w, cs[0], after, emulatorClock{emu: w.emu, realPerVirtual: float64(run) / float64(after)})
	if err != nil {
		return r, err
	}
	if r.status != partnercenter.StatusComplete {
		return r, errors.New("the 72-hour transfer did not complete")
	}
	return r, nil
}

// tokenRows checks that tokens follow their lifetime, not the polls: the
// token provider refreshes a token half-way through a lifetime this short
// (5 minutes before expiry for real, hour-long tokens), so the count is
// bounded by the real time spent over half the lifetime, plus the first.
func tokenRows(r waitResult) []Result {
	tokens := r.requests.TokensIssued
	gets := r.requests.Count(emulator.RouteGet, "GET")
	bound := int(r.realTime/(tokenLifetime/2)) + 1
	perHour := 3600 / (time.Hour - 5*time.Minute).Seconds()
	return []Result{
		checked(sectionWait, fmt.Sprintf("72h wait in %s real time, %s tokens: token requests", seconds(r.realTime), shortDuration(tokenLifetime)),
			fmt.Sprintf("%d for %d GETs, %d unauthorized", tokens, gets, r.requests.Unauthorized),
			fmt.Sprintf("<= %d (one per half lifetime + 1)", bound),
			tokens <= bound && r.requests.Unauthorized == 0 && r.status == partnercenter.StatusComplete),
		info(sectionWait, "same rule with Entra's 1h tokens (refresh 5 min before expiry)",
			fmt.Sprintf("%.2f token requests per hour of waiting, about %d for 72h", perHour, int(72*perHour)+1)),
	}
}
