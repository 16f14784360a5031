// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

// stateFileVersion is bumped when the format changes incompatibly.
const stateFileVersion = 1

// stateFile is what SaveState writes: enough to resume a rehearsal after a
// restart. It contains the apps' credentials, so it is written 0600.
type stateFile struct {
	Version         int                `json:"version"`
	Now             time.Time          `json:"now"`
	CompletionDelay string             `json:"completionDelay"`
	Seq             int64              `json:"seq"`
	Partners        []Partner          `json:"partners"`
	Customers       []Customer         `json:"customers"`
	Transfers       []*transferRecord  `json:"transfers"`
	Outcomes        map[string]Outcome `json:"outcomes,omitempty"`
	// Webhooks are the partners' webhook registrations.
	Webhooks []savedWebhookRegistration `json:"webhooks,omitempty"`
	// AuditRecords is the activity log, oldest first.
	AuditRecords []AuditRecord `json:"auditRecords,omitempty"`
}

// SaveState writes partners, customers (with current subscription owners),
// transfers, outcomes and the virtual time as JSON.
func (e *Emulator) SaveState(w io.Writer) error {
	now := e.lock()
	sf := stateFile{Version: stateFileVersion, Now: now, CompletionDelay: e.completionDelay.String(), Seq: e.w.seq,
		Outcomes: e.w.outcomes}
	for _, id := range e.w.partnerOrder {
		sf.Partners = append(sf.Partners, *e.w.partners[id])
	}
	for _, id := range e.w.customerOrder {
		c := e.w.customers[id]
		out := c.Customer
		out.Subscriptions = e.w.customerSubscriptions(c)
		sf.Customers = append(sf.Customers, out)
	}
	sf.Transfers = e.w.transfers
	e.mu.Unlock()
	sf.Webhooks = e.webhooks.saved()
	sf.AuditRecords = e.AuditRecords()
	b, err := json.MarshalIndent(sf, "", "  ")
	e.events.deliver()
	if err != nil {
		return fmt.Errorf("encoding state: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("writing state: %w", err)
	}
	return nil
}

// LoadState replaces the world with a saved one. The virtual clock moves
// forward to the saved time if it is behind (never backwards), so time spent
// stopped does not expire pending transfers. Reset still returns to the seed.
func (e *Emulator) LoadState(r io.Reader) error {
	var sf stateFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sf); err != nil {
		return fmt.Errorf("decoding state: %w", err)
	}
	if sf.Version != stateFileVersion {
		return fmt.Errorf("state file version %d is not supported (want %d)", sf.Version, stateFileVersion)
	}
	delay, err := time.ParseDuration(sf.CompletionDelay)
	if err != nil {
		return fmt.Errorf("state completionDelay: %w", err)
	}
	w, err := worldFromSeed(Seed{Partners: sf.Partners, Customers: sf.Customers})
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	for _, rec := range sf.Transfers {
		if err := w.restoreTransfer(rec); err != nil {
			return fmt.Errorf("state: %w", err)
		}
	}
	w.seq = max(sf.Seq, int64(len(sf.Transfers)))
	for id, o := range sf.Outcomes {
		w.outcomes[id] = outcomeWithDefaults(o)
	}
	var apps []fakeentra.App
	for _, id := range w.partnerOrder {
		apps = append(apps, w.partners[id].Apps...)
	}
	webhooks, err := restoredWebhooks(w, sf.Webhooks)
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	audit, err := restoredAuditEntries(sf.AuditRecords)
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	e.clock.SetNow(sf.Now)
	e.mu.Lock()
	e.w = w
	e.completionDelay = delay
	e.listEpoch++
	for _, rec := range w.transfers {
		e.scheduleLocked(rec)
	}
	e.mu.Unlock()
	e.webhooks.restore(webhooks)
	e.audit.restore(audit)
	for _, a := range apps {
		e.entra.AddApp(a)
	}
	e.settle()
	return nil
}

// restoreTransfer checks a saved transfer against the world and indexes it.
func (w *world) restoreTransfer(rec *transferRecord) error {
	if rec == nil {
		return errors.New("null transfer")
	}
	c := w.customers[rec.CustomerTenantID]
	switch {
	case c == nil:
		return fmt.Errorf("transfer %s: unknown customer %s", rec.ID, rec.CustomerTenantID)
	case w.partners[rec.SourcePartnerTenantID] == nil || w.partners[rec.TargetPartnerTenantID] == nil:
		return fmt.Errorf("transfer %s: unknown source or target partner", rec.ID)
	case w.transferByID[rec.ID] != nil:
		return fmt.Errorf("transfer %s: duplicate id", rec.ID)
	case len(w.transfers) > 0 && rec.Seq <= w.transfers[len(w.transfers)-1].Seq:
		return fmt.Errorf("transfer %s: transfers must be in creation order", rec.ID)
	}
	if rec.LineItems == nil {
		rec.LineItems = []LineItem{}
	}
	w.indexTransfer(rec)
	if rec.Status == statusInProgress {
		for _, id := range rec.subscriptionIDs() {
			w.locks[id] = rec
		}
	}
	return nil
}

// SaveStateFile writes the state atomically (temp file, then rename) with
// owner-only permissions, since it holds app credentials.
func (e *Emulator) SaveStateFile(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".emulator-state-*")
	if err != nil {
		return fmt.Errorf("creating state file: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // Gone after a successful rename.
	if err := e.SaveState(tmp); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing state file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing state file: %w", err)
	}
	return nil
}

// LoadStateFile loads a state file written by SaveStateFile.
func (e *Emulator) LoadStateFile(path string) error {
	f, err := os.Open(path) // #nosec G304 -- the operator's own state file.
	if err != nil {
		return fmt.Errorf("opening state file: %w", err)
	}
	defer func() { _ = f.Close() }() // Read-only.
	if err := e.LoadState(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
