// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

// The activity log (audit records, REFERENCE-CUSTOMERS-AUDIT.md
// §4): one record per transfer change, written by listening to
// the transfer events, served by audit_api.go.

// Audit record vocabulary on the wire (snake_case, REFERENCE-CUSTOMERS-AUDIT.md §4.4).
const (
	AuditResourceTransfer   = "transfer"
	AuditOpCreateTransfer   = "create_transfer"
	AuditOpUpdateTransfer   = "update_transfer"
	AuditStatusSucceeded    = "succeeded"
	auditObjectType         = "AuditRecord"
	auditTicksLayout        = "2006-01-02T15:04:05.0000000Z"
	auditLookback           = 90 * 24 * time.Hour
	defaultAuditWindow      = 30 * 24 * time.Hour
	defaultAuditPageSize    = 500
	maxAuditPageSize        = 500
	auditFulfillmentService = "FulfillmentService"
)

// auditOperations maps event causes to operation types. Microsoft documents
// only create_transfer and update_transfer for transfers; completion,
// failure, cancel and expiry are recorded as updates [INF].
var auditOperations = map[string]string{
	CauseCreate:   AuditOpCreateTransfer,
	CauseSubmit:   AuditOpUpdateTransfer,
	CauseCancel:   AuditOpUpdateTransfer,
	CauseExpire:   AuditOpUpdateTransfer,
	CauseComplete: AuditOpUpdateTransfer,
	CauseFail:     AuditOpUpdateTransfer,
}

// AuditKeyValue is one customizedData entry.
type AuditKeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// auditAttributes is the objectType marker of items and collections.
type auditAttributes struct {
	ObjectType string `json:"objectType"`
}

// AuditRecord is one activity-log entry in its wire form.
type AuditRecord struct {
	ID                    string          `json:"id"`
	PartnerID             string          `json:"partnerId"`
	Participants          []string        `json:"participants"`
	CustomerID            string          `json:"customerId"`
	CustomerName          string          `json:"customerName"`
	UserPrincipalName     string          `json:"userPrincipalName,omitempty"`
	ApplicationID         string          `json:"applicationId"`
	ResourceType          string          `json:"resourceType"`
	ResourceOldValue      string          `json:"resourceOldValue,omitempty"`
	ResourceNewValue      string          `json:"resourceNewValue,omitempty"`
	OperationType         string          `json:"operationType"`
	OriginalCorrelationID string          `json:"originalCorrelationId,omitempty"`
	OperationDate         string          `json:"operationDate"`
	OperationStatus       string          `json:"operationStatus"`
	CustomizedData        []AuditKeyValue `json:"customizedData"`
	Attributes            auditAttributes `json:"attributes"`
}

// auditEntry is a record with its time parsed, for window filtering.
type auditEntry struct {
	at  time.Time
	rec AuditRecord
}

// auditEventKey identifies the event a record was written for, so webhook
// envelopes of that event link the same record.
type auditEventKey struct {
	transferID, cause string
	at                int64
}

// auditService is the activity log of one Emulator.
type auditService struct {
	e *Emulator

	mu      sync.Mutex
	entries []auditEntry // in operationDate order (the virtual clock never goes back)
	byID    map[string]int
	byEvent map[auditEventKey]string
	// lastValue is each transfer's resourceNewValue of its latest record,
	// the next record's resourceOldValue.
	lastValue map[string]string
	// epoch changes on Reset and LoadState so old continuation tokens fail.
	epoch int64
}

// newAuditService builds e's audit log, subscribes it to transfer events and
// adds its routes. New calls it before newWebhookService.
func newAuditService(e *Emulator) *auditService {
	a := &auditService{e: e}
	a.clearLocked()
	a.addRoutes()
	e.Subscribe(a.onEvent)
	e.onReset(a.reset)
	return a
}

func (a *auditService) clearLocked() {
	a.entries = nil
	a.byID = map[string]int{}
	a.byEvent = map[auditEventKey]string{}
	a.lastValue = map[string]string{}
	a.epoch++
}

func (a *auditService) reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.clearLocked()
}

// auditTransferView is what a record needs from the event's transfer,
// decoded from its JSON so the log does not depend on the wire structs.
type auditTransferView struct {
	ID                    string `json:"id"`
	Status                string `json:"status"`
	CustomerName          string `json:"customerName"`
	LastModifiedUser      string `json:"lastModifiedUser"`
	SourcePartnerTenantID string `json:"sourcePartnerTenantId"`
	TargetPartnerTenantID string `json:"targetPartnerTenantId"`
}

// onEvent writes the record of one transfer change.
func (a *auditService) onEvent(ev Event) {
	raw, err := json.Marshal(ev.Transfer)
	if err != nil {
		return // The transfer view is plain data; it always encodes.
	}
	var t auditTransferView
	_ = json.Unmarshal(raw, &t) // Same bytes as just encoded.
	newValue, _ := pascalCaseJSON(raw)

	participants := uniqueNonEmpty(ev.PartnerTenantIDs)
	actorPartner, appID := a.actor(ev.Cause, t, participants)
	if t.CustomerName == "" {
		t.CustomerName = a.customerName(ev.CustomerID)
	}
	at := ev.Time.UTC().Truncate(100 * time.Nanosecond)
	op := auditOperations[ev.Cause]
	if op == "" {
		op = AuditOpUpdateTransfer
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	a.pruneLocked(at)
	ticks := dotNetTicks(at)
	id := auditRecordID(actorPartner, ev.CustomerID, ev.TransferID, op, ticks)
	for _, dup := a.byID[id]; dup; _, dup = a.byID[id] {
		ticks++ // Two changes in one tick: keep ids unique.
		id = auditRecordID(actorPartner, ev.CustomerID, ev.TransferID, op, ticks)
	}
	rec := AuditRecord{
		ID: id, PartnerID: actorPartner, Participants: participants,
		CustomerID: ev.CustomerID, CustomerName: t.CustomerName,
		ApplicationID: appID, ResourceType: AuditResourceTransfer,
		ResourceOldValue: a.lastValue[ev.TransferID], ResourceNewValue: newValue,
		OperationType: op, OperationDate: at.Format(auditTicksLayout), OperationStatus: AuditStatusSucceeded,
		CustomizedData: []AuditKeyValue{
			{Key: "TransferId", Value: ev.TransferID},
			{Key: "TransferStatus", Value: t.Status},
			{Key: "EventName", Value: ev.Name},
		},
		Attributes: auditAttributes{ObjectType: auditObjectType},
	}
	a.appendLocked(auditEntry{at: at, rec: rec})
	a.byEvent[auditEventKey{ev.TransferID, ev.Cause, ev.Time.UnixNano()}] = id
}

func (a *auditService) appendLocked(en auditEntry) {
	a.byID[en.rec.ID] = len(a.entries)
	a.entries = append(a.entries, en)
	if tid := customized(en.rec, "TransferId"); tid != "" {
		a.lastValue[tid] = en.rec.ResourceNewValue
	}
}

// pruneLocked forgets records past the look-back limit: Partner Center keeps
// 90 days of activity.
func (a *auditService) pruneLocked(now time.Time) {
	cut := 0
	for cut < len(a.entries) && a.entries[cut].at.Before(now.Add(-auditLookback-24*time.Hour)) {
		cut++
	}
	if cut == 0 {
		return
	}
	for _, en := range a.entries[:cut] {
		delete(a.byID, en.rec.ID)
	}
	a.entries = slices.Delete(a.entries, 0, cut)
	a.epoch++ // Continuation tokens hold indexes, which just moved.
	for i, en := range a.entries {
		a.byID[en.rec.ID] = i
	}
}

// actor is the partner and application that caused a change: the caller for
// create, submit and cancel; Partner Center itself (on the target's record)
// for completion, failure and expiry.
func (a *auditService) actor(cause string, t auditTransferView, participants []string) (partner, appID string) {
	partner = t.TargetPartnerTenantID
	if cause == CauseSubmit {
		partner = t.SourcePartnerTenantID
	}
	if partner == "" && len(participants) > 0 {
		partner = participants[0]
	}
	switch cause {
	case CauseComplete, CauseFail, CauseExpire:
		return partner, auditFulfillmentService
	}
	if p, app, ok := a.appOfObject(t.LastModifiedUser); ok {
		return p, app
	}
	return partner, ""
}

// appOfObject finds the partner app whose service principal has objectID.
func (a *auditService) appOfObject(objectID string) (partner, clientID string, ok bool) {
	if objectID == "" {
		return "", "", false
	}
	e := a.e
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range e.w.partnerOrder {
		for _, app := range e.w.partners[id].Apps {
			if strings.EqualFold(fakeentra.ObjectID(app.TenantID, app.ClientID), objectID) {
				return id, app.ClientID, true
			}
		}
	}
	return "", "", false
}

func (a *auditService) customerName(customerID string) string {
	e := a.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if c := e.w.customers[customerID]; c != nil {
		return c.Name
	}
	return ""
}

// idForEvent is the id of the record written for ev, or "" if none.
func (a *auditService) idForEvent(ev Event) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.byEvent[auditEventKey{ev.TransferID, ev.Cause, ev.Time.UnixNano()}]
}

// auditRecordID is Partner Center's documented form:
// {partnerId}_{customerId}_{resourceId}_{operation without underscores}_{ticks}.
func auditRecordID(partner, customer, resource, op string, ticks int64) string {
	return fmt.Sprintf("%s_%s_%s_%s_%d", partner, customer, resource, strings.ReplaceAll(op, "_", ""), ticks)
}

// dotNetUnixEpochTicks is 1970-01-01 in .NET ticks (100 ns since year 1),
// the unit of the last audit id segment.
const dotNetUnixEpochTicks = 621_355_968_000_000_000

func dotNetTicks(t time.Time) int64 { return t.UnixNano()/100 + dotNetUnixEpochTicks }

func customized(rec AuditRecord, key string) string {
	for _, kv := range rec.CustomizedData {
		if kv.Key == key {
			return kv.Value
		}
	}
	return ""
}

func uniqueNonEmpty(in []string) []string {
	out := []string{}
	for _, s := range in {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// pascalCaseJSON re-encodes a JSON document with PascalCase property names,
// the form of resourceOldValue/resourceNewValue in Microsoft's examples.
func pascalCaseJSON(raw []byte) (string, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	b, err := json.Marshal(pascalKeys(v))
	return string(b), err
}

// visibleTo reports whether partner took part in the record's change.
func (r AuditRecord) visibleTo(partner string) bool {
	return r.PartnerID == partner || slices.Contains(r.Participants, partner)
}

// AuditRecords returns every stored record, oldest first (tests, admin).
func (e *Emulator) AuditRecords() []AuditRecord {
	a := e.audit
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]AuditRecord, 0, len(a.entries))
	for _, en := range a.entries {
		out = append(out, cloneAuditRecord(en.rec))
	}
	return out
}

func cloneAuditRecord(r AuditRecord) AuditRecord {
	r.Participants = slices.Clone(r.Participants)
	r.CustomizedData = slices.Clone(r.CustomizedData)
	return r
}

// restoredAuditEntries checks saved records: dates parse, ids are unique and
// in time order.
func restoredAuditEntries(recs []AuditRecord) ([]auditEntry, error) {
	out := make([]auditEntry, 0, len(recs))
	seen := map[string]bool{}
	for _, r := range recs {
		at, err := time.Parse(time.RFC3339Nano, r.OperationDate)
		switch {
		case err != nil:
			return nil, fmt.Errorf("audit record %s: operationDate %q: %w", r.ID, r.OperationDate, err)
		case seen[r.ID] || r.ID == "":
			return nil, fmt.Errorf("audit record %q: missing or duplicate id", r.ID)
		case len(out) > 0 && at.Before(out[len(out)-1].at):
			return nil, fmt.Errorf("audit record %s: records must be in operationDate order", r.ID)
		}
		seen[r.ID] = true
		out = append(out, auditEntry{at: at.UTC(), rec: cloneAuditRecord(r)})
	}
	return out, nil
}

// restore replaces the log with saved entries.
func (a *auditService) restore(entries []auditEntry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.clearLocked()
	for _, en := range entries {
		a.appendLocked(en)
	}
}
