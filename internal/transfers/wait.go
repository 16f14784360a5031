// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

// Waited is the outcome of a Wait.
type Waited struct {
	// Transfer is the latest transfer read; nil when no read succeeded
	// (then the caller keeps what it had).
	Transfer *Transfer
	Polls    int
	// ItemWarnings name line items that reported an error while the
	// transfer was still InProgress (Partner Center retries them).
	ItemWarnings []string
}

// Wait polls the transfer until its status ends a wait (Status.EndsWait), ctx
// ends, or a poll fails. A line item in error while the transfer is still
// InProgress does not end the wait: it is reported once per error code in
// ItemWarnings. When the wait is cut short the transfer is read once more
// on a context that survives the interrupt. The error is wait.ErrTimeout,
// the interrupt, or the poll's failure.
func (s *Service) Wait(ctx context.Context, customerID, transferID string, current *Transfer, submittedAt time.Time, onChange func(status string)) (*Waited, error) {
	out := &Waited{Transfer: current}
	seen := map[string]bool{}
	noteItems := func(t *partnercenter.Transfer) {
		if Status(t.Status).EndsWait() {
			return
		}
		for _, li := range t.LineItems {
			if li.TransferErrorCode == "" && li.TransferError == "" && !strings.EqualFold(li.Status, partnercenter.StatusFailed) {
				continue
			}
			key := strings.ToLower(li.SubscriptionID) + "/" + li.TransferErrorCode
			if seen[key] {
				continue
			}
			seen[key] = true
			code := li.TransferErrorCode
			if code == "" {
				code = "none given"
			}
			out.ItemWarnings = append(out.ItemWarnings, fmt.Sprintf(
				"Line item for subscription %s reported an error while transfer %s is still %s: %s (Partner Center code %s). "+
					"Partner Center retries line-item failures; the wait goes on until the transfer itself finishes.",
				li.SubscriptionID, transferID, t.Status, li.TransferError, code))
		}
	}
	poll := func(ctx context.Context) (wait.Observation[*Transfer], error) {
		t, err := s.client.GetTransfer(ctx, customerID, transferID)
		if err != nil {
			return wait.Observation[*Transfer]{}, err
		}
		noteItems(t)
		return wait.Observation[*Transfer]{Value: Wrap(t), Status: t.Status, Done: Status(t.Status).EndsWait()}, nil
	}
	status := ""
	if current != nil {
		status = current.Status
	}
	var changed func(wait.Observation[*Transfer])
	if onChange != nil {
		changed = func(o wait.Observation[*Transfer]) { onChange(o.Status) }
	}
	last, polls, err := wait.Until(ctx, s.poller, submittedAt,
		wait.Observation[*Transfer]{Value: current, Status: status, Done: current != nil && Status(status).EndsWait()}, poll, changed)
	out.Polls = polls
	out.Transfer = last.Value
	if err == nil {
		return out, nil
	}
	recoveryCtx, cancel := s.detached(ctx)
	defer cancel()
	if fresh, getErr := s.client.GetTransfer(recoveryCtx, customerID, transferID); getErr == nil {
		out.Transfer = Wrap(fresh)
		if Status(fresh.Status).EndsWait() {
			return out, nil
		}
	}
	return out, err
}
