// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"container/heap"
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// simServer is the emulator's rate limit (internal/emulator/ratelimit.go)
// restated: a token bucket per partner holding `rate` tokens, refilled at
// `rate` per second, answering 429 with Retry-After in whole seconds, at
// least 1.
type simServer struct {
	rate   float64
	tokens float64
	last   time.Time
}

func (s *simServer) allow(now time.Time) (bool, time.Duration) {
	if s.last.IsZero() {
		s.tokens, s.last = s.rate, now
	}
	s.tokens = math.Min(s.rate, s.tokens+now.Sub(s.last).Seconds()*s.rate)
	s.last = now
	if s.tokens >= 1 {
		s.tokens--
		return true, 0
	}
	wait := (1 - s.tokens) / s.rate
	return false, time.Duration(max(1, math.Ceil(wait))) * time.Second
}

// simEvent is a worker ready to try its next attempt at `at`.
type simEvent struct {
	at     time.Time
	worker int
	seq    int
}

type simQueue []simEvent

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any) {
	e, _ := x.(simEvent)
	*q = append(*q, e)
}
func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

type simResult struct {
	elapsed   time.Duration
	requests  int
	throttled int
	// maxInWindow is the most requests sent in any one second.
	maxInWindow int
}

// simulate runs n creates on `workers` Terraform workers sharing one
// limiter against a server allowing `rate` requests per second (0: none),
// on a virtual clock: each attempt takes `latency`, each worker spends
// `think` between resources, and a 429 is retried after its Retry-After,
// as the client's retry loop does.
func simulate(n, workers int, rate float64, limiter *adaptiveLimiter, latency, think time.Duration) simResult {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	server := &simServer{rate: rate}
	var q simQueue
	seq := 0
	push := func(at time.Time, w int) {
		seq++
		heap.Push(&q, simEvent{at: at, worker: w, seq: seq})
	}
	remaining := n
	for w := 0; w < workers && remaining > 0; w++ {
		remaining--
		push(start.Add(time.Duration(w)*think), w)
	}
	var res simResult
	var sent []time.Time
	end := start
	for q.Len() > 0 {
		e, _ := heap.Pop(&q).(simEvent)
		ok, next := true, e.at
		if limiter != nil {
			ok, next = limiter.reserve(e.at)
		}
		if !ok {
			push(next, e.worker)
			continue
		}
		res.requests++
		sent = append(sent, e.at)
		allowed, retryAfter := true, time.Duration(0)
		if rate > 0 {
			allowed, retryAfter = server.allow(e.at.Add(latency / 2))
		}
		answered := e.at.Add(latency)
		if limiter != nil {
			limiter.observe(e.at, answered, !allowed, retryAfter)
		}
		if !allowed {
			res.throttled++
			push(answered.Add(retryAfter), e.worker)
			continue
		}
		if answered.After(end) {
			end = answered
		}
		if remaining > 0 {
			remaining--
			push(answered.Add(think), e.worker)
		}
	}
	res.elapsed = end.Sub(start)
	for i := range sent {
		j := i
		for j < len(sent) && sent[j].Sub(sent[i]) < time.Second {
			j++
		}
		res.maxInWindow = max(res.maxInWindow, j-i)
	}
	return res
}

// TestAdaptiveLimiterThrottledApply is the throttled apply of the
// benchmark (200 creates at 10 requests per second) and its neighbours on
// the virtual clock: issue 17's target is at most 1.1 x N/R with under 5%
// of the requests answered 429.
func TestAdaptiveLimiterThrottledApply(t *testing.T) {
	for _, tc := range []struct {
		n, workers int
		rate       float64
		latency    time.Duration
		think      time.Duration // the CLI's own time per resource; 2ms when 0
	}{
		{200, 10, 10, time.Millisecond, 0}, {200, 30, 10, time.Millisecond, 0}, {200, 1, 10, time.Millisecond, 0},
		{500, 10, 10, time.Millisecond, 0}, {200, 10, 5, time.Millisecond, 0}, {400, 10, 20, time.Millisecond, 0},
		{1000, 30, 50, time.Millisecond, 0},
		// The real service is further away than loopback.
		{200, 30, 10, 150 * time.Millisecond, 0},
		// A loaded machine: the CLI needs 60 ms per resource, so its
		// workers start over 1.8 s and the first estimate sees more than
		// the service's burst.
		{200, 30, 10, time.Millisecond, 60 * time.Millisecond},
		{200, 10, 10, time.Millisecond, 60 * time.Millisecond},
	} {
		think := tc.think
		if think == 0 {
			think = 2 * time.Millisecond
		}
		limiter := newAdaptiveLimiter(0)
		res := simulate(tc.n, tc.workers, tc.rate, limiter, tc.latency, think)
		ideal := time.Duration(float64(tc.n) / tc.rate * float64(time.Second))
		share := float64(res.throttled) / float64(res.requests)
		t.Logf("N=%d R=%.0f/s parallelism=%d latency=%s think=%s: %s = %.3fx N/R, %d requests, %d answered 429 (%.1f%%)",
			tc.n, tc.rate, tc.workers, tc.latency, think, res.elapsed, res.elapsed.Seconds()/ideal.Seconds(), res.requests, res.throttled, 100*share)
		if res.elapsed > ideal*11/10 {
			t.Errorf("N=%d R=%.0f parallelism=%d: took %s, more than 1.1 x N/R = %s", tc.n, tc.rate, tc.workers, res.elapsed, ideal*11/10)
		}
		if share >= 0.05 {
			t.Errorf("N=%d R=%.0f parallelism=%d: %d of %d requests answered 429 (%.1f%%), want under 5%%",
				tc.n, tc.rate, tc.workers, res.throttled, res.requests, 100*share)
		}
	}
}

// TestAdaptiveLimiterUnthrottledCost bounds what the slow start costs when
// the service never throttles: the N=500 apply of the benchmark, where
// Terraform itself manages about 125 resources per second with 10 workers
// (terraform_data: 4 s for 500), so a worker spends about 80 ms per
// resource outside the request.
func TestAdaptiveLimiterUnthrottledCost(t *testing.T) {
	for _, workers := range []int{10, 30} {
		free := simulate(500, workers, 0, nil, time.Millisecond, 79*time.Millisecond)
		paced := simulate(500, workers, 0, newAdaptiveLimiter(0), time.Millisecond, 79*time.Millisecond)
		t.Logf("parallelism=%d: %s without a limiter, %s with", workers, free.elapsed, paced.elapsed)
		if paced.elapsed > free.elapsed+free.elapsed/20 {
			t.Errorf("parallelism=%d: the limiter made an unthrottled apply %s instead of %s (more than 5%% slower)", workers, paced.elapsed, free.elapsed)
		}
		if paced.requests != 500 {
			t.Errorf("parallelism=%d: %d requests, want 500", workers, paced.requests)
		}
	}
}

// TestAdaptiveLimiterRecoversFromPassingThrottle: one 429 early in an
// apply against a service without a sustained limit (a fault) must not
// leave the apply crawling at the pace of the few requests sent before it.
func TestAdaptiveLimiterRecoversFromPassingThrottle(t *testing.T) {
	free := simulate(500, 10, 0, nil, time.Millisecond, 79*time.Millisecond)
	l := newAdaptiveLimiter(0)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// The emulated fault: the third request of the apply is answered 429
	// with Retry-After 1.
	for i := range 2 {
		l.reserve(t0)
		l.observe(t0, t0.Add(time.Duration(i+1)*time.Millisecond), false, 0)
	}
	l.reserve(t0)
	l.observe(t0, t0.Add(3*time.Millisecond), true, time.Second)
	res := simulate(500, 10, 0, l, time.Millisecond, 79*time.Millisecond)
	t.Logf("500 creates: %s without a throttle, %s after one passing 429", free.elapsed, res.elapsed)
	if limit := free.elapsed + 2*time.Second; res.elapsed > limit {
		t.Errorf("one passing 429 made a %s apply take %s, more than %s", free.elapsed, res.elapsed, limit)
	}
}

// TestAdaptiveLimiterThrottleStorm: the first 30 creates of an apply are
// all answered 429 (the reliability suite's throttling profile) by a
// service without a sustained limit. With nothing accepted there is no
// budget to learn: every 429 pauses all workers for its Retry-After, and
// the apply goes on at full speed afterwards.
func TestAdaptiveLimiterThrottleStorm(t *testing.T) {
	l := newAdaptiveLimiter(0)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Ten workers: whatever the limiter lets go at one instant is in
	// flight together and refused together.
	now, refused := t0, 0
	for refused < 30 {
		inFlight := 0
		for inFlight < 10 && refused+inFlight < 30 {
			ok, next := l.reserve(now)
			if !ok {
				if inFlight == 0 {
					now = next
					continue
				}
				break
			}
			inFlight++
		}
		for range inFlight {
			l.observe(now, now.Add(time.Millisecond), true, time.Second)
		}
		refused += inFlight
		now = now.Add(time.Millisecond)
	}
	if l.learned {
		t.Fatalf("a storm without one accepted request taught the limiter a pace of %.3f/s", l.eventRate)
	}
	stormEnd := now.Sub(t0)
	if stormEnd > 5*time.Second {
		t.Errorf("30 refused requests took %s of pauses, want at most 5s", stormEnd)
	}
	// Then 200 creates against a service that accepts everything.
	sent, accepted := 0, 0
	for accepted < 200 {
		ok, next := l.reserve(now)
		if !ok {
			now = next
			continue
		}
		sent++
		accepted++
		l.observe(now, now.Add(time.Millisecond), false, 0)
		now = now.Add(10 * time.Millisecond) // Terraform's own pace: 100 per second
	}
	recovery := now.Sub(t0) - stormEnd
	t.Logf("storm of 30 429s over %s, then 200 accepted creates in %s", stormEnd, recovery)
	// The last 429's pause (1s), then Terraform's own pace (2s).
	if recovery > 3100*time.Millisecond {
		t.Errorf("after the storm, 200 creates took %s, want the last pause and Terraform's own pace (3s)", recovery)
	}
}

// TestAdaptiveLimiterMaxRate checks that a configured cap holds from the
// first request, without bursts, and that the cap alone avoids throttling
// by a service allowing more.
func TestAdaptiveLimiterMaxRate(t *testing.T) {
	res := simulate(100, 30, 20, newAdaptiveLimiter(5), time.Millisecond, time.Millisecond)
	if res.maxInWindow > 5 {
		t.Errorf("%d requests in one second, want at most the cap of 5", res.maxInWindow)
	}
	if res.throttled != 0 {
		t.Errorf("%d requests answered 429 under a cap below the service's rate, want 0", res.throttled)
	}
	if want := 20 * time.Second; res.elapsed > want {
		t.Errorf("100 requests at 5/s took %s, want at most %s", res.elapsed, want)
	}
}

// TestAdaptiveLimiterPausesEveryWorker checks the Retry-After is shared: a
// 429 seen by one worker holds back the next request of any worker until
// the pause is over.
func TestAdaptiveLimiterPausesEveryWorker(t *testing.T) {
	l := newAdaptiveLimiter(0)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		if ok, _ := l.reserve(t0); !ok {
			t.Fatalf("request %d of the start's burst was held back", i+1)
		}
		l.observe(t0, t0, false, 0)
	}
	sent := t0.Add(10 * time.Millisecond)
	if ok, _ := l.reserve(sent); !ok {
		t.Fatal("request before the throttle was held back")
	}
	answered := sent.Add(time.Millisecond)
	l.observe(sent, answered, true, 3*time.Second)
	ok, next := l.reserve(answered.Add(time.Second))
	if ok || !next.Equal(answered.Add(3*time.Second)) {
		t.Fatalf("after a 429 with Retry-After 3s: reserve = %v, next %s; want held until %s", ok, next, answered.Add(3*time.Second))
	}
	// A 429 to a request sent before the throttle was known prolongs the
	// pause but does not cut the rate a second time.
	rate := l.eventRate
	l.observe(sent, answered.Add(time.Millisecond), true, 4*time.Second)
	if l.eventRate != rate {
		t.Errorf("a 429 of the same burst cut the rate again: %.2f -> %.2f", rate, l.eventRate)
	}
	if ok, next := l.reserve(answered.Add(4 * time.Second)); ok || !next.Equal(answered.Add(time.Millisecond+4*time.Second)) {
		t.Errorf("the later Retry-After did not prolong the pause: reserve = %v, next %s", ok, next)
	}
	if ok, _ := l.reserve(answered.Add(5 * time.Second)); !ok {
		t.Error("the limiter still held requests back after the pause")
	}
}

// TestLimiterWaitHonoursDeadline checks wait does not sleep into a pause
// that ends after the context's deadline.
func TestLimiterWaitHonoursDeadline(t *testing.T) {
	l := newAdaptiveLimiter(0)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l.reserve(now)
	l.observe(now, now, true, time.Minute)
	slept := time.Duration(0)
	clock := limiterClock{
		now:   func() time.Time { return now.Add(slept) },
		sleep: func(_ context.Context, d time.Duration) error { slept += d; return nil },
	}
	ctx, cancel := context.WithDeadline(t.Context(), now.Add(10*time.Second))
	defer cancel()
	_, err := l.wait(ctx, clock)
	var stop *deadlineStop
	if !errors.As(err, &stop) || slept != 0 {
		t.Fatalf("wait = %v after sleeping %s, want a deadlineStop without sleeping", err, slept)
	}
	sent, err := l.wait(t.Context(), clock)
	if err != nil || !sent.Equal(now.Add(time.Minute)) {
		t.Fatalf("wait without a deadline = %s, %v; want the end of the pause %s", sent, err, now.Add(time.Minute))
	}
}

// TestClientSharesThrottleAcrossCalls drives the real Client: after one
// call is throttled, the next call waits out the same Retry-After before
// it is sent, instead of finding the limit on its own.
func TestClientSharesThrottleAcrossCalls(t *testing.T) {
	var calls, throttled atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			throttled.Add(1)
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"t1","status":"Active"}`))
	}))
	defer srv.Close()

	c, _ := newTestClient(t, srv)
	var slept []time.Duration
	now := time.Now()
	lt, ok := c.httpClient.Transport.(*limitedTransport)
	if !ok {
		t.Fatalf("the client's transport is %T, want the shared limiter", c.httpClient.Transport)
	}
	lt.clock = limiterClock{
		now:   func() time.Time { return now },
		sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); now = now.Add(d); return nil },
	}
	// The throttled attempt of the first call pauses the limiter; a second
	// call that starts during the pause waits for it in the limiter.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/x", nil)
	resp, err := lt.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("first attempt = %v, %v; want the 429", resp, err)
	}
	_ = resp.Body.Close()
	req2, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/y", nil)
	resp2, err := lt.RoundTrip(req2)
	if err != nil || resp2.StatusCode != http.StatusOK {
		t.Fatalf("second attempt = %v, %v; want 200", resp2, err)
	}
	_ = resp2.Body.Close()
	var total time.Duration
	for _, d := range slept {
		total += d
	}
	if total < 2*time.Second {
		t.Errorf("the second request waited %s, want the 2s Retry-After of the first", total)
	}
	if got := c.Stats().LimiterWaits; got != 1 {
		t.Errorf("Stats().LimiterWaits = %d, want 1", got)
	}
}
