// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Route names of the audit API, for stats and faults.
const (
	routeAuditList = "audit-list"
	routeAuditGet  = "audit-get"
)

func (a *auditService) addRoutes() {
	a.e.addRoute(http.MethodGet, "/v1/auditrecords", routeAuditList, a.handleList)
	// Webhook AuditUri values point here (REFERENCE.md §7.2).
	a.e.addRoute(http.MethodGet, "/auditactivity/v1/auditrecords/{auditId}", routeAuditGet, a.handleGet)
	// Every record, for demos and debugging (no auth, like the whole admin API).
	a.e.addAdminRoute(http.MethodGet, "audit", func(*http.Request, []byte) (int, any) {
		a.e.settle()
		return http.StatusOK, a.e.AuditRecords()
	})
}

// auditLink and auditHeader are the collection link shapes (REFERENCE-CUSTOMERS-AUDIT.md §1).
type auditLink struct {
	URI     string        `json:"uri"`
	Method  string        `json:"method"`
	Headers []auditHeader `json:"headers"`
}

type auditHeader struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type auditLinks struct {
	Self auditLink  `json:"self"`
	Next *auditLink `json:"next,omitempty"`
}

type auditCollection struct {
	TotalCount int             `json:"totalCount"`
	Items      []AuditRecord   `json:"items"`
	Links      auditLinks      `json:"links"`
	Attributes auditAttributes `json:"attributes"`
}

// auditFilter is the documented {Field, Value, Operator} filter.
type auditFilter struct {
	Field    string `json:"Field"`
	Value    string `json:"Value"`
	Operator string `json:"Operator"`
}

// auditQuery is a parsed list request.
type auditQuery struct {
	from, to time.Time // [from, to)
	filter   *auditFilter
	size     int
}

// auditDateLayouts are the startDate/endDate forms seen in the docs and the
// SDK (REFERENCE-CUSTOMERS-AUDIT.md §4.1); date-only values cover the whole day.
var auditDateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02",
	"01/02/2006 15:04:05", "1/2/2006 3:04:05 PM", "1/2/2006",
}

func parseAuditDate(s string) (t time.Time, dateOnly bool, err error) {
	for _, layout := range auditDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			only := layout == "2006-01-02" || layout == "1/2/2006" ||
				(t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 && !strings.Contains(layout, "T"))
			return t.UTC(), only, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%q is not a date (use yyyy-mm-dd)", s)
}

// parseAuditQuery checks the query against the documented rules: a start at
// most 90 days back (default 30 days back), an end not before the start
// (default today), one filter on CompanyName, CustomerId or ResourceType.
func parseAuditQuery(q url.Values, now time.Time) (auditQuery, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	out := auditQuery{from: today.Add(-defaultAuditWindow), to: now.UTC().Add(time.Nanosecond), size: defaultAuditPageSize}
	if s := q.Get("startDate"); s != "" {
		t, _, err := parseAuditDate(s)
		if err != nil {
			return out, fmt.Errorf("startDate: %w", err)
		}
		out.from = t
	}
	if out.from.Before(today.Add(-auditLookback)) {
		return out, fmt.Errorf("startDate %s is more than 90 days ago; activity records are kept for 90 days, so use a startDate on or after %s",
			out.from.Format("2006-01-02"), today.Add(-auditLookback).Format("2006-01-02"))
	}
	if s := q.Get("endDate"); s != "" {
		t, dateOnly, err := parseAuditDate(s)
		if err != nil {
			return out, fmt.Errorf("endDate: %w", err)
		}
		if dateOnly {
			t = t.Add(24 * time.Hour) // The whole end day.
		}
		out.to = t
	}
	if !out.to.After(out.from) {
		return out, fmt.Errorf("endDate must not be before startDate")
	}
	if s := q.Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return out, fmt.Errorf("size must be a non-negative integer")
		}
		if n > 0 {
			out.size = min(n, maxAuditPageSize)
		}
	}
	if s := q.Get("filter"); s != "" {
		var f auditFilter
		if err := json.Unmarshal([]byte(s), &f); err != nil {
			return out, fmt.Errorf("filter is not a JSON {Field, Value, Operator} object: %w", err)
		}
		if err := checkAuditFilter(f); err != nil {
			return out, err
		}
		out.filter = &f
	}
	return out, nil
}

func checkAuditFilter(f auditFilter) error {
	want := map[string]string{"companyname": "substring", "customerid": "equals", "resourcetype": "equals"}
	op, ok := want[strings.ToLower(f.Field)]
	switch {
	case !ok:
		return fmt.Errorf("filter Field %q is not supported; use CompanyName, CustomerId or ResourceType", f.Field)
	case !strings.EqualFold(f.Operator, op):
		return fmt.Errorf("filter Field %s supports only the %q operator, not %q", f.Field, op, f.Operator)
	case strings.TrimSpace(f.Value) == "":
		return fmt.Errorf("filter Value is required")
	}
	return nil
}

// matches applies the filter; values compare case-insensitively and a
// ResourceType value may be PascalCase ("Transfer") or snake_case.
func (f *auditFilter) matches(r AuditRecord) bool {
	if f == nil {
		return true
	}
	switch strings.ToLower(f.Field) {
	case "companyname":
		return strings.Contains(strings.ToLower(r.CustomerName), strings.ToLower(f.Value))
	case "customerid":
		return strings.EqualFold(r.CustomerID, f.Value)
	case "resourcetype":
		return strings.EqualFold(strings.ReplaceAll(r.ResourceType, "_", ""), strings.ReplaceAll(f.Value, "_", ""))
	}
	return false
}

// auditToken is the opaque continuation token: the index after the last
// record of the previous page and the query it belongs to.
type auditToken struct {
	Epoch   int64  `json:"e"`
	Partner string `json:"p"`
	Query   string `json:"q"`
	After   int    `json:"a"`
}

// handleList is GET /v1/auditrecords: the caller's records in the window,
// oldest first, seek-paged with links.next and MS-ContinuationToken.
func (a *auditService) handleList(req *apiRequest) apiResponse {
	q := req.r.URL.Query()
	next := strings.EqualFold(q.Get("seekOperation"), "Next")
	tokenText := req.r.Header.Get(continuationHeader)
	var tok auditToken
	if next || tokenText != "" {
		if tokenText == "" || !decodePageToken(tokenText, &tok) || tok.After < 0 {
			return errInvalidInput("A next page needs the %s header from the previous page's links.next.", continuationHeader)
		}
		values, err := url.ParseQuery(tok.Query)
		if err != nil {
			return errInvalidInput("The %s header is not a valid continuation token.", continuationHeader)
		}
		q = values
	}
	query, err := parseAuditQuery(q, a.e.Now())
	if err != nil {
		return errInvalidInput("%s.", err)
	}
	a.e.settle() // Records of transitions due by now exist before we read.
	a.mu.Lock()
	defer a.mu.Unlock()
	if tokenText != "" && (tok.Epoch != a.epoch || tok.Partner != req.partner) {
		return errInvalidInput("The %s header belongs to another list or to the emulator before a reset.", continuationHeader)
	}
	coll := auditCollection{Items: []AuditRecord{}, Attributes: auditAttributes{ObjectType: "Collection"}}
	coll.Links.Self = auditLink{URI: "/auditrecords?" + q.Encode(), Method: http.MethodGet, Headers: []auditHeader{}}
	i := tok.After
	for ; i < len(a.entries) && len(coll.Items) < query.size; i++ {
		en := a.entries[i]
		if en.at.Before(query.from) || !en.at.Before(query.to) || !en.rec.visibleTo(req.partner) || !query.filter.matches(en.rec) {
			continue
		}
		coll.Items = append(coll.Items, cloneAuditRecord(en.rec))
	}
	if a.moreLocked(i, query, req.partner) {
		token := auditToken{Epoch: a.epoch, Partner: req.partner, Query: q.Encode(), After: i}
		coll.Links.Next = &auditLink{
			URI:     "/v1/auditrecords?seekOperation=Next",
			Method:  http.MethodGet,
			Headers: []auditHeader{{Key: continuationHeader, Value: encodePageToken(token)}},
		}
	}
	coll.TotalCount = len(coll.Items)
	return jsonResponse(http.StatusOK, coll)
}

// moreLocked reports whether a record after index i matches the query.
func (a *auditService) moreLocked(i int, query auditQuery, partner string) bool {
	for ; i < len(a.entries); i++ {
		en := a.entries[i]
		if !en.at.Before(query.to) {
			return false // Entries are in time order.
		}
		if !en.at.Before(query.from) && en.rec.visibleTo(partner) && query.filter.matches(en.rec) {
			return true
		}
	}
	return false
}

// handleGet is GET /auditactivity/v1/auditrecords/{auditId}, for partners
// that took part in the change; others get 404 as for an unknown id.
func (a *auditService) handleGet(req *apiRequest) apiResponse {
	id := req.params["auditId"]
	a.e.settle() // Records of transitions due by now exist before we read.
	a.mu.Lock()
	defer a.mu.Unlock()
	i, ok := a.byID[id]
	if !ok || !a.entries[i].rec.visibleTo(req.partner) {
		return errorResponse(http.StatusNotFound, "404", fmt.Sprintf("Audit record %s was not found.", truncate(id)))
	}
	return jsonResponse(http.StatusOK, cloneAuditRecord(a.entries[i].rec))
}
