// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// Submit accepts the transfer as the source partner with items, exactly
// once: after an attempt whose outcome is unknown, or a refusal, it reads
// the transfer, and a transfer already submitted with exactly these items
// counts as success; it sends again only while the transfer is still
// Pending.
func (s *Service) Submit(ctx context.Context, customerID, transferID string, items []partnercenter.SubmitLineItem) (*Transfer, error) {
	sendCtx := partnercenter.StopOnUnknownOutcome(partnercenter.WithRequestID(ctx, uuid.NewString()))
	for send := 1; ; send++ {
		t, err := s.client.SubmitTransfer(sendCtx, customerID, transferID, items)
		if err == nil {
			return Wrap(t), nil
		}
		current, checkErr := s.check(ctx, customerID, transferID)
		switch {
		case checkErr != nil:
			return nil, err
		case current.Submitted() && current.HasItems(items):
			s.stats.add(func(st *Stats) { st.Recovered++ })
			return current, nil
		case current.Submitted():
			return nil, fmt.Errorf("%w; transfer %s was submitted with other line items meanwhile", err, transferID)
		case partnercenter.Refused(err) && !isProcessedElsewhere(err):
			return nil, err
		case !current.State().CanSubmit() || ctx.Err() != nil || send >= maxSends:
			return nil, err
		}
		if sleepErr := s.sleep(ctx, backoff(send)); sleepErr != nil {
			return nil, err
		}
		s.stats.add(func(st *Stats) { st.Resent++ })
	}
}

// ErrCannotCancel wraps the reason a transfer cannot be cancelled.
var ErrCannotCancel = errors.New("transfer cannot be cancelled")

// Cancel cancels a Pending transfer as the target partner, exactly once:
// after an attempt whose outcome is unknown, or a refusal, it reads the
// transfer; "already cancelled" (and "not found") count as success, and it
// sends again only while the transfer is still Pending. known is what the
// caller knows of the transfer; a transfer this partner may not cancel is
// an error wrapping ErrCannotCancel, with the reason, and nothing is sent.
func (s *Service) Cancel(ctx context.Context, customerID string, known *Transfer) (*Transfer, error) {
	if reason := known.CancelBlocker(); reason != "" {
		return known, fmt.Errorf("%w: %s", ErrCannotCancel, reason)
	}
	sendCtx := partnercenter.StopOnUnknownOutcome(partnercenter.WithRequestID(ctx, uuid.NewString()))
	for send := 1; ; send++ {
		t, err := s.client.CancelTransfer(sendCtx, customerID, known.CancelRequest())
		if err == nil || IsGone(err) {
			return Wrap(t), nil
		}
		current, checkErr := s.check(ctx, customerID, known.ID)
		switch {
		case IsGone(checkErr):
			return nil, nil
		case checkErr != nil:
			return nil, err
		case current.State() == Canceled:
			s.stats.add(func(st *Stats) { st.Recovered++ })
			return current, nil
		case current.CancelBlocker() != "":
			return current, fmt.Errorf("%w: %s", ErrCannotCancel, current.CancelBlocker())
		case partnercenter.Refused(err) && !isProcessedElsewhere(err):
			return nil, err
		case ctx.Err() != nil || send >= maxSends:
			return nil, err
		}
		if sleepErr := s.sleep(ctx, backoff(send)); sleepErr != nil {
			return nil, err
		}
		s.stats.add(func(st *Stats) { st.Resent++ })
	}
}

// check reads the transfer after a write that failed, on a context that
// survives an interrupt.
func (s *Service) check(ctx context.Context, customerID, transferID string) (*Transfer, error) {
	s.stats.add(func(st *Stats) { st.Reconciled++ })
	ctx, cancel := s.detached(ctx)
	defer cancel()
	t, err := s.client.GetTransfer(ctx, customerID, transferID)
	if err != nil {
		return nil, err
	}
	return Wrap(t), nil
}
