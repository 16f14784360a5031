// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestStateFileRoundTrip(t *testing.T) {
	h := newHarness(t)
	done := h.create()
	h.submit(done.ID, item(subE3, nce))
	h.e.Advance(DefaultCompletionDelay)
	moving := h.create()
	h.submit(moving.ID, item(subBusiness, nce))
	pending := h.create()
	h.e.SetSubscriptionOutcome(subBusiness, Outcome{Fail: true, Message: "Saved outcome."})

	path := filepath.Join(t.TempDir(), "state.json")
	if err := h.e.SaveStateFile(path); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode = %v, %v; it holds credentials", info.Mode(), err)
	}
	before := h.e.Transfers()

	// A new emulator with the same seed but a different start resumes.
	restored := newHarness(t, func(o *Options) { o.Start = testStart.Add(-24 * time.Hour) })
	if err := restored.e.LoadStateFile(path); err != nil {
		t.Fatal(err)
	}
	if !restored.e.Now().Equal(h.e.Now()) {
		t.Errorf("clock = %v, want the saved %v", restored.e.Now(), h.e.Now())
	}
	if after := restored.e.Transfers(); !reflect.DeepEqual(after, before) {
		t.Fatalf("transfers differ after restore:\n%s\n%s", describe(after), describe(before))
	}
	if restored.owner(subE3) != targetTenant {
		t.Error("ownership not restored")
	}
	// Locks survive: the InProgress subscription cannot go elsewhere.
	restored.do(call{tenant: sourceTenant, method: "PATCH", path: transferPath(customerID, pending.ID), body: submitBody(pending.ID, item(subBusiness, nce))}).
		expectError(t, 409, codeOriginalInProgress, moving.ID)
	// Deadlines and outcomes survive.
	restored.e.Advance(DefaultCompletionDelay)
	if got := restored.get(targetTenant, moving.ID); got.Status != statusFailed || got.LineItems[0].TransferError != "Saved outcome." {
		t.Errorf("restored InProgress transfer = %s", describe(got))
	}
	restored.e.Advance(DefaultPendingExpiry)
	if got := restored.get(targetTenant, pending.ID); got.Status != statusExpired {
		t.Errorf("restored pending transfer = %s", got.Status)
	}
	// New transfers continue the sequence (list order stays creation order).
	next := restored.create()
	all := restored.e.Transfers()
	if all[len(all)-1].ID != next.ID {
		t.Error("a transfer created after restore does not sort last")
	}
}

func TestLoadStateRejectsBadFiles(t *testing.T) {
	h := newHarness(t)
	var good bytes.Buffer
	h.create()
	if err := h.e.SaveState(&good); err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"not JSON":        "{",
		"unknown field":   `{"version":1,"bogus":true}`,
		"future version":  strings.Replace(good.String(), `"version": 1`, `"version": 99`, 1),
		"unknown partner": strings.Replace(good.String(), `"sourcePartnerTenantId": "`+sourceTenant, `"sourcePartnerTenantId": "99999999-0000-4000-8000-000000000000`, 1),
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			if err := h.e.LoadState(strings.NewReader(body)); err == nil {
				t.Error("accepted")
			}
		})
	}
	if len(h.e.Transfers()) != 1 {
		t.Error("a rejected load changed the state")
	}
	if err := h.e.LoadStateFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("a missing file loaded")
	}
}

func TestStateFileKeepsWebhookRegistrationsAndAuditRecords(t *testing.T) {
	h := newHarness(t)
	h.register(targetTenant, "https://hooks.example/pc?key=1", "complete-transfer", "test-created")
	tr := h.create()
	h.submit(tr.ID, item(subE3, nce))
	reg, _ := h.e.WebhookRegistration(targetTenant)
	records := h.e.AuditRecords()
	var buf bytes.Buffer
	if err := h.e.SaveState(&buf); err != nil {
		t.Fatal(err)
	}

	restored := newHarness(t)
	if err := restored.e.LoadState(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	if got, ok := restored.e.WebhookRegistration(targetTenant); !ok || !reflect.DeepEqual(got, reg) {
		t.Errorf("registration after restore = %+v (%v), want %+v", got, ok, reg)
	}
	if got := restored.e.AuditRecords(); !reflect.DeepEqual(got, records) {
		t.Errorf("audit records after restore:\n%s\nwant\n%s", describe(got), describe(records))
	}
	// The restored log keeps growing, and old-value chaining continues.
	restored.e.Advance(DefaultCompletionDelay)
	after := restored.e.AuditRecords()
	if len(after) != 3 || after[2].ResourceOldValue != records[1].ResourceNewValue {
		t.Errorf("log after restore and completion: %s", describe(after))
	}

	bad := strings.Replace(buf.String(), `"partnerTenantId": "`+targetTenant, `"partnerTenantId": "99999999-0000-4000-8000-000000000000`, 1)
	if err := restored.e.LoadState(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "unknown partner") {
		t.Errorf("a registration of an unknown partner loaded: %v", err)
	}
}
