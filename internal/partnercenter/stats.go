// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"maps"
	"sync"
	"time"
)

// ClientStats counts the HTTP traffic of a Client, for tests and
// benchmarks.
type ClientStats struct {
	// Attempts is the number of HTTP attempts per method, retries
	// included.
	Attempts map[string]int
	// Retries is the number of attempts that repeated an earlier one.
	Retries int
	// Throttled is the number of attempts answered 429.
	Throttled int
	// LimiterWaits is the number of attempts the shared rate limiter held
	// back, and LimiterWaited their total wait.
	LimiterWaits  int
	LimiterWaited time.Duration
}

// statsRecorder is the mutable, concurrency-safe side of ClientStats.
type statsRecorder struct {
	mu        sync.Mutex
	attempts  map[string]int
	retries   int
	throttled int
	waits     int
	waited    time.Duration
}

func (s *statsRecorder) recordThrottled() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttled++
}

func (s *statsRecorder) recordLimiterWait(d time.Duration) {
	if d <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits++
	s.waited += d
}

func (s *statsRecorder) recordAttempt(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attempts == nil {
		s.attempts = make(map[string]int)
	}
	s.attempts[method]++
}

func (s *statsRecorder) recordRetry() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retries++
}

// Stats returns a snapshot of the counters.
func (c *Client) Stats() ClientStats {
	c.stats.mu.Lock()
	defer c.stats.mu.Unlock()
	attempts := maps.Clone(c.stats.attempts)
	if attempts == nil {
		attempts = map[string]int{}
	}
	return ClientStats{
		Attempts: attempts, Retries: c.stats.retries, Throttled: c.stats.throttled,
		LimiterWaits: c.stats.waits, LimiterWaited: c.stats.waited,
	}
}
