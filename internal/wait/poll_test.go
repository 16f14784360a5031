// SPDX-License-Identifier: MPL-2.0

package wait

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fakeClock advances instantly on Sleep and honours a virtual deadline.
type fakeClock struct {
	now      time.Time
	deadline time.Time
	slept    []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	if !c.deadline.IsZero() && !c.now.Before(c.deadline) {
		return context.DeadlineExceeded
	}
	return nil
}

// operation completes at a fixed virtual time.
func operation(c *fakeClock, completesAt time.Time) func(context.Context) (Observation[string], error) {
	return func(context.Context) (Observation[string], error) {
		if !c.now.Before(completesAt) {
			return Observation[string]{Value: "done", Status: "Complete", Done: true}, nil
		}
		return Observation[string]{Status: "InProgress"}, nil
	}
}

func TestUntilMeetsRequestBudgets(t *testing.T) {
	cases := []struct {
		after    time.Duration
		maxPolls int
	}{
		{time.Minute, 8},
		{time.Hour, 30},
		{72 * time.Hour, 460},
	}
	for _, tc := range cases {
		t.Run(tc.after.String(), func(t *testing.T) {
			start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			clock := &fakeClock{now: start}
			obs, polls, err := Until(t.Context(), Poller{Schedule: DefaultSchedule, Clock: clock}, start,
				Observation[string]{Status: "InProgress"}, operation(clock, start.Add(tc.after)), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !obs.Done || obs.Value != "done" {
				t.Fatalf("final observation %+v, want done", obs)
			}
			if polls > tc.maxPolls {
				t.Errorf("spent %d polls, budget %d", polls, tc.maxPolls)
			}
			late := clock.now.Sub(start.Add(tc.after))
			allowed := max(30*time.Second, time.Duration(0.15*float64(tc.after)))
			if late > allowed || late > 10*time.Minute {
				t.Errorf("noticed %s late, allowed %s", late, allowed)
			}
			wantPolls, _ := DefaultSchedule.Simulate(tc.after)
			if polls != wantPolls {
				t.Errorf("polls %d differ from the schedule model %d", polls, wantPolls)
			}
		})
	}
}

func TestScheduleNeverLateBeyondBound(t *testing.T) {
	for c := time.Second; c < 73*time.Hour; c += 13 * time.Second {
		_, late := DefaultSchedule.Simulate(c)
		allowed := max(30*time.Second, time.Duration(0.15*float64(c)))
		if late > allowed || late > 10*time.Minute {
			t.Fatalf("completion at %s noticed %s late (allowed %s)", c, late, allowed)
		}
	}
}

func TestScheduleStartsInSecondsAndCaps(t *testing.T) {
	if got := DefaultSchedule.Interval(0); got != 10*time.Second {
		t.Errorf("first interval %s, want 10s", got)
	}
	if got := DefaultSchedule.Interval(100 * time.Hour); got != 10*time.Minute {
		t.Errorf("interval after 100h %s, want the 10m cap", got)
	}
	fast := Schedule{Initial: time.Second, Max: 2 * time.Second}
	if got := fast.Interval(time.Hour); got != 2*time.Second {
		t.Errorf("custom cap not honoured: %s", got)
	}
	if got := (Schedule{}).Interval(-time.Minute); got != DefaultSchedule.Initial {
		t.Errorf("zero schedule uses defaults, got %s", got)
	}
}

func TestUntilTimeoutKeepsLastObservation(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := &fakeClock{now: start, deadline: start.Add(time.Hour)}
	var changes []string
	obs, _, err := Until(t.Context(), Poller{Clock: clock}, start, Observation[string]{Status: "Pending"},
		operation(clock, start.Add(2*time.Hour)), func(o Observation[string]) { changes = append(changes, o.Status) })
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if obs.Status != "InProgress" {
		t.Errorf("last observation %q, want InProgress", obs.Status)
	}
	if len(changes) != 1 || changes[0] != "InProgress" {
		t.Errorf("status changes %v, want exactly one to InProgress", changes)
	}
}

func TestUntilInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	clock := &fakeClock{now: time.Now()}
	polls := 0
	_, _, err := Until(ctx, Poller{Clock: clock}, clock.now, Observation[string]{Status: "InProgress"},
		func(context.Context) (Observation[string], error) {
			polls++
			if polls == 3 {
				cancel()
			}
			return Observation[string]{Status: "InProgress"}, nil
		}, nil)
	if err == nil || errors.Is(err, ErrTimeout) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want an interruption wrapping context.Canceled", err)
	}
	if polls != 3 {
		t.Errorf("polled %d times after cancel, want 3", polls)
	}
}

func TestUntilStopsOnPollError(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	boom := errors.New("HTTP 404")
	_, polls, err := Until(t.Context(), Poller{Clock: clock}, clock.now, Observation[string]{Status: "InProgress"},
		func(context.Context) (Observation[string], error) { return Observation[string]{}, boom }, nil)
	if !errors.Is(err, boom) || polls != 1 {
		t.Fatalf("err=%v polls=%d, want the poll error after one poll", err, polls)
	}
}

func TestUntilAlreadyDoneDoesNotPoll(t *testing.T) {
	obs, polls, err := Until(t.Context(), Poller{Clock: &fakeClock{now: time.Now()}}, time.Now(),
		Observation[string]{Status: "Complete", Done: true},
		func(context.Context) (Observation[string], error) {
			t.Fatal("polled a finished operation")
			return Observation[string]{}, nil
		}, nil)
	if err != nil || polls != 0 || obs.Status != "Complete" {
		t.Fatalf("obs=%+v polls=%d err=%v", obs, polls, err)
	}
}

func TestResumedWaitKeepsLongIntervals(t *testing.T) {
	// A wait resumed 10 hours after submission must not restart at 10s polls.
	if got := DefaultSchedule.Interval(10 * time.Hour); got != 10*time.Minute {
		t.Fatalf("interval 10h into a transfer = %s, want 10m", got)
	}
}

// Near a deadline the wait polls once a second before it, never twice in a
// row without a pause, and then times out.
func TestUntilNoBackToBackPollsNearDeadline(t *testing.T) {
	for _, timeout := range []time.Duration{500 * time.Millisecond, 1500 * time.Millisecond, 2500 * time.Millisecond, 25 * time.Second, 95 * time.Second, time.Hour} {
		t.Run(timeout.String(), func(t *testing.T) {
			start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			clock := &fakeClock{now: start, deadline: start.Add(timeout)}
			ctx, cancel := context.WithDeadline(t.Context(), time.Now().Add(timeout))
			defer cancel()
			// Map the real deadline onto the virtual clock.
			ctx = virtualDeadline{Context: ctx, deadline: clock.deadline}
			var at []time.Time
			_, _, err := Until(ctx, Poller{Schedule: DefaultSchedule, Clock: clock}, start, Observation[string]{Status: "InProgress"},
				func(context.Context) (Observation[string], error) {
					at = append(at, clock.now)
					return Observation[string]{Status: "InProgress"}, nil
				}, nil)
			if !errors.Is(err, ErrTimeout) {
				t.Fatalf("err = %v, want ErrTimeout", err)
			}
			for i := 1; i < len(at); i++ {
				if gap := at[i].Sub(at[i-1]); gap < minPollGap {
					t.Fatalf("polls %d and %d only %s apart (at %v)", i-1, i, gap, at)
				}
			}
			if len(at) > 0 && clock.deadline.Sub(at[len(at)-1]) < lastPollMargin {
				t.Errorf("last poll %s before the deadline, want at least %s", clock.deadline.Sub(at[len(at)-1]), lastPollMargin)
			}
		})
	}
}

// virtualDeadline reports a deadline on the fake clock's time line.
type virtualDeadline struct {
	context.Context
	deadline time.Time
}

func (v virtualDeadline) Deadline() (time.Time, bool) { return v.deadline, true }
