// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

const auditPath = "/v1/auditrecords"

// auditPage is a decoded audit collection.
type auditPage struct {
	TotalCount int           `json:"totalCount"`
	Items      []AuditRecord `json:"items"`
	Links      struct {
		Next *struct {
			URI     string `json:"uri"`
			Headers []struct {
				Key, Value string
			} `json:"headers"`
		} `json:"next"`
	} `json:"links"`
}

func (h *harness) auditList(tenant string, q url.Values) (auditPage, response) {
	h.t.Helper()
	path := auditPath
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	res := h.do(call{tenant: tenant, method: http.MethodGet, path: path})
	var p auditPage
	if res.status == http.StatusOK {
		if err := json.Unmarshal(res.body, &p); err != nil {
			h.t.Fatalf("audit page: %v\n%s", err, res.body)
		}
	}
	return p, res
}

// auditAll follows links.next until the last page and returns every item.
func (h *harness) auditAll(tenant string, q url.Values) ([]AuditRecord, int) {
	h.t.Helper()
	p, res := h.auditList(tenant, q)
	if res.status != http.StatusOK {
		h.t.Fatalf("audit list: HTTP %d %s", res.status, res.body)
	}
	all, pages := p.Items, 1
	for p.Links.Next != nil {
		if p.TotalCount != len(p.Items) {
			h.t.Fatalf("totalCount %d for %d items", p.TotalCount, len(p.Items))
		}
		hdr := map[string]string{}
		for _, kv := range p.Links.Next.Headers {
			hdr[kv.Key] = kv.Value
		}
		res = h.do(call{tenant: tenant, method: http.MethodGet, path: p.Links.Next.URI, headers: hdr})
		if res.status != http.StatusOK {
			h.t.Fatalf("next page: HTTP %d %s", res.status, res.body)
		}
		p = auditPage{}
		if err := json.Unmarshal(res.body, &p); err != nil {
			h.t.Fatal(err)
		}
		all = append(all, p.Items...)
		pages++
	}
	return all, pages
}

func filterJSON(field, value, op string) string {
	b, _ := json.Marshal(map[string]string{"Field": field, "Value": value, "Operator": op})
	return string(b)
}

func TestAuditRecordsOfACompletedTransfer(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	h.submit(tr.ID, item(subBusiness, nce))
	h.e.Advance(DefaultCompletionDelay)

	for _, tenant := range []string{targetTenant, sourceTenant} {
		recs, _ := h.auditAll(tenant, nil)
		if len(recs) != 3 {
			t.Fatalf("%s sees %d records, want 3: %s", tenant, len(recs), describe(recs))
		}
	}
	recs, _ := h.auditAll(targetTenant, nil)
	targetApp := h.e.w.partners[targetTenant].Apps[0].ClientID
	sourceApp := h.e.w.partners[sourceTenant].Apps[0].ClientID
	want := []struct{ op, actor, app, status, idOp string }{
		{AuditOpCreateTransfer, targetTenant, targetApp, "Pending", "createtransfer"},
		{AuditOpUpdateTransfer, sourceTenant, sourceApp, "InProgress", "updatetransfer"},
		{AuditOpUpdateTransfer, targetTenant, auditFulfillmentService, "Complete", "updatetransfer"},
	}
	for i, w := range want {
		r := recs[i]
		parts := strings.Split(r.ID, "_")
		at, err := time.Parse(auditTicksLayout, r.OperationDate)
		ticks, _ := strconv.ParseInt(parts[len(parts)-1], 10, 64)
		if len(parts) != 5 || parts[0] != w.actor || parts[1] != customerID || parts[2] != tr.ID || parts[3] != w.idOp ||
			err != nil || ticks != dotNetTicks(at) {
			t.Errorf("record %d id %q / date %q, want %s_%s_%s_%s_<ticks of the date>", i, r.ID, r.OperationDate, w.actor, customerID, tr.ID, w.idOp)
		}
		if r.OperationType != w.op || r.PartnerID != w.actor || r.ApplicationID != w.app || r.ResourceType != "transfer" ||
			r.OperationStatus != "succeeded" || r.CustomerName == "" || r.Attributes.ObjectType != "AuditRecord" {
			t.Errorf("record %d: %s", i, describe(r))
		}
		if len(r.Participants) != 2 || r.Participants[0] != targetTenant || r.Participants[1] != sourceTenant {
			t.Errorf("record %d participants %v", i, r.Participants)
		}
		var v struct{ ID, Status string }
		if err := json.Unmarshal([]byte(r.ResourceNewValue), &v); err != nil || v.ID != tr.ID || !strings.EqualFold(v.Status, w.status) ||
			!strings.Contains(r.ResourceNewValue, `"Id":`) {
			t.Errorf("record %d resourceNewValue %s (status want %s): %v", i, r.ResourceNewValue, w.status, err)
		}
		if i > 0 && r.ResourceOldValue != recs[i-1].ResourceNewValue {
			t.Errorf("record %d resourceOldValue is not the previous new value", i)
		}
	}
	if recs[0].ResourceOldValue != "" {
		t.Errorf("the create record has an old value: %s", recs[0].ResourceOldValue)
	}

	var admin []AuditRecord
	if st := h.admin(http.MethodGet, "audit", nil, &admin); st != 200 || len(admin) != 3 || admin[2].ID != recs[2].ID {
		t.Errorf("admin audit: HTTP %d, %d records", st, len(admin))
	}

	h.addOutsider()
	if p, res := h.auditList(outsiderTenant, nil); res.status != 200 || len(p.Items) != 0 {
		t.Errorf("an outsider sees %d records (HTTP %d)", len(p.Items), res.status)
	}
	byID := "/auditactivity/v1/auditrecords/" + recs[1].ID
	if res := h.do(call{tenant: sourceTenant, method: http.MethodGet, path: byID}); res.status != 200 || !strings.Contains(string(res.body), recs[1].ID) {
		t.Errorf("read by id: %d %s", res.status, res.body)
	}
	if res := h.do(call{tenant: outsiderTenant, method: http.MethodGet, path: byID}); res.status != 404 {
		t.Errorf("an outsider read a record by id: %d", res.status)
	}
}

func TestAuditRecordOfACancel(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	res := h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: map[string]any{"status": "Cancel"}})
	if res.status != 200 {
		t.Fatalf("cancel: %d %s", res.status, res.body)
	}
	recs, _ := h.auditAll(sourceTenant, nil)
	if len(recs) != 2 || recs[1].OperationType != AuditOpUpdateTransfer || recs[1].PartnerID != targetTenant ||
		!strings.Contains(recs[1].ResourceNewValue, `"Status":"Canceled"`) || customized(recs[1], "TransferStatus") != "Canceled" {
		t.Fatalf("records after a cancel: %s", describe(recs))
	}
}

func TestAuditRecordOfAnExpiry(t *testing.T) {
	h := newHarness(t)
	h.create()
	h.e.Advance(31 * 24 * time.Hour)
	q := url.Values{"startDate": {h.e.Now().Add(-40 * 24 * time.Hour).Format("2006-01-02")}}
	recs, _ := h.auditAll(targetTenant, q)
	if len(recs) != 2 || customized(recs[1], "TransferStatus") != "Expired" || recs[1].ApplicationID != auditFulfillmentService {
		t.Fatalf("records after expiry: %s", describe(recs))
	}
}

func TestAuditListFilters(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	h.submit(tr.ID, item(subBusiness, nce))
	name := h.e.w.customers[customerID].Name
	cases := []struct {
		name, filter string
		want         int
	}{
		{"customer", filterJSON("CustomerId", strings.ToUpper(customerID), "equals"), 2},
		{"other customer", filterJSON("CustomerId", "00000000-0000-4000-8000-000000000000", "equals"), 0},
		{"resource type PascalCase", filterJSON("ResourceType", "Transfer", "equals"), 2},
		{"resource type snake_case", filterJSON("ResourceType", "transfer", "equals"), 2},
		{"other resource type", filterJSON("ResourceType", "Order", "equals"), 0},
		{"company substring", filterJSON("CompanyName", strings.ToLower(name[1:4]), "substring"), 2},
		{"company no match", filterJSON("CompanyName", "zzzz", "substring"), 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recs, _ := h.auditAll(targetTenant, url.Values{"filter": {tc.filter}})
			if len(recs) != tc.want {
				t.Errorf("%s: %d records, want %d", tc.filter, len(recs), tc.want)
			}
		})
	}
	bad := []struct{ filter, mention string }{
		{filterJSON("OperationType", "create_transfer", "equals"), "CompanyName, CustomerId or ResourceType"},
		{filterJSON("CustomerId", customerID, "substring"), `"equals"`},
		{filterJSON("CompanyName", "", "substring"), "Value is required"},
		{"{not json", "not a JSON"},
	}
	for _, b := range bad {
		_, res := h.auditList(targetTenant, url.Values{"filter": {b.filter}})
		res.expectError(t, 400, codeInvalidInput, b.mention)
	}
}

func TestAuditListDateWindow(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	// Canceled at once, so no expiry record appears 30 days later.
	h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: map[string]any{"status": "Cancel"}})
	created := h.e.Now()
	h.e.Advance(31 * 24 * time.Hour)
	day := func(t time.Time) string { return t.Format("2006-01-02") }

	if recs, _ := h.auditAll(targetTenant, nil); len(recs) != 0 {
		t.Errorf("the default window (30 days) returned a 31-day-old record: %s", describe(recs))
	}
	if recs, _ := h.auditAll(targetTenant, url.Values{"startDate": {day(created)}, "endDate": {day(created)}}); len(recs) != 2 {
		t.Errorf("a one-day window on the records' day returned %d records, want 2 (endDate covers its whole day)", len(recs))
	}
	if recs, _ := h.auditAll(targetTenant, url.Values{"startDate": {created.Format("01/02/2006 00:00:00")}}); len(recs) != 2 {
		t.Errorf("the SDK's date form returned %d records, want 2", len(recs))
	}
	if recs, _ := h.auditAll(targetTenant, url.Values{"startDate": {day(created.AddDate(0, 0, 1))}}); len(recs) != 0 {
		t.Errorf("a window after the record returned %d records", len(recs))
	}
	_, res := h.auditList(targetTenant, url.Values{"startDate": {day(h.e.Now().AddDate(0, 0, -91))}})
	res.expectError(t, 400, codeInvalidInput, "90 days")
	_, res = h.auditList(targetTenant, url.Values{"startDate": {day(created)}, "endDate": {day(created.AddDate(0, 0, -1))}})
	res.expectError(t, 400, codeInvalidInput, "endDate must not be before startDate")
	_, res = h.auditList(targetTenant, url.Values{"startDate": {"yesterday"}})
	res.expectError(t, 400, codeInvalidInput, "startDate")
}

func TestAuditListPaging(t *testing.T) {
	h := newHarness(t)
	var ids []string
	for range 5 {
		tr := h.create()
		ids = append(ids, tr.ID)
		h.e.Advance(time.Second)
	}
	recs, pages := h.auditAll(targetTenant, url.Values{"size": {"2"}})
	if pages != 3 || len(recs) != 5 {
		t.Fatalf("size=2 over 5 records: %d pages, %d records", pages, len(recs))
	}
	for i, r := range recs {
		if !strings.Contains(r.ID, "_"+ids[i]+"_") {
			t.Errorf("page order: record %d is %s, want transfer %s (oldest first)", i, r.ID, ids[i])
		}
	}
	first, _ := h.auditList(targetTenant, url.Values{"size": {"2"}})
	if first.TotalCount != 2 || first.Links.Next == nil || !strings.Contains(first.Links.Next.URI, "seekOperation=Next") {
		t.Fatalf("first page: %s", describe(first))
	}
	// A next page needs the token header; a token does not survive Reset or
	// work for another partner.
	h.do(call{tenant: targetTenant, method: http.MethodGet, path: first.Links.Next.URI}).expectError(t, 400, codeInvalidInput, continuationHeader)
	token := map[string]string{continuationHeader: first.Links.Next.Headers[0].Value}
	h.do(call{tenant: sourceTenant, method: http.MethodGet, path: first.Links.Next.URI, headers: token}).expectError(t, 400, codeInvalidInput, "another list")
	if all, _ := h.auditAll(targetTenant, url.Values{"size": {"0"}}); len(all) != 5 {
		t.Errorf("size=0 (server default) returned %d records", len(all))
	}
	h.do(call{tenant: targetTenant, method: http.MethodGet, path: auditPath + "?size=-1"}).expectError(t, 400, codeInvalidInput, "size")
	h.e.Reset()
	h.do(call{tenant: targetTenant, method: http.MethodGet, path: first.Links.Next.URI, headers: token}).expectError(t, 400, codeInvalidInput, "reset")
}
