// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"maps"
	"sort"
	"strings"
	"sync"
)

// Stats counts requests seen by the emulator since start or ResetStats.
// Admin calls under /_emulator/ are not counted.
type Stats struct {
	// Requests counts requests per route and method, keyed "route METHOD"
	// (for example "create POST", "token POST", "submit PATCH").
	Requests map[string]int `json:"requests"`
	// Total is the number of counted requests.
	Total int `json:"total"`
	// Throttled counts 429 responses, from the rate limit or a fault.
	Throttled int `json:"throttled"`
	// FaultsInjected counts faults that fired (latency ones included).
	FaultsInjected int `json:"faultsInjected"`
	// Replayed counts POST/PATCH answers replayed for a repeated MS-RequestId.
	Replayed int `json:"replayed"`
	// RepeatsRefused counts repeated MS-RequestIds answered 409 (900104)
	// in the RequestIDConflict mode.
	RepeatsRefused int `json:"repeatsRefused"`
	// Unauthorized counts 401 responses.
	Unauthorized int `json:"unauthorized"`
	// TokensIssued counts access tokens issued by the fake Entra ID.
	TokensIssued int `json:"tokensIssued"`
}

// Count returns the requests for route and method; an empty method sums
// every method of the route.
func (s Stats) Count(route, method string) int {
	if method != "" {
		return s.Requests[route+" "+strings.ToUpper(method)]
	}
	n := 0
	for k, v := range s.Requests {
		if r, _, _ := strings.Cut(k, " "); r == route {
			n += v
		}
	}
	return n
}

// Routes lists the counted "route METHOD" keys, sorted.
func (s Stats) Routes() []string {
	keys := make([]string, 0, len(s.Requests))
	for k := range s.Requests {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// statsCounter accumulates Stats; tokenBase makes TokensIssued restart at
// zero on ResetStats although the fake Entra ID's counter does not.
type statsCounter struct {
	mu        sync.Mutex
	s         Stats
	tokenBase int
}

func (c *statsCounter) add(fn func(s *Stats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s.Requests == nil {
		c.s.Requests = map[string]int{}
	}
	fn(&c.s)
}

func (c *statsCounter) request(route, method string) {
	c.add(func(s *Stats) {
		s.Requests[route+" "+strings.ToUpper(method)]++
		s.Total++
	})
}

func (c *statsCounter) snapshot(tokensIssued int) Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.s
	s.Requests = maps.Clone(c.s.Requests)
	if s.Requests == nil {
		s.Requests = map[string]int{}
	}
	s.TokensIssued = tokensIssued - c.tokenBase
	return s
}

func (c *statsCounter) reset(tokensIssued int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s = Stats{}
	c.tokenBase = tokensIssued
}
