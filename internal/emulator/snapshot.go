// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

// SnapshotFormat is the version of the snapshot header this emulator reads
// and partnercenter-snapshot writes. It changes when a field's meaning does.
const SnapshotFormat = 1

// Defaults of a rehearsal (Seed.ForRehearsal), documented in README.md
// "Serving a snapshot".
const (
	// DefaultSnapshotClientID is the snapshot partner's app when the
	// snapshot does not say which client id took it (CLI, managed identity).
	DefaultSnapshotClientID = "5a5a5a5a-0000-4000-8000-0000000000a5"
	// DefaultSnapshotClientSecret is the secret of the snapshot partner's app.
	DefaultSnapshotClientSecret = "snapshot-emulator-secret"
	// DefaultOtherPartnerTenantID, ...ClientID and ...Name are the second
	// partner when the snapshot's requests name none.
	DefaultOtherPartnerTenantID = "0e0e0e0e-0000-4000-8000-00000000000e"
	DefaultOtherPartnerClientID = "0e0e0e0e-0000-4000-8000-0000000000e0"
	DefaultOtherPartnerName     = "Rehearsal Other Partner"
	// DefaultOtherPartnerClientSecret is the second partner's app secret.
	DefaultOtherPartnerClientSecret = "other-partner-emulator-secret"
)

// ErrIncompleteSnapshot is returned for a snapshot whose run did not finish.
var ErrIncompleteSnapshot = errors.New("the snapshot is incomplete")

// SnapshotInfo is the header partnercenter-snapshot writes at the top of a
// seed file: whose partner it is, when it was taken, whether it finished
// and whether it was anonymized. It is the file format's contract: the
// emulator refuses a header it does not understand or that says the run
// did not finish (README.md "Snapshot files").
type SnapshotInfo struct {
	// Format is SnapshotFormat.
	Format int `json:"format"`
	// Complete is true only in the file a finished run renamed into place;
	// the partial file of an interrupted run says false.
	Complete bool `json:"complete"`
	// PartnerTenantID is the partner whose view the snapshot holds.
	PartnerTenantID string `json:"partnerTenantId"`
	// ClientID is the app that took it (empty when the credential does not
	// name one); the emulator registers it for the partner.
	ClientID string `json:"clientId,omitempty"`
	// StartedAt and FinishedAt are the run's wall-clock times (FinishedAt is
	// unset while incomplete).
	StartedAt  time.Time  `json:"startedAt"`
	FinishedAt *time.Time `json:"finishedAt,omitempty"`
	// Anonymized says names, domains, e-mail addresses and free text were
	// replaced by keyed pseudonyms.
	Anonymized bool `json:"anonymized"`
	// CustomersTotal is the number of customers listed; CustomersRead those
	// whose subscriptions and transfers are in the file.
	CustomersTotal int `json:"customersTotal"`
	CustomersRead  int `json:"customersRead"`
	// LeftOut lists what the partner has but the emulator cannot serve
	// (e.g. legacy subscriptions without a product type), one line each.
	LeftOut []string `json:"leftOut,omitempty"`
}

// check refuses a header of another format or of an unfinished run; a
// seed without header passes.
func (h *SnapshotInfo) check() error {
	switch {
	case h == nil:
		return nil
	case h.Format != SnapshotFormat:
		return fmt.Errorf("snapshot format %d is not supported by this emulator (it reads format %d): take the snapshot again with the same release",
			h.Format, SnapshotFormat)
	case !h.Complete:
		return fmt.Errorf("%w: the run that wrote it read %d of %d customers and did not finish; run partnercenter-snapshot again with the same -o to finish it",
			ErrIncompleteSnapshot, h.CustomersRead, h.CustomersTotal)
	case h.CustomersRead != h.CustomersTotal:
		return fmt.Errorf("%w: it says complete but holds %d of %d customers", ErrIncompleteSnapshot, h.CustomersRead, h.CustomersTotal)
	}
	if _, ok := canonicalGUID(h.PartnerTenantID); !ok {
		return fmt.Errorf("snapshot partnerTenantId %q is not a GUID", h.PartnerTenantID)
	}
	return nil
}

// seedTransferRecord turns a seeded transfer (server view) into a record,
// with canonical ids and defaults for the times Microsoft always sends.
func seedTransferRecord(t Transfer) (*transferRecord, error) {
	id := strings.TrimSpace(t.ID)
	if canonical, ok := canonicalGUID(id); ok {
		id = canonical
	}
	if id == "" || strings.ContainsAny(id, "/?#") {
		return nil, fmt.Errorf("transfer id %q is empty or not path-safe", t.ID)
	}
	guid := func(field, v string) (string, error) {
		c, ok := canonicalGUID(v)
		if !ok {
			return "", fmt.Errorf("transfer %s: %s %q is not a GUID", id, field, v)
		}
		return c, nil
	}
	customer, err := guid("customerTenantId", t.CustomerTenantID)
	if err != nil {
		return nil, err
	}
	source, err := guid("sourcePartnerTenantId", t.SourcePartnerTenantID)
	if err != nil {
		return nil, err
	}
	target, err := guid("targetPartnerTenantId", t.TargetPartnerTenantID)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(t.Status) == "" {
		return nil, fmt.Errorf("transfer %s: status is required", id)
	}
	if t.CreatedTime == nil {
		return nil, fmt.Errorf("transfer %s: createdTime is required", id)
	}
	created := t.CreatedTime.UTC()
	modified := created
	if t.LastModifiedTime != nil {
		modified = t.LastModifiedTime.UTC()
	}
	expires := created.Add(DefaultPendingExpiry)
	if t.ExpirationTime != nil {
		expires = t.ExpirationTime.UTC()
	}
	rec := &transferRecord{
		ID: id, CustomerTenantID: customer, Status: t.Status, TransferType: t.TransferType,
		CustomerEmailID: t.CustomerEmailID, CustomerName: t.CustomerName,
		SourcePartnerTenantID: source, SourcePartnerName: t.SourcePartnerName, SourcePartnerEmailID: t.SourcePartnerEmailID,
		TargetPartnerTenantID: target, TargetPartnerName: t.TargetPartnerName, TargetPartnerEmailID: t.TargetPartnerEmailID,
		TargetProductTypes: slices.Clone(t.TargetProductTypes), PartnerOnRecord: t.PartnerOnRecord,
		Participants: slices.Clone(t.Participants), IgnoreEligibilityCheck: t.IgnoreEligibilityCheck,
		CreatedTime: created, LastModifiedTime: modified, ExpirationTime: expires,
		LastModifiedUser: t.LastModifiedUser, LineItems: canonicalLineItems(t.LineItems),
	}
	if t.CompletedTime != nil {
		c := t.CompletedTime.UTC()
		rec.CompletedTime = &c
	}
	if rec.Status == statusInProgress {
		rec.SubmittedTime = modified
	}
	return rec, nil
}

func canonicalLineItems(items []LineItem) []LineItem {
	out := cloneLineItems(items)
	for i := range out {
		if c, ok := canonicalGUID(out[i].SubscriptionID); ok {
			out[i].SubscriptionID = c
		}
		out[i].AddonItems = canonicalLineItems(out[i].AddonItems)
		if len(out[i].AddonItems) == 0 {
			out[i].AddonItems = nil
		}
	}
	return out
}

// addSeedTransfers indexes seeded transfers in createdTime order (the
// order lists page in) after checking them against the world.
func (w *world) addSeedTransfers(ts []Transfer) error {
	recs := make([]*transferRecord, 0, len(ts))
	for _, t := range ts {
		rec, err := seedTransferRecord(t)
		if err != nil {
			return err
		}
		recs = append(recs, rec)
	}
	slices.SortStableFunc(recs, func(a, b *transferRecord) int { return a.CreatedTime.Compare(b.CreatedTime) })
	for _, rec := range recs {
		w.seq++
		rec.Seq = w.seq
		if err := w.restoreTransfer(rec); err != nil {
			return err
		}
	}
	return nil
}

// scheduleAllLocked arms the deadlines of the world's open transfers: a
// seeded Pending one expires at its expirationTime, an InProgress one
// completes one completion delay after it was last modified (its submit).
func (e *Emulator) scheduleAllLocked() {
	for _, rec := range e.w.transfers {
		if rec.Status == statusInProgress && rec.CompleteAt.IsZero() {
			delay := e.completionDelay
			if rec.CompletionDelay != nil {
				delay = *rec.CompletionDelay
			}
			rec.CompleteAt = rec.SubmittedTime.Add(delay)
		}
		e.scheduleLocked(rec)
	}
}

// Rehearsal says how a snapshot is served: the app its partner signs in
// with, and the other partner of the migration.
type Rehearsal struct {
	// ClientSecret (default DefaultSnapshotClientSecret) and CertificatePEM
	// (optional) are the snapshot partner's app credentials, registered
	// under the snapshot's client id.
	ClientSecret   string
	CertificatePEM string
	// Other is the second partner. Its tenant defaults to the partner the
	// snapshot's requests name most often, else DefaultOtherPartnerTenantID;
	// its name to the requests' name for it, else DefaultOtherPartnerName;
	// without apps it gets one (DefaultOtherPartnerClientID,
	// DefaultOtherPartnerClientSecret).
	Other Partner
}

// ForRehearsal returns the seed that serves a complete snapshot: its
// partner with an app, the other partner with an app and a reseller
// relationship to every customer (so it can create requests), and the
// snapshot's customers, subscriptions and requests unchanged.
func (s Seed) ForRehearsal(r Rehearsal) (Seed, error) {
	if s.Snapshot == nil {
		return Seed{}, errors.New("not a snapshot (no \"snapshot\" header): serve a hand-written seed with -seed")
	}
	if err := s.Snapshot.check(); err != nil {
		return Seed{}, err
	}
	self, _ := canonicalGUID(s.Snapshot.PartnerTenantID)
	other := r.Other
	other.TenantID = cmp.Or(other.TenantID, s.mostNamedPartner(self), DefaultOtherPartnerTenantID)
	otherID, ok := canonicalGUID(other.TenantID)
	if !ok {
		return Seed{}, fmt.Errorf("other partner tenant %q is not a GUID", other.TenantID)
	}
	if otherID == self {
		return Seed{}, fmt.Errorf("the other partner %s is the snapshot's own partner: name the other side of the migration", otherID)
	}
	if len(other.Apps) == 0 {
		other.Apps = []fakeentra.App{{ClientID: DefaultOtherPartnerClientID, ClientSecret: DefaultOtherPartnerClientSecret}}
	}
	out := Seed{Snapshot: s.Snapshot, Transfers: s.Transfers}
	foundSelf, foundOther := false, false
	for _, p := range s.Partners {
		p.Apps = slices.Clone(p.Apps)
		id, _ := canonicalGUID(p.TenantID)
		switch id {
		case self:
			foundSelf = true
			p.Apps = append(p.Apps, fakeentra.App{ClientID: cmp.Or(s.Snapshot.ClientID, DefaultSnapshotClientID),
				ClientSecret: cmp.Or(r.ClientSecret, DefaultSnapshotClientSecret), CertificatePEM: r.CertificatePEM})
		case otherID:
			foundOther = true
			p.Name = cmp.Or(other.Name, p.Name)
			p.EmailID = cmp.Or(other.EmailID, p.EmailID)
			p.MpnID = cmp.Or(other.MpnID, p.MpnID)
			p.Apps = append(p.Apps, other.Apps...)
		}
		out.Partners = append(out.Partners, p)
	}
	if !foundSelf {
		return Seed{}, fmt.Errorf("the snapshot's partner %s is not among its partners", self)
	}
	if !foundOther {
		other.TenantID = otherID
		other.Name = cmp.Or(other.Name, DefaultOtherPartnerName)
		out.Partners = append(out.Partners, other)
	}
	for _, c := range s.Customers {
		c.PartnerTenantIDs = slices.Clone(c.PartnerTenantIDs)
		related := false
		for _, p := range c.PartnerTenantIDs {
			if id, _ := canonicalGUID(p); id == otherID {
				related = true
			}
		}
		if !related {
			c.PartnerTenantIDs = append(c.PartnerTenantIDs, otherID)
		}
		out.Customers = append(out.Customers, c)
	}
	return out.normalized()
}

// mostNamedPartner is the partner other than self that the seed's
// transfers name most often (ties: the lowest tenant id), or "".
func (s Seed) mostNamedPartner(self string) string {
	counts := map[string]int{}
	for _, t := range s.Transfers {
		for _, p := range []string{t.SourcePartnerTenantID, t.TargetPartnerTenantID} {
			if id, ok := canonicalGUID(p); ok && id != self {
				counts[id]++
			}
		}
	}
	best := ""
	for id, n := range counts {
		if best == "" || n > counts[best] || n == counts[best] && id < best {
			best = id
		}
	}
	return best
}
