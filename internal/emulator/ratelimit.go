// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"math"
	"sync"
	"time"
)

// rateLimiter is a token bucket per partner tenant on the real clock: each
// partner may burst Requests calls and regains Requests per Per.
type rateLimiter struct {
	mu      sync.Mutex
	limit   RateLimit
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(limit RateLimit, now func() time.Time) *rateLimiter {
	return &rateLimiter{limit: limit, now: now, buckets: map[string]*bucket{}}
}

func (l *rateLimiter) set(limit RateLimit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.limit = limit
	l.buckets = map[string]*bucket{}
}

func (l *rateLimiter) get() RateLimit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit
}

// allow takes one token from the partner's bucket. When none is left it
// returns how many whole seconds until one is (at least 1, as Retry-After
// is in seconds).
func (l *rateLimiter) allow(partner string) (ok bool, retryAfterSeconds int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.limit.Unlimited() {
		return true, 0
	}
	now := l.now()
	capacity := float64(l.limit.Requests)
	perToken := l.limit.Per.Seconds() / capacity
	b := l.buckets[partner]
	if b == nil {
		b = &bucket{tokens: capacity, last: now}
		l.buckets[partner] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(capacity, b.tokens+elapsed/perToken)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := (1 - b.tokens) * perToken
	return false, max(1, int(math.Ceil(wait)))
}
