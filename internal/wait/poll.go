// SPDX-License-Identifier: MPL-2.0

package wait

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Observation is what one poll saw.
type Observation[T any] struct {
	Value  T
	Status string
	Done   bool
}

// Poller polls until an observation says Done.
type Poller struct {
	Schedule Schedule
	Clock    Clock
}

// The last poll before a deadline comes lastPollMargin before it, and only
// when at least minPollGap after the previous poll.
const (
	lastPollMargin = time.Second
	minPollGap     = time.Second
)

// ErrTimeout marks a wait that ran out of time before the operation finished.
var ErrTimeout = errors.New("timed out waiting for the operation to finish")

// Until calls poll on the schedule, measuring elapsed time from started (the
// moment the operation began, so a resumed wait keeps its long intervals),
// until poll reports Done, poll fails, or ctx ends. onChange is called when
// the status differs from the previous poll's. It returns the last successful
// observation in every case, so callers can record the true current state
// even when the wait did not finish.
func Until[T any](ctx context.Context, p Poller, started time.Time, last Observation[T], poll func(context.Context) (Observation[T], error), onChange func(Observation[T])) (Observation[T], int, error) {
	clock := p.Clock
	if clock == nil {
		clock = RealClock{}
	}
	polls := 0
	finalPoll := false
	for !last.Done {
		interval := p.Schedule.Interval(clock.Now().Sub(started))
		if deadline, ok := ctx.Deadline(); ok && clock.Now().Add(interval).After(deadline) {
			// Poll one last time a second before the deadline rather than
			// sleeping through it, so the caller learns the latest status;
			// but only once, and never right after the previous poll.
			remaining := deadline.Sub(clock.Now())
			if finalPoll || remaining-lastPollMargin < minPollGap {
				err := clock.Sleep(ctx, remaining)
				if err == nil {
					err = context.DeadlineExceeded
				}
				return last, polls, waitError(ctx, last.Status, err)
			}
			interval, finalPoll = remaining-lastPollMargin, true
		}
		if err := clock.Sleep(ctx, interval); err != nil {
			return last, polls, waitError(ctx, last.Status, err)
		}
		obs, err := poll(ctx)
		polls++
		if err != nil {
			if ctx.Err() != nil {
				return last, polls, waitError(ctx, last.Status, err)
			}
			return last, polls, err
		}
		if obs.Status != last.Status && onChange != nil {
			onChange(obs)
		}
		last = obs
		if !last.Done && ctx.Err() != nil {
			return last, polls, waitError(ctx, last.Status, ctx.Err())
		}
	}
	return last, polls, nil
}

func waitError(ctx context.Context, status string, cause error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(cause, context.DeadlineExceeded) {
		return fmt.Errorf("%w (last status %q): %w", ErrTimeout, status, cause)
	}
	return fmt.Errorf("wait interrupted (last status %q): %w", status, cause)
}
