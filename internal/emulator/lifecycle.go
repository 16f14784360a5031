// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"container/heap"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// deadline is when a transfer's next automatic transition is due: expiry of
// a Pending transfer or processing of an InProgress one.
type deadline struct {
	at  time.Time
	seq int64
	gen int
	rec *transferRecord
}

// deadlineHeap orders deadlines by time, then creation, so settling is
// deterministic and costs O(log n) per transition instead of a scan.
type deadlineHeap []deadline

func (h deadlineHeap) Len() int { return len(h) }
func (h deadlineHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h deadlineHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *deadlineHeap) Push(x any)   { *h = append(*h, mustDeadline(x)) }
func (h *deadlineHeap) Pop() any {
	old := *h
	d := old[len(old)-1]
	*h = old[:len(old)-1]
	return d
}

// mustDeadline unwraps container/heap's any; only deadlines are ever pushed.
func mustDeadline(x any) deadline {
	d, ok := x.(deadline)
	if !ok {
		panic("emulator: deadline heap holds a " + fmt.Sprintf("%T", x))
	}
	return d
}

// scheduleLocked (re)arms the record's deadline for its current status;
// older heap entries for it become stale.
func (e *Emulator) scheduleLocked(rec *transferRecord) {
	rec.deadlineGen++
	var at time.Time
	switch rec.Status {
	case statusPending:
		at = rec.ExpirationTime
	case statusInProgress:
		at = rec.CompleteAt
	default:
		return
	}
	heap.Push(&e.w.deadlines, deadline{at: at, seq: rec.Seq, gen: rec.deadlineGen, rec: rec})
}

// settleLocked applies every transition due at or before now, in deadline
// order, each at its own deadline time. Called on every access.
func (e *Emulator) settleLocked(now time.Time) {
	h := &e.w.deadlines
	for h.Len() > 0 && !(*h)[0].at.After(now) {
		d := mustDeadline(heap.Pop(h))
		if d.gen != d.rec.deadlineGen {
			continue
		}
		switch d.rec.Status {
		case statusPending:
			e.expireLocked(d.rec, d.at)
		case statusInProgress:
			e.processLocked(d.rec, d.at)
		}
	}
}

func (e *Emulator) expireLocked(rec *transferRecord, at time.Time) {
	rec.Status = statusExpired
	rec.LastModifiedTime = at
	rec.deadlineGen++
	e.emitLocked(CauseExpire, rec, at)
}

// processLocked finishes an InProgress transfer: every line succeeds unless
// an Outcome says its subscription fails. Completed lines move their
// subscription to the target; one failed line fails the transfer. A line
// whose Outcome has FailuresBeforeSuccess left shows that failure while the
// transfer stays InProgress and is processed again one CompletionDelay later.
func (e *Emulator) processLocked(rec *transferRecord, at time.Time) {
	failed, retrying := false, false
	orders := map[string]string{}
	orderFor := func(group string) string {
		if orders[group] == "" {
			orders[group] = strings.ReplaceAll(uuid.NewString(), "-", "")
		}
		return orders[group]
	}
	finish := func(li *LineItem, inherited *Outcome) *Outcome {
		out, ok := e.w.outcomes[li.SubscriptionID]
		if inherited != nil {
			out, ok = *inherited, true
		}
		if ok && inherited == nil && out.FailuresBeforeSuccess > 0 {
			retrying = true
			out.FailuresBeforeSuccess--
			e.w.outcomes[li.SubscriptionID] = out
			li.Status = statusFailed
			li.TransferError = out.Message
			li.TransferErrorCode = out.Code
			return &out
		}
		li.TransferError, li.TransferErrorCode = "", ""
		if ok && out.Fail {
			failed = true
			li.Status = statusFailed
			li.TransferError = out.Message
			li.TransferErrorCode = out.Code
			return &out
		}
		li.Status = statusComplete
		li.OrderID = orderFor(li.TransferGroupID)
		li.TargetSubscriptionID = e.handOverSubscriptionLocked(li.SubscriptionID, rec.TargetPartnerTenantID)
		return nil
	}
	for i := range rec.LineItems {
		li := &rec.LineItems[i]
		if li.Status == statusComplete {
			continue // done in an earlier round
		}
		baseFailure := finish(li, nil)
		for j := range li.AddonItems {
			// An add-on cannot move without its base subscription.
			finish(&li.AddonItems[j], baseFailure)
		}
	}
	if retrying && !failed {
		rec.LastModifiedTime = at
		rec.CompleteAt = at.Add(e.completionDelay)
		e.scheduleLocked(rec)
		return
	}
	for _, id := range rec.subscriptionIDs() {
		if e.w.locks[id] == rec {
			delete(e.w.locks, id)
		}
	}
	completed := at
	rec.CompletedTime = &completed
	rec.LastModifiedTime = at
	rec.deadlineGen++
	if failed {
		rec.Status = e.opts.FailedStatus
		e.emitLocked(CauseFail, rec, at)
		return
	}
	rec.Status = statusComplete
	e.emitLocked(CauseComplete, rec, at)
}

// outcomeFor fills an Outcome's defaults.
func outcomeWithDefaults(o Outcome) Outcome {
	if o.Fail || o.FailuresBeforeSuccess > 0 {
		if o.Code == "" {
			o.Code = defaultFailureCode
		}
		if o.Message == "" {
			o.Message = defaultFailureMessage
		}
	}
	return o
}

// emitLocked queues an event with the server view of rec.
func (e *Emulator) emitLocked(cause string, rec *transferRecord, at time.Time) {
	e.events.enqueue(Event{
		Name:             eventNames[cause],
		Cause:            cause,
		CustomerID:       rec.CustomerTenantID,
		TransferID:       rec.ID,
		PartnerTenantIDs: []string{rec.TargetPartnerTenantID, rec.SourcePartnerTenantID},
		Time:             at,
		Transfer:         rec.view(),
	})
}

// lineID formats a line item id the way the service documents it: a string.
func lineID(i int) string { return strconv.Itoa(i) }
