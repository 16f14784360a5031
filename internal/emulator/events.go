// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"sync"
	"time"
)

// Causes of transfer events, finer-grained than the webhook event names.
const (
	CauseCreate   = "create"
	CauseSubmit   = "submit"
	CauseCancel   = "cancel"
	CauseExpire   = "expire"
	CauseComplete = "complete"
	CauseFail     = "fail"
)

// Event is a transfer state change. Webhook delivery (and tests) subscribe
// to these with Subscribe.
type Event struct {
	// Name is the webhook event name: eventCreateTransfer,
	// EventUpdateTransfer (submit, cancel, expiry), EventCompleteTransfer
	// or EventFailTransfer.
	Name string
	// Cause is one of the Cause* constants.
	Cause      string
	CustomerID string
	TransferID string
	// PartnerTenantIDs are the partners to notify: target, then source.
	PartnerTenantIDs []string
	// Time is the virtual time of the change.
	Time time.Time
	// Transfer is the server view right after the change.
	Transfer Transfer
}

var eventNames = map[string]string{
	CauseCreate:   eventCreateTransfer,
	CauseSubmit:   eventUpdateTransfer,
	CauseCancel:   eventUpdateTransfer,
	CauseExpire:   eventUpdateTransfer,
	CauseComplete: eventCompleteTransfer,
	CauseFail:     eventFailTransfer,
}

// eventBus delivers events to subscribers in the order they happened.
// Events are queued while the state lock is held and delivered after it is
// released, so a subscriber may call back into the emulator; a call that
// arrives while another goroutine is delivering leaves its events to that
// goroutine, which keeps the order and avoids re-entrant deadlocks.
type eventBus struct {
	mu          sync.Mutex
	queue       []Event
	delivering  bool
	subscribers map[int]func(Event)
	nextID      int
}

func (b *eventBus) enqueue(ev Event) {
	b.mu.Lock()
	b.queue = append(b.queue, ev)
	b.mu.Unlock()
}

func (b *eventBus) subscribe(fn func(Event)) func() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subscribers == nil {
		b.subscribers = map[int]func(Event){}
	}
	id := b.nextID
	b.nextID++
	b.subscribers[id] = fn
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subscribers, id)
	}
}

// deliver drains the queue unless another goroutine already is.
func (b *eventBus) deliver() {
	b.mu.Lock()
	if b.delivering {
		b.mu.Unlock()
		return
	}
	b.delivering = true
	b.mu.Unlock()
	finished := false
	defer func() {
		if !finished { // A subscriber panicked: let the next caller deliver.
			b.mu.Lock()
			b.delivering = false
			b.mu.Unlock()
		}
	}()
	for {
		b.mu.Lock()
		if len(b.queue) == 0 {
			b.delivering = false
			b.mu.Unlock()
			finished = true
			return
		}
		ev := b.queue[0]
		b.queue = b.queue[1:]
		subs := make([]func(Event), 0, len(b.subscribers))
		for id := 0; id < b.nextID; id++ {
			if fn, ok := b.subscribers[id]; ok {
				subs = append(subs, fn)
			}
		}
		b.mu.Unlock()
		for _, fn := range subs {
			fn(ev)
		}
	}
}
