// SPDX-License-Identifier: MPL-2.0

// Package wait polls a long-running Partner Center operation until it reaches
// a terminal state, on a schedule that starts in seconds and grows to minutes
// so that a 72-hour transfer does not hammer a throttled API.
package wait

import "time"

// Schedule decides how long to sleep before the next poll. The interval grows
// with the time already spent, so the delay between completion and its
// detection stays a bounded fraction of the elapsed time:
//
//	interval(t) = clamp(max(min(Early, Initial + t), Fraction*t), Initial, Max)
//
// Initial is the first interval, Early the interval used while Fraction*t is
// still smaller than it, and Max the ceiling (how late completion may be
// noticed at worst).
type Schedule struct {
	Initial  time.Duration
	Early    time.Duration
	Fraction float64
	Max      time.Duration
}

// DefaultSchedule notices completion within max(30s, 15% of the elapsed time)
// and never more than 10 minutes late; it spends about 5 requests on a
// 1-minute transfer, 29 on a 1-hour one and 455 on a 72-hour one.
var DefaultSchedule = Schedule{
	Initial:  10 * time.Second,
	Early:    30 * time.Second,
	Fraction: 0.15,
	Max:      10 * time.Minute,
}

// Interval returns the sleep before the next poll when elapsed time has
// passed since the operation started.
func (s Schedule) Interval(elapsed time.Duration) time.Duration {
	s = s.withDefaults()
	if elapsed < 0 {
		elapsed = 0
	}
	d := min(s.Early, s.Initial+elapsed)
	if grown := time.Duration(s.Fraction * float64(elapsed)); grown > d {
		d = grown
	}
	return max(s.Initial, min(d, s.Max))
}

func (s Schedule) withDefaults() Schedule {
	if s.Initial <= 0 {
		s.Initial = DefaultSchedule.Initial
	}
	if s.Max <= 0 {
		s.Max = DefaultSchedule.Max
	}
	if s.Max < s.Initial {
		s.Max = s.Initial
	}
	if s.Early < s.Initial {
		s.Early = s.Initial
	}
	if s.Early > s.Max {
		s.Early = s.Max
	}
	if s.Fraction <= 0 {
		s.Fraction = DefaultSchedule.Fraction
	}
	return s
}

// Simulate returns how many polls the schedule spends, and how late it
// notices, an operation that completes completeAfter after it started. It is
// the model the tests and the benchmark check the targets against.
func (s Schedule) Simulate(completeAfter time.Duration) (polls int, late time.Duration) {
	var t time.Duration
	for {
		t += s.Interval(t)
		polls++
		if t >= completeAfter {
			return polls, t - completeAfter
		}
	}
}
