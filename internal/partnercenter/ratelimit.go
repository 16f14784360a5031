// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"math"
	"net/http"
	"sync"
	"time"
)

// The limiter's tuning. Partner Center's budgets are per partner tenant and
// not published for the transfer API, so the limiter learns them from the
// 429 answers instead of being configured.
const (
	// slowStartRate and slowStartDoubling shape the start before any 429:
	// one second's burst at slowStartRate, then the rate doubles every
	// slowStartDoubling, so an unthrottled partner reaches thousands of
	// requests per second within a second while a throttled one is found
	// before a whole -parallelism of requests has overrun its budget.
	slowStartRate     = 10.0
	slowStartDoubling = 50 * time.Millisecond
	// unlimitedRate is a pace above which the limiter stops pacing.
	unlimitedRate = 10000.0
	// burstWindow is how much unused budget, in time at the current rate,
	// may be spent at once, e.g. right after a Retry-After pause, during
	// which the service refilled its own bucket.
	burstWindow = time.Second
	// decreaseFactor multiplies the learned rate on a throttle: slightly
	// under what the service just accepted.
	decreaseFactor = 0.95
	// probeGrowth makes the rate grow as the learned rate x (1 +
	// probeGrowth x t^2), t the seconds since the pause ended: slowly, as
	// the learned rate is close to the budget. After probeQuiet accepted
	// requests without a 429 the rate doubles every half second instead:
	// the budget was raised or the 429 was a passing one, and crawling on
	// would cost more than the next 429, which then comes after at least
	// probeQuiet requests (a 429 share of a few percent at any rate).
	probeGrowth = 0.0015
	probeQuiet  = 30
	// quietTime also ends the slow probing, after at least one accepted
	// request: at low rates probeQuiet requests take long.
	quietTime = 10 * time.Second
	// minSamples is how many accepted requests make an estimate of the
	// budget: before the first estimate a 429 after fewer (a storm of
	// them, or a passing one) only pauses, and the count goes on to the
	// next 429.
	minSamples = 5
	// fewSamplesFactor cuts the pace when a learned pace is throttled
	// again before minSamples requests were accepted.
	fewSamplesFactor = 0.75
	// minRate is the slowest pace the limiter learns; a budget below it
	// still costs at most one 429 per Retry-After.
	minRate = 1.0
	// maxLimiterPause bounds the pause of an absurd Retry-After; the
	// throttled call itself still honours it (or its deadline).
	maxLimiterPause = 24 * time.Hour
)

// adaptiveLimiter paces every request of one Client, that is of one
// partner's provider instance, shared by all of Terraform's workers. It
// starts unpaced (after a short slow start); a 429 pauses every worker
// until its Retry-After has passed, then lets them go on at the rate the
// service was seen to accept, probing upwards from there.
//
// The decisions are pure functions of the time passed in, so tests drive
// them with a virtual clock; wait adds the real sleeping.
type adaptiveLimiter struct {
	mu sync.Mutex
	// maxRate caps the rate (the provider's max_requests_per_second); 0
	// means no cap.
	maxRate float64

	started bool
	start   time.Time
	// tat is the theoretical arrival time of the next request (GCRA): a
	// request may go when tat is not after now, and tat may lag now by
	// up to burstWindow of unused credit.
	tat time.Time
	// pausedUntil holds every worker after a Retry-After.
	pausedUntil time.Time

	// learned is set by the first 429; eventRate and lastEvent describe
	// the latest throttle, successes counts answered attempts since it.
	learned   bool
	eventRate float64
	lastEvent time.Time
	// resumeAt is when the pause of the latest throttle ended, quietAt
	// when probeQuiet requests had been accepted since (zero until then).
	resumeAt  time.Time
	quietAt   time.Time
	successes int
}

func newAdaptiveLimiter(maxRate float64) *adaptiveLimiter {
	if maxRate < 0 {
		maxRate = 0
	}
	return &adaptiveLimiter{maxRate: maxRate}
}

// rateAt is the pace allowed at now, in requests per second.
func (l *adaptiveLimiter) rateAt(now time.Time) float64 {
	var r float64
	if l.learned {
		slowUntil := now
		if !l.quietAt.IsZero() && l.quietAt.Before(now) {
			slowUntil = l.quietAt
		}
		t := max(slowUntil.Sub(l.resumeAt), 0).Seconds()
		r = l.eventRate * (1 + probeGrowth*t*t)
		if slowUntil.Before(now) {
			r *= math.Exp2(min(2*now.Sub(slowUntil).Seconds(), 20))
		}
	} else {
		doublings := now.Sub(l.start).Seconds() / slowStartDoubling.Seconds()
		r = slowStartRate * math.Exp2(min(doublings, 20))
	}
	if l.maxRate > 0 && r > l.maxRate {
		r = l.maxRate
	}
	return r
}

// reserve takes a slot for a request at now if one is free and reports
// true, or reports when to ask again. It does not hold a slot for a caller
// that must wait, so a Retry-After that arrives meanwhile holds it too.
func (l *adaptiveLimiter) reserve(now time.Time) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.started {
		// One burstWindow of credit at the start.
		l.started, l.start, l.tat = true, now, now.Add(-burstWindow)
	}
	if now.Before(l.pausedUntil) {
		return false, l.pausedUntil
	}
	r := l.rateAt(now)
	if r >= unlimitedRate {
		return true, now
	}
	interval := time.Duration(float64(time.Second) / r)
	tau := burstWindow
	if l.maxRate > 0 {
		// A configured cap is a promise about the rate: no bursts above it.
		tau = 0
	}
	// Unused credit is capped so that a burst is r x tau requests, the
	// request at tat itself included.
	next := l.tat
	if floor := now.Add(-max(tau-interval, 0)); next.Before(floor) {
		next = floor
	}
	if next.After(now) {
		return false, next
	}
	l.tat = next.Add(interval)
	return true, now
}

// observe records the answer to an attempt sent at sent and received at
// now: a 429 with its Retry-After (zero if it had none or said 0), or any other
// answer, which used up a slot of the service's budget too.
func (l *adaptiveLimiter) observe(sent, now time.Time, throttled bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !throttled {
		l.successes++
		if l.learned && l.quietAt.IsZero() && (l.successes >= probeQuiet || now.Sub(l.resumeAt) >= quietTime) {
			l.quietAt = now
		}
		return
	}
	// Without a Retry-After only the rate goes down; the throttled call
	// backs off on its own.
	retryAfter = min(max(retryAfter, 0), maxLimiterPause)
	if until := now.Add(retryAfter); until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
	// Attempts sent before the last throttle was known belong to it: they
	// prolong the pause but say nothing new about the rate.
	if l.learned && sent.Before(l.lastEvent) {
		return
	}
	if !l.learned && l.successes < minSamples {
		return
	}
	current := l.rateAt(now)
	var accepted float64
	factor := decreaseFactor
	if l.learned {
		// The service's bucket was empty at both throttles, so what it
		// accepted in between is its refill rate.
		accepted = float64(l.successes) / max(now.Sub(l.lastEvent).Seconds(), 1e-3)
	} else {
		// The first throttle: what was accepted since the start includes
		// the service's initial burst, taken to be a second's worth (the
		// emulator's bucket; a smaller one makes this an underestimate,
		// which the probing corrects).
		accepted = float64(l.successes) / (max(now.Sub(l.start), 0) + burstWindow).Seconds()
	}
	if l.learned && l.successes < minSamples {
		// Throttled again before a new estimate was possible: the pace
		// (or the burst after the pause) was still too much.
		accepted, factor = current, fewSamplesFactor
	}
	l.eventRate = max(factor*min(accepted, current), minRate)
	l.learned, l.lastEvent, l.resumeAt, l.quietAt, l.successes = true, now, l.pausedUntil, time.Time{}, 0
	// The pause refills the service's budget; allow spending what it
	// refilled, up to burstWindow, once the pause is over.
	l.tat = now.Add(max(retryAfter-burstWindow, 0))
}

// limiterClock is the limiter's view of time; tests replace it.
type limiterClock struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// wait blocks until the limiter lets a request go, or ctx ends. It returns
// the time the request may be sent.
func (l *adaptiveLimiter) wait(ctx context.Context, clock limiterClock) (time.Time, error) {
	for {
		now := clock.now()
		ok, next := l.reserve(now)
		if ok {
			return now, nil
		}
		if deadline, has := ctx.Deadline(); has && !next.Before(deadline) {
			// Sleeping would only delay the same failure.
			return now, &deadlineStop{wait: next.Sub(now)}
		}
		if err := clock.sleep(ctx, next.Sub(now)); err != nil {
			return now, err
		}
	}
}

// limitedTransport passes every attempt through the Client's limiter and
// reports its answer back.
type limitedTransport struct {
	next    http.RoundTripper
	limiter *adaptiveLimiter
	clock   limiterClock
	stats   *statsRecorder
}

func (t *limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	asked := t.clock.now()
	sent, err := t.limiter.wait(req.Context(), t.clock)
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	t.stats.recordLimiterWait(sent.Sub(asked))
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	now := t.clock.now()
	throttled := resp.StatusCode == http.StatusTooManyRequests
	var retryAfter time.Duration
	if throttled {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			retryAfter = d
		}
	}
	t.limiter.observe(sent, now, throttled, retryAfter)
	return resp, nil
}
