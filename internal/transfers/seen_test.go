// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"os"
	"testing"
	"time"
)

// Two provider configurations of one partner may share a process: a create
// noted by the other one counts, this one's own does not.
func TestOtherCreatorInTheSameProcess(t *testing.T) {
	log := NewSeenLog(t.TempDir())
	log.RecordPost("CUSTOMER", "other", time.Now())
	if !log.OtherCreatorRunning("customer", "me", time.Now().Add(-time.Minute)) {
		t.Error("another configuration's create in this process was not seen")
	}
	if log.OtherCreatorRunning("customer", "other", time.Now().Add(-time.Minute)) {
		t.Error("a Service's own create counted as another's")
	}
	if log.OtherCreatorRunning("customer", "me", time.Now().Add(time.Minute)) {
		t.Error("a create older than the window counted")
	}
	if !processAlive(os.Getpid()) || processAlive(1<<30) {
		t.Error("processAlive is wrong about this process or a missing one")
	}
}
