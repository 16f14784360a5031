// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

func TestEmulatorClockAdvancesVirtualTime(t *testing.T) {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	emu.SetSpeed(0)
	clock := emulatorClock{emu: emu}
	before := clock.Now()
	if err := clock.Sleep(t.Context(), 72*time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := clock.Now().Sub(before); got != 72*time.Hour {
		t.Errorf("virtual time moved %s, want 72h", got)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := clock.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep on a cancelled context = %v", err)
	}
	if got := clock.Now().Sub(before); got != 72*time.Hour {
		t.Errorf("a cancelled Sleep must not advance the clock (moved %s)", got)
	}
}

// TestMeasureWaitMatchesTheScheduleModel runs the real client and poller
// against the emulator over HTTPS: the GETs the emulator counts must be the
// polls the schedule model predicts, with nothing else but the submit and
// one token.
func TestMeasureWaitMatchesTheScheduleModel(t *testing.T) {
	w, err := startWorld(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.close)
	w.emu.SetSpeed(0)
	cs, err := w.addCustomers(1)
	if err != nil {
		t.Fatal(err)
	}
	r, err := measureWait(t.Context(), w, cs[0], time.Hour, emulatorClock{emu: w.emu})
	if err != nil {
		t.Fatal(err)
	}
	wantPolls, wantLate := wait.DefaultSchedule.Simulate(time.Hour)
	if r.status != partnercenter.StatusComplete || r.polls != wantPolls || r.late != wantLate {
		t.Errorf("status %s, polls %d, late %s; want Complete, %d, %s", r.status, r.polls, r.late, wantPolls, wantLate)
	}
	rows := waitRowsFor(waitBudget{after: time.Hour, maxGets: 30}, r)
	for _, row := range rows {
		if row.Verdict != Pass {
			t.Errorf("%s: %s (target %s) %s", row.Name, row.Value, row.Target, row.Verdict)
		}
	}
}
