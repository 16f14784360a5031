// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"crypto/sha256"
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
	// TokenRenewals counts authenticated requests of an app that arrived
	// on a connection whose previous request of the same app carried
	// another token: a client process replaced its token while it kept
	// working (a new process opens new connections, so it does not count).
	TokenRenewals int `json:"tokenRenewals"`
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
	// lastToken is a digest of the token of the last authenticated request
	// of each app on each connection, keyed by client address and app.
	lastToken map[string][sha256.Size]byte
}

// maxTrackedConnections bounds lastToken; past it, tracking starts over.
const maxTrackedConnections = 10_000

// authenticated notes the token a request of app on connection remote
// carried.
func (c *statsCounter) authenticated(remote, app, authorization string) {
	digest := sha256.Sum256([]byte(authorization))
	c.add(func(s *Stats) {
		if c.lastToken == nil || len(c.lastToken) >= maxTrackedConnections {
			c.lastToken = map[string][sha256.Size]byte{}
		}
		key := remote + " " + app
		if last, ok := c.lastToken[key]; ok && last != digest {
			s.TokenRenewals++
		}
		c.lastToken[key] = digest
	})
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
	c.lastToken = nil
}
