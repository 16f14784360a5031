// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// The fault matrix's job: the target partner opens fleetRequests requests
// for one customer, the source partner adopts fleetAdopted of them (for_each
// import blocks) and submits one subscription in each, waiting for
// Complete; destroy cancels the rest. Terraform runs it with its default
// parallelism of 10.
const (
	fleetRequests = 50
	fleetAdopted  = 25
	fleetCanceled = fleetRequests - fleetAdopted
)

// faultProfile is one row of the fault matrix. Every fault has a Count, so
// retries converge and the number of injected faults is known in advance:
// the report's figures are computed from these definitions, and each run
// proves the emulator injected exactly that many.
type faultProfile struct {
	name, description string
	faults            []emulator.Fault
	tune              func(*emulator.Options)
	// renewsTokens: tokens expire during the run, so provider processes
	// must replace theirs while they work. Otherwise tokens live an hour
	// and no process renews one.
	renewsTokens bool
}

// faultProfiles is the fault matrix RELIABILITY.md reports: its figures
// are these definitions' expected values, which every run asserts.
func faultProfiles() []faultProfile {
	throttle := func(route, method string, count int) emulator.Fault {
		return emulator.Fault{Route: route, Method: method, Kind: emulator.FaultStatus, Status: 429, RetryAfter: 1, Count: count}
	}
	status := func(route, method string, code, retryAfter, every, count int) emulator.Fault {
		return emulator.Fault{Route: route, Method: method, Kind: emulator.FaultStatus, Status: code, RetryAfter: retryAfter, Every: every, Count: count}
	}
	drop := func(route, method, kind string, every, count int) emulator.Fault {
		return emulator.Fault{Route: route, Method: method, Kind: kind, Every: every, Count: count}
	}
	slow := func(route, method string, latency time.Duration, every, count int) emulator.Fault {
		return emulator.Fault{Route: route, Method: method, Kind: emulator.FaultLatency, Latency: latency, Every: every, Count: count}
	}
	profiles := []faultProfile{
		{
			name:        "throttling",
			description: "429 storms with `Retry-After: 1`: the first 30 creates, 40 reads, 15 submits and 15 cancels are throttled",
			faults: []emulator.Fault{
				throttle(emulator.RouteCreate, "POST", 30),
				throttle(emulator.RouteGet, "GET", 40),
				throttle(emulator.RouteSubmit, "PATCH", 15),
				throttle(emulator.RouteCancel, "PATCH", 15),
			},
		},
		{
			name:        "server-errors",
			description: "500/503 bursts: every 2nd create (503, `Retry-After: 1`), submit (503) and cancel (500), every 3rd read (500)",
			faults: []emulator.Fault{
				status(emulator.RouteCreate, "POST", 503, 1, 2, 20),
				status(emulator.RouteGet, "GET", 500, 0, 3, 30),
				status(emulator.RouteSubmit, "PATCH", 503, 0, 2, 10),
				status(emulator.RouteCancel, "PATCH", 500, 0, 2, 10),
			},
		},
		{
			name: "dropped-connections",
			description: "connection closed after the server committed every 3rd create, submit and cancel (answer lost); " +
				"every 5th read dropped before the server saw it",
			faults: []emulator.Fault{
				drop(emulator.RouteCreate, "POST", emulator.FaultDropAfterCommit, 3, 15),
				drop(emulator.RouteSubmit, "PATCH", emulator.FaultDropAfterCommit, 3, 8),
				drop(emulator.RouteCancel, "PATCH", emulator.FaultDropAfterCommit, 3, 8),
				drop(emulator.RouteGet, "GET", emulator.FaultDropBeforeCommit, 5, 20),
			},
		},
		{
			name:        "latency",
			description: "added latency: 500 ms on 25 creates, 10 submits and 10 cancels, 300 ms on every 2nd read",
			faults: []emulator.Fault{
				slow(emulator.RouteCreate, "POST", 500*time.Millisecond, 0, 25),
				slow(emulator.RouteGet, "GET", 300*time.Millisecond, 2, 40),
				slow(emulator.RouteSubmit, "PATCH", 500*time.Millisecond, 0, 10),
				slow(emulator.RouteCancel, "PATCH", 500*time.Millisecond, 0, 10),
			},
		},
		{
			name: "token-expiry",
			description: fmt.Sprintf("access tokens live %s and each wait for completion lasts %s, so tokens expire mid-wait "+
				"(the emulator answers 401 to an expired token); the run asserts that provider processes renewed their tokens "+
				"while working and that no expired token was used", tokenExpiryLifetime, tokenExpiryWait),
			renewsTokens: true,
			tune: func(o *emulator.Options) {
				o.TokenLifetime = tokenExpiryLifetime
				o.Speed = 60
				o.CompletionDelay = time.Duration(float64(tokenExpiryWait) * o.Speed)
			},
		},
	}
	// Lost answers are where a server's handling of a repeated MS-RequestId
	// could matter: that profile also runs in the other two modes.
	for _, mode := range []string{emulator.RequestIDConflict, emulator.RequestIDNone} {
		p := profiles[2]
		p.name += "-" + mode
		p.description += fmt.Sprintf("; MS-RequestId mode `%s`", mode)
		p.tune = func(o *emulator.Options) { o.RequestIDMode = mode }
		profiles = append(profiles, p)
	}
	return profiles
}

// The token-expiry profile's figures: a wait outlives a token.
const (
	tokenExpiryLifetime = 3 * time.Second
	tokenExpiryWait     = 5 * time.Second
)

// faultsInjected is how many faults the profile injects in a run: each
// fault fires Count times, and every run makes more matching requests
// than Count × Every.
func (p faultProfile) faultsInjected() int {
	n := 0
	for _, f := range p.faults {
		n += f.Count
	}
	return n
}

// replays is how many answers the emulator replays for a repeated
// MS-RequestId: none. After a lost answer the provider reads what the
// server did before sending anything again, and a write the server applied
// is never sent twice, so no repeat reaches the server.
func (p faultProfile) replays() int { return 0 }

// faultFigures is what one profile's run measured.
type faultFigures struct {
	FaultsInjected, Replayed     int
	Created, Submitted, Canceled int
	Lost, Duplicated, SentTwice  int
}

// expected is what a correct run of the profile measures.
func (p faultProfile) expected() faultFigures {
	return faultFigures{
		FaultsInjected: p.faultsInjected(), Replayed: p.replays(),
		Created: fleetRequests, Submitted: fleetAdopted, Canceled: fleetCanceled,
	}
}

// Under every fault profile the whole job completes, and afterwards the
// emulator's records and Terraform's state agree exactly.
func TestAccReliabilityFaults(t *testing.T) {
	var names []string
	for _, p := range faultProfiles() {
		names = append(names, p.name)
	}
	run := matrixCases(t, names, "dropped-connections-none", "server-errors")
	for _, p := range faultProfiles() {
		if !slices.Contains(run, p.name) {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			// Each profile has an emulator of its own, and most of a run is
			// spent waiting (Retry-After, polls, latency).
			t.Parallel()
			runFaultProfile(t, p)
		})
	}
}

func runFaultProfile(t *testing.T, p faultProfile) { //nolint:thelper // A test body: failures should point into it.
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run the Terraform CLI")
	}
	var tune []func(*emulator.Options)
	if p.tune != nil {
		tune = append(tune, p.tune)
	}
	f := newFleet(t, fleetRequests, tune...)
	f.emu.SetFaults(p.faults...)
	// Generous bounds so that a hang fails the test instead of stalling CI.
	timeouts := `  timeouts = { create = "2m", update = "2m", delete = "2m" }`
	target := f.providers() + f.requests(fleetRequests, timeouts)
	both := target + f.adoptions(fleetAdopted, timeouts)
	lost := -1
	started := time.Now()
	resource.Test(t, resource.TestCase{
		ExternalProviders:      externalProviders(t),
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		CheckDestroy: func(*terraform.State) error {
			t.Logf("destroyed at %s", time.Since(started))
			want := map[string]int{partnercenter.StatusComplete: fleetAdopted, partnercenter.StatusCanceled: fleetCanceled}
			if got := statusCounts(f.transfers()); fmt.Sprint(got) != fmt.Sprint(want) {
				return fmt.Errorf("after destroy the server's transfers are %v, want %v", got, want)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				PreConfig:         func() { t.Logf("step 1 at %s", time.Since(started)) },
				Config:            target,
				ConfigStateChecks: []statecheck.StateCheck{stateAgreesWithServer{w: f.accWorld, owner: "request", checkStatus: true}},
			},
			{
				// The target's view of the adopted requests is refreshed by
				// the next step; the source's view must already be true.
				PreConfig:         func() { t.Logf("step 2 at %s", time.Since(started)) },
				Config:            both,
				ConfigStateChecks: []statecheck.StateCheck{stateAgreesWithServer{w: f.accWorld, owner: "request"}},
			},
			{
				// A refresh brings the target's view of the adopted requests
				// up to date; now every transfer's true status is in state.
				PreConfig:    func() { t.Logf("step 3 at %s", time.Since(started)) },
				RefreshState: true,
				Check: func(s *terraform.State) error {
					held := legacyStateTransfers(s)
					lost = countUnheld(held, f.transfers(), "request")
					return compareStateWithServer(held, f.transfers(), "request", true)
				},
			},
		},
	})
	if t.Failed() {
		return
	}

	counts, err := f.ledger.check(f.transfers())
	if err != nil {
		t.Error(err)
	}
	stats := f.emu.Stats()
	got := faultFigures{
		FaultsInjected: stats.FaultsInjected, Replayed: stats.Replayed,
		Created: counts.created, Submitted: counts.submitted, Canceled: counts.canceled,
		Lost: lost, Duplicated: max(0, len(f.transfers())-fleetRequests), SentTwice: f.ledger.extraSubmits(),
	}
	if want := p.expected(); got != want {
		t.Errorf("profile %s measured %+v, want %+v", p.name, got, want)
	}
	if stats.Unauthorized != 0 {
		t.Errorf("%d requests were refused with 401: a token was used after it expired", stats.Unauthorized)
	}
	// A wait outlives a token, so the source's apply process, polling
	// throughout its waits, must have replaced its token on a connection
	// it kept using; with hour-long tokens no process does.
	switch {
	case p.renewsTokens && stats.TokenRenewals < 1:
		t.Errorf("no provider process renewed its token (tokens issued %d): the profile did not make tokens expire mid-run", stats.TokensIssued)
	case !p.renewsTokens && stats.TokenRenewals != 0:
		t.Errorf("%d token renewals with hour-long tokens", stats.TokenRenewals)
	}
	t.Logf("profile %s: %+v in %s; requests %v, throttled %d, tokens issued %d, renewed on a connection %d",
		p.name, got, time.Since(started).Round(time.Millisecond), routeCounts(stats), stats.Throttled, stats.TokensIssued, stats.TokenRenewals)
}

func routeCounts(s emulator.Stats) string {
	parts := make([]string, 0, len(s.Requests))
	for _, k := range s.Routes() {
		parts = append(parts, fmt.Sprintf("%s=%d", k, s.Requests[k]))
	}
	return strings.Join(parts, " ")
}
