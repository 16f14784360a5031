// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// A 45-day span is two windows of at most 30 days; each window follows its
// next link (uri without /v1) with the continuation token header; the
// filter is sent as the documented PascalCase JSON.
func TestListAuditRecordsWindowsAndPages(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, r *http.Request, _ seenRequest, _ int) {
		q := r.URL.Query()
		if q.Get("seekOperation") == "Next" {
			if r.Header.Get("MS-ContinuationToken") != "tok-"+q.Get("w") {
				pcError(w, 400, 800002, "token missing")
				return
			}
			writeRaw(w, 200, "application/json", `{"totalCount":1,"items":[{"id":"second-`+q.Get("w")+`","operationDate":"2025-03-02T10:00:00.1234567Z","operationType":"update_transfer"}]}`)
			return
		}
		start := q.Get("startDate")
		writeRaw(w, 200, "application/json", `{"totalCount":1,"items":[{"id":"first-`+start+`","resourceType":"transfer","resourceNewValue":"{\"Id\":\"t1\",\"Status\":\"Pending\"}"}],`+
			`"links":{"next":{"uri":"/auditrecords?seekOperation=Next&w=`+start+`","method":"GET","headers":[{"key":"MS-ContinuationToken","value":"tok-`+start+`"}]}}}`)
	})
	c, _ := newTestClient(t, srv)
	var ids []string
	err := c.ListAuditRecords(t.Context(), AuditRecordQuery{
		StartDate: day("2025-01-01"), EndDate: day("2025-02-14"), PageSize: 50,
		Filter: &AuditFilter{Field: "ResourceType", Value: "Transfer", Operator: "equals"},
	}, func(r AuditRecord) error {
		ids = append(ids, r.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"first-2025-01-01", "second-2025-01-01", "first-2025-01-31", "second-2025-01-31"}
	if strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Fatalf("records %v, want %v", ids, want)
	}
	reqs := log.all()
	first, _ := url.ParseQuery(reqs[0].Query)
	second, _ := url.ParseQuery(reqs[2].Query)
	var f AuditFilter
	if err := json.Unmarshal([]byte(first.Get("filter")), &f); err != nil || !strings.Contains(first.Get("filter"), `"Field":"ResourceType"`) {
		t.Errorf("filter %q: %v", first.Get("filter"), err)
	}
	if first.Get("startDate") != "2025-01-01" || first.Get("endDate") != "2025-01-30" || first.Get("size") != "50" ||
		second.Get("startDate") != "2025-01-31" || second.Get("endDate") != "2025-02-14" {
		t.Errorf("windows: %s / %s", reqs[0].Query, reqs[2].Query)
	}
	if reqs[1].Path != "/v1/auditrecords" {
		t.Errorf("next page path %q, want /v1 added", reqs[1].Path)
	}
}

func TestListAuditRecordsRejectsBadInput(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, 200, "application/json", `{"items":[],"links":{"next":{"uri":"/auditrecords?seekOperation=Next","headers":[{"key":"MS-ContinuationToken","value":"same"}]}}}`)
	})
	c, _ := newTestClient(t, srv)
	each := func(AuditRecord) error { return nil }
	if err := c.ListAuditRecords(t.Context(), AuditRecordQuery{StartDate: day("2025-02-02"), EndDate: day("2025-02-01")}, each); err == nil {
		t.Error("an end before the start was accepted")
	}
	if log.len() != 0 {
		t.Error("a bad query was sent")
	}
	err := c.ListAuditRecords(t.Context(), AuditRecordQuery{StartDate: day("2025-02-01"), EndDate: day("2025-02-01")}, each)
	if err == nil || !strings.Contains(err.Error(), "repeats") {
		t.Errorf("a repeating next link: %v", err)
	}
}

func TestDecodeAuditTransfer(t *testing.T) {
	if s, ok := DecodeAuditTransfer(`{"Id":"t1","Status":"Complete","LineItems":[]}`); !ok || s.ID != "t1" || s.Status != "Complete" {
		t.Errorf("PascalCase value: %+v %v", s, ok)
	}
	if s, ok := DecodeAuditTransfer(`{"id":"t2","status":"Pending"}`); !ok || s.ID != "t2" {
		t.Errorf("camelCase value: %+v %v", s, ok)
	}
	for _, v := range []string{"", "not json", `{"Status":"Pending"}`} {
		if _, ok := DecodeAuditTransfer(v); ok {
			t.Errorf("%q decoded as a transfer", v)
		}
	}
}

func TestSendWebhookValidationEventAcceptsBothDocumentedAnswers(t *testing.T) {
	for name, body := range map[string]string{"object": `{"correlationId":"c1"}`, "string": `"c1"`} {
		t.Run(name, func(t *testing.T) {
			srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
				writeRaw(w, 200, "application/json", body)
			})
			c, _ := newTestClient(t, srv)
			id, err := c.SendWebhookValidationEvent(t.Context())
			if err != nil || id != "c1" {
				t.Fatalf("id %q, err %v", id, err)
			}
			if r := log.all()[0]; r.Method != http.MethodPost || r.Path != "/webhooks/v1/registration/validationEvents" {
				t.Errorf("request %s %s", r.Method, r.Path)
			}
		})
	}
}

func TestWebhookValidationResultDelivered(t *testing.T) {
	for code, want := range map[string]bool{"OK": true, "NoContent": true, "200": true, "Forbidden": false, "InternalServerError": false, "": false} {
		if got := (WebhookValidationResult{ResponseCode: code}).Delivered(); got != want {
			t.Errorf("%q delivered = %v", code, got)
		}
	}
	if (WebhookValidationResult{ResponseCode: "OK", SystemError: true}).Delivered() {
		t.Error("a system error counted as delivered")
	}
}

// Without an end date the request leaves endDate out, so the server's own
// "now" ends the window.
func TestListAuditRecordsOpenEnd(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, 200, "application/json", `{"items":[]}`)
	})
	c, _ := newTestClient(t, srv)
	start := time.Now().UTC().AddDate(0, 0, -40)
	if err := c.ListAuditRecords(t.Context(), AuditRecordQuery{StartDate: start}, func(AuditRecord) error { return nil }); err != nil {
		t.Fatal(err)
	}
	reqs := log.all()
	if len(reqs) != 2 {
		t.Fatalf("%d requests for a 40-day open span, want 2 windows", len(reqs))
	}
	first, _ := url.ParseQuery(reqs[0].Query)
	last, _ := url.ParseQuery(reqs[1].Query)
	if first.Get("endDate") == "" || last.Has("endDate") {
		t.Errorf("windows %q / %q: want an endDate only on the first", reqs[0].Query, reqs[1].Query)
	}
}
