// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"context"
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
