// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"testing"
	"time"
)

func TestVirtualClock(t *testing.T) {
	wall := &fakeRealClock{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newVirtualClock(start, 60, wall.Now)
	steps := []struct {
		name string
		do   func()
		want time.Duration // since start
	}{
		{"runs at speed", func() { wall.Advance(time.Second) }, time.Minute},
		{"advance adds", func() { c.Advance(time.Hour) }, time.Hour + time.Minute},
		{"negative advance ignored", func() { c.Advance(-time.Hour) }, time.Hour + time.Minute},
		{"speed change keeps continuity", func() { c.SetSpeed(1) }, time.Hour + time.Minute},
		{"new speed applies", func() { wall.Advance(10 * time.Second) }, time.Hour + time.Minute + 10*time.Second},
		{"frozen", func() { c.SetSpeed(0); wall.Advance(time.Hour) }, time.Hour + time.Minute + 10*time.Second},
		{"advance while frozen", func() { c.Advance(time.Second) }, time.Hour + time.Minute + 11*time.Second},
		{"set now never goes back", func() { c.SetNow(start) }, time.Hour + time.Minute + 11*time.Second},
		{"set now forward", func() { c.SetNow(start.Add(48 * time.Hour)) }, 48 * time.Hour},
		{"real clock going backwards is ignored", func() { c.SetSpeed(1); wall.Advance(-time.Hour) }, 48 * time.Hour},
	}
	for _, s := range steps {
		s.do()
		if got := c.Now().Sub(start); got != s.want {
			t.Fatalf("%s: now = start+%s, want start+%s", s.name, got, s.want)
		}
	}
}

func TestEmulatorClockDefaults(t *testing.T) {
	wall := &fakeRealClock{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	e, err := New(Options{Seed: DefaultSeed(), RealClock: wall.Now})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Now().Equal(wall.Now()) || e.Speed() != 1 {
		t.Fatalf("default start %v speed %v", e.Now(), e.Speed())
	}
	e.SetSpeed(-5)
	if e.Speed() != 1 {
		t.Error("a negative speed was accepted")
	}
}

func TestOptionsValidation(t *testing.T) {
	for name, o := range map[string]Options{
		"negative speed":     {Speed: -1},
		"negative page size": {PageSize: -1},
		"bad list shape":     {ListShape: "table"},
		"negative delay":     {CompletionDelay: -time.Second},
		"negative limit":     {RateLimit: RateLimit{Requests: -1}},
		"negative keys":      {IdempotencyKeys: -1},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%s: New accepted %s", name, describe(o))
		}
	}
}
