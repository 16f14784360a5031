// SPDX-License-Identifier: MPL-2.0

package snapshot

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// progress prints "customers done/total, requests, throttled, ETA" lines
// on a timer, from the client's own counters.
type progress struct {
	client *partnercenter.Client
	w      io.Writer
	now    func() time.Time

	mu       sync.Mutex
	phase    string
	total    int
	done     int
	resumed  int
	started  time.Time
	began    time.Time
	ticker   *time.Ticker
	quit     chan struct{}
	stopOnce sync.Once
}

func newProgress(c *partnercenter.Client, w io.Writer, every time.Duration, now func() time.Time) *progress {
	p := &progress{client: c, w: w, now: now, phase: "listing customers", began: now(), quit: make(chan struct{})}
	if w == nil {
		return p
	}
	p.ticker = time.NewTicker(every)
	go func() {
		for {
			select {
			case <-p.ticker.C:
				p.print()
			case <-p.quit:
				return
			}
		}
	}()
	return p
}

func (p *progress) listed(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = n
}

// start begins the per-customer phase; resumed customers count as done.
func (p *progress) start(total, resumed int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.phase, p.total, p.done, p.resumed, p.started = "customers", total, resumed, resumed, p.now()
}

func (p *progress) customerDone() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
}

// line is the current progress line.
func (p *progress) line() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.client.Stats()
	requests := 0
	for _, n := range st.Attempts {
		requests += n
	}
	elapsed := p.now().Sub(p.began).Round(time.Second)
	if p.phase != "customers" {
		return fmt.Sprintf("snapshot: listing customers: %d listed, %d requests, %d throttled, %s elapsed", p.done, requests, st.Throttled, elapsed)
	}
	eta := "unknown"
	if read := p.done - p.resumed; read > 0 {
		left := time.Duration(float64(p.now().Sub(p.started)) / float64(read) * float64(p.total-p.done))
		eta = left.Round(time.Second).String()
	}
	pct := 100.0
	if p.total > 0 {
		pct = 100 * float64(p.done) / float64(p.total)
	}
	resumed := ""
	if p.resumed > 0 {
		resumed = fmt.Sprintf(" (%d from the partial file)", p.resumed)
	}
	return fmt.Sprintf("snapshot: customers %d/%d (%.0f%%)%s, %d requests, %d throttled, %s elapsed, ETA %s",
		p.done, p.total, pct, resumed, requests, st.Throttled, elapsed, eta)
}

func (p *progress) print() {
	_, _ = fmt.Fprintln(p.w, p.line())
}

// stop ends the timer and prints the last line (once).
func (p *progress) stop() {
	p.stopOnce.Do(func() {
		if p.ticker == nil {
			return
		}
		p.ticker.Stop()
		close(p.quit)
		p.print()
	})
}
