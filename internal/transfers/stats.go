// SPDX-License-Identifier: MPL-2.0

package transfers

import "sync"

// Stats counts what the lifecycle did beyond plain calls; the reliability
// report quotes them.
type Stats struct {
	// Reconciled counts checks made after an attempt with an unknown
	// outcome, before sending again.
	Reconciled int
	// Recovered counts writes those checks found applied (not re-sent).
	Recovered int
	// Resent counts writes sent again after a check found them missing.
	Resent int
	// Adopted counts Pending requests adopted as orphans of an earlier,
	// interrupted create.
	Adopted int
	// ExtrasCanceled counts duplicate requests the service made that were
	// cancelled.
	ExtrasCanceled int
}

type statsRecorder struct {
	mu sync.Mutex
	s  Stats
}

func (r *statsRecorder) add(f func(*Stats)) {
	r.mu.Lock()
	f(&r.s)
	r.mu.Unlock()
}

// Stats returns the counters so far.
func (s *Service) Stats() Stats {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	return s.stats.s
}
