// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"context"
	"fmt"
	"net/http"
	"sync"
)

// idempotencyKey is a partner's MS-RequestId: two partners may pick the
// same GUID without colliding.
type idempotencyKey struct {
	partner   string
	requestID string
}

type idempotencyEntry struct {
	done chan struct{}
	res  apiResponse
	ok   bool
}

// idempotencyStore remembers the first response to each (partner,
// MS-RequestId) of a POST or PATCH so a retry replays it instead of acting
// twice. Memory is bounded: beyond capacity the oldest keys are forgotten.
type idempotencyStore struct {
	mu       sync.Mutex
	capacity int
	entries  map[idempotencyKey]*idempotencyEntry
	// ring holds keys in insertion order; next is the slot to reuse once
	// the ring is full.
	ring []ringSlot
	next int
}

type ringSlot struct {
	key   idempotencyKey
	entry *idempotencyEntry
}

func newIdempotencyStore(capacity int) *idempotencyStore {
	return &idempotencyStore{capacity: capacity, entries: map[idempotencyKey]*idempotencyEntry{}}
}

// begin returns the entry for key. owner is true when the caller created it
// and must call finish; otherwise the entry belongs to an earlier request.
func (s *idempotencyStore) begin(key idempotencyKey) (entry *idempotencyEntry, owner bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok {
		return e, false
	}
	e := &idempotencyEntry{done: make(chan struct{})}
	s.entries[key] = e
	slot := ringSlot{key: key, entry: e}
	if len(s.ring) < s.capacity {
		s.ring = append(s.ring, slot)
		return e, true
	}
	// Forget the oldest key unless it was abandoned and reused since.
	if old := s.ring[s.next]; s.entries[old.key] == old.entry {
		delete(s.entries, old.key)
	}
	s.ring[s.next] = slot
	s.next = (s.next + 1) % s.capacity
	return e, true
}

// finish stores the response and releases requests waiting on the key.
func (s *idempotencyStore) finish(e *idempotencyEntry, res apiResponse) {
	e.res, e.ok = res, true
	close(e.done)
}

// abandon forgets a key whose first request produced no response (it
// panicked), so a retry runs afresh.
func (s *idempotencyStore) abandon(key idempotencyKey, e *idempotencyEntry) {
	s.mu.Lock()
	if s.entries[key] == e {
		delete(s.entries, key)
	}
	s.mu.Unlock()
	close(e.done)
}

// wait blocks until the first request with the key has finished. A retry
// that overtakes its own slow original thus gets the original's answer.
func (e *idempotencyEntry) wait(ctx context.Context) (apiResponse, bool, error) {
	select {
	case <-e.done:
		return e.res, e.ok, nil
	case <-ctx.Done():
		return apiResponse{}, false, ctx.Err()
	}
}

func (s *idempotencyStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

func (s *idempotencyStore) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = map[idempotencyKey]*idempotencyEntry{}
	s.ring = nil
	s.next = 0
}

// What a repeated (partner, MS-RequestId) POST or PATCH gets; Microsoft
// documents the header as an idempotency key but not the server's answer.
const (
	// RequestIDReplay replays the first request's answer.
	RequestIDReplay = "replay"
	// RequestIDConflict answers 409 with code 900104 ("being processed by
	// another request") while the first request is, or was, processed.
	RequestIDConflict = "conflict"
	// RequestIDNone ignores the header: every request is processed as new.
	RequestIDNone = "none"
)

// RequestIDModes lists the accepted Options.RequestIDMode values.
var RequestIDModes = []string{RequestIDReplay, RequestIDConflict, RequestIDNone}

func validRequestIDMode(mode *string) error {
	switch *mode {
	case "":
		*mode = RequestIDReplay
	case RequestIDReplay, RequestIDConflict, RequestIDNone:
	default:
		return fmt.Errorf("request ID mode must be %q, %q or %q, got %q", RequestIDReplay, RequestIDConflict, RequestIDNone, *mode)
	}
	return nil
}

// serveRepeatable runs a POST or PATCH that carries an MS-RequestId,
// treating a repeat as the configured mode says.
func (e *Emulator) serveRepeatable(ctx context.Context, rt *route, req *apiRequest, key idempotencyKey) apiResponse {
	if e.opts.RequestIDMode == RequestIDNone {
		return rt.handle(req)
	}
	entry, owner := e.idem.begin(key)
	if !owner {
		if e.opts.RequestIDMode == RequestIDConflict {
			e.stats.add(func(s *Stats) { s.RepeatsRefused++ })
			return errorResponse(http.StatusConflict, codeProcessedElsewhere,
				"This request is being processed by another request with the same MS-RequestId.")
		}
		res, ok, err := entry.wait(ctx)
		switch {
		case err != nil:
			return errorResponse(http.StatusRequestTimeout, "408", "The request was canceled while waiting for the first request with the same MS-RequestId.")
		case !ok:
			return errorResponse(http.StatusConflict, codeProcessedElsewhere,
				"The first request with this MS-RequestId failed without an answer; retry with a new MS-RequestId.")
		}
		e.stats.add(func(s *Stats) { s.Replayed++ })
		return res
	}
	finished := false
	defer func() {
		if !finished {
			e.idem.abandon(key, entry)
		}
	}()
	res := rt.handle(req)
	e.idem.finish(entry, res)
	finished = true
	return res
}
