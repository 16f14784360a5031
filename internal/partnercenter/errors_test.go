// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseErrorBody(t *testing.T) {
	longHTML := "<html><head><title>502 Bad Gateway</title></head>\n<body>" + strings.Repeat("upstream failed ", 200) + "</body></html>"
	tests := []struct {
		name     string
		status   int
		body     string
		wantCode string
		wantDesc string
		wantData []any
		wantSrc  string
	}{
		{
			name: "string code", status: 404,
			body:     `{"code": "900100", "description": "Transfer request not found", "data": [], "source": "PartnerFD"}`,
			wantCode: "900100", wantDesc: "Transfer request not found", wantData: []any{}, wantSrc: "PartnerFD",
		},
		{
			name: "number code with data", status: 409,
			body:     `{"code": 900101, "description": "original transfer t1 in progress", "data": ["t1", 2]}`,
			wantCode: "900101", wantDesc: "original transfer t1 in progress", wantData: []any{"t1", float64(2)},
		},
		{
			name: "throttling body", status: 429,
			body:     `{"statusCode": 429, "message": "Rate limit is exceeded. Try again in 57 seconds."}`,
			wantDesc: "Rate limit is exceeded. Try again in 57 seconds.",
		},
		{
			name: "gateway body", status: 401,
			body:     `{"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired."}}`,
			wantCode: "InvalidAuthenticationToken", wantDesc: "Access token has expired.",
		},
		{
			name: "HTML body is cut to 1 KiB on one line", status: 502,
			body:     longHTML,
			wantDesc: truncateText(oneLine(longHTML), maxDescriptionBytes),
		},
		{
			name: "plain text", status: 500,
			body:     "Internal Server Error\r\n",
			wantDesc: "Internal Server Error",
		},
		{
			name: "unknown JSON is kept as text", status: 400,
			body:     `{"code": true, "oops": 1}`,
			wantDesc: `{"code": true, "oops": 1}`,
		},
		{name: "empty body", status: 503, body: ""},
		{
			name: "multi-line description folded", status: 400,
			body:     `{"code": "800002", "description": "Invalid input:\nfield a\tmissing"}`,
			wantCode: "800002", wantDesc: "Invalid input: field a missing",
		},
		{
			name: "echoed bearer token is redacted", status: 401,
			body:     `{"code": "401", "description": "token Bearer eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl was rejected"}`,
			wantCode: "401", wantDesc: "token Bearer [REDACTED] was rejected",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseErrorBody(tt.status, []byte(tt.body))
			if got.StatusCode != tt.status || got.Code != tt.wantCode || got.Description != tt.wantDesc || got.Source != tt.wantSrc {
				t.Fatalf("got status %d code %q desc %q source %q\nwant %d %q %q %q",
					got.StatusCode, got.Code, got.Description, got.Source, tt.status, tt.wantCode, tt.wantDesc, tt.wantSrc)
			}
			if !reflect.DeepEqual(got.Data, tt.wantData) {
				t.Fatalf("data = %#v, want %#v", got.Data, tt.wantData)
			}
			if len(got.Description) > maxDescriptionBytes {
				t.Fatalf("description is %d bytes", len(got.Description))
			}
		})
	}
}

func TestAPIErrorText(t *testing.T) {
	base := APIError{
		Method: "PATCH", Path: "/v1/customers/c/transfers/t",
		RequestID: "req-1", CorrelationID: "corr-1",
	}
	tests := []struct {
		name string
		mod  func(*APIError)
		want string
	}{
		{
			"full", func(e *APIError) {
				e.StatusCode, e.Code, e.Description = 409, "900101", "original transfer in progress"
			},
			"PATCH /v1/customers/c/transfers/t: HTTP 409 Conflict: code 900101: original transfer in progress (MS-RequestId req-1, MS-CorrelationId corr-1)",
		},
		{
			"no code", func(e *APIError) { e.StatusCode, e.Description = 500, "boom" },
			"PATCH /v1/customers/c/transfers/t: HTTP 500 Internal Server Error: boom (MS-RequestId req-1, MS-CorrelationId corr-1)",
		},
		{
			"no body", func(e *APIError) { e.StatusCode = 599 },
			"PATCH /v1/customers/c/transfers/t: HTTP 599 (MS-RequestId req-1, MS-CorrelationId corr-1)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			tt.mod(&e)
			if got := e.Error(); got != tt.want {
				t.Fatalf("Error() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestUnauthorizedHint(t *testing.T) {
	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		w.Header().Set("WWW-Authenticate", "OAuth realm=urn:cpsvc:cpid:x")
		writeRaw(w, http.StatusUnauthorized, "", "")
	})
	c, _ := newTestClient(t, srv)
	_, err := c.GetTransfer(t.Context(), customerID, transferID)
	if err == nil || !strings.Contains(err.Error(), "HTTP 401 Unauthorized") || !strings.Contains(err.Error(), "credentials or tenant may be wrong") {
		t.Fatalf("error = %v, want the 401 hint", err)
	}
	if strings.Contains(err.Error(), "tok-1") {
		t.Fatal("the token leaked into the error text")
	}
}

func TestErrorClassifiers(t *testing.T) {
	notFound := &APIError{StatusCode: 404}
	conflict := &APIError{StatusCode: 409}
	forbidden := &APIError{StatusCode: 403}
	tests := []struct {
		name                          string
		err                           error
		isNotFound, isConflict, isFor bool
	}{
		{"nil", nil, false, false, false},
		{"plain", errors.New("x"), false, false, false},
		{"404", notFound, true, false, false},
		{"wrapped 409", fmt.Errorf("submit: %w", conflict), false, true, false},
		{"403 inside a TransportError", &TransportError{Last: forbidden, Cause: context.DeadlineExceeded}, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if IsNotFound(tt.err) != tt.isNotFound || IsConflict(tt.err) != tt.isConflict || IsForbidden(tt.err) != tt.isFor {
				t.Fatalf("classifiers = %v/%v/%v", IsNotFound(tt.err), IsConflict(tt.err), IsForbidden(tt.err))
			}
		})
	}
}

func TestTransportErrorText(t *testing.T) {
	last := &APIError{StatusCode: 503, Method: "GET", Path: "/v1/x", RequestID: "r", CorrelationID: "c"}
	tests := []struct {
		name string
		err  *TransportError
		want string
	}{
		{
			"deadline before the next retry",
			&TransportError{Method: "GET", Path: "/v1/x", Attempts: 2, Last: last, Cause: context.DeadlineExceeded, NextWait: 30 * time.Second},
			last.Error() + "; stopped after 2 attempt(s): context deadline reached before the next retry (due in 30s)",
		},
		{
			"deadline without any answer",
			&TransportError{Method: "GET", Path: "/v1/x", Attempts: 1, Cause: context.DeadlineExceeded},
			"GET /v1/x; stopped after 1 attempt(s): context deadline reached",
		},
		{
			"canceled",
			&TransportError{Method: "GET", Path: "/v1/x", Attempts: 1, Last: last, Cause: context.Canceled},
			last.Error() + "; stopped after 1 attempt(s): context canceled",
		},
		{
			"connection failures ran out",
			&TransportError{Method: "GET", Path: "/v1/x", Attempts: 4, Last: errors.New("dial tcp: connection refused")},
			"dial tcp: connection refused; gave up after 4 attempts",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Fatalf("Error() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestOneLineAndTruncate(t *testing.T) {
	if got := oneLine(" a\r\n\tb\u2028c  "); got != "a b c" {
		t.Fatalf("oneLine = %q", got)
	}
	s := strings.Repeat("é", 600) // 1200 bytes
	got := truncateText(s, maxDescriptionBytes)
	if len(got) > maxDescriptionBytes || !strings.HasSuffix(got, "...") || !strings.HasPrefix(s, strings.TrimSuffix(got, "...")) {
		t.Fatalf("truncateText gave %d bytes: %q", len(got), got[len(got)-8:])
	}
}

// Refused counts every attempt: a 5xx earlier in the call may have been
// applied, whatever the last answer says.
func TestRefusedCountsEveryAttempt(t *testing.T) {
	body := CreateTransferRequest{SourcePartnerTenantID: customerID, CustomerEmailID: "a@b.example", TransferType: 3}
	first503, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		if n == 1 {
			pcError(w, http.StatusServiceUnavailable, "900135", "retry later")
			return
		}
		pcError(w, http.StatusConflict, "900104", "being processed by another request")
	})
	c, _ := newTestClient(t, first503)
	_, err := c.CreateTransfer(t.Context(), customerID, body)
	if apiErr, ok := AsAPIError(err); !ok || apiErr.StatusCode != http.StatusConflict || apiErr.Inconclusive != 1 {
		t.Fatalf("503 then 409: err %v, want a 409 with one inconclusive attempt", err)
	}
	if Refused(err) || !UnknownOutcome(err) {
		t.Error("503 then 409: the 503 may have been applied, Refused must be false")
	}

	first504, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusGatewayTimeout)
			return
		}
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"statusCode": 429, "message": "Rate limit is exceeded."})
	})
	c, _ = newTestClient(t, first504)
	ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
	defer cancel()
	_, err = c.CreateTransfer(ctx, customerID, body)
	if _, ok := AsAPIError(err); !ok || Refused(err) {
		t.Errorf("504 then 429s until the deadline: err %v, Refused %v; want an APIError that is not refused", err, Refused(err))
	}
}

// StopOnUnknownOutcome hands an unknown outcome back instead of retrying,
// still retries throttling, and WithRequestID sets the MS-RequestId.
func TestStopOnUnknownOutcomeAndRequestID(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "0")
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"statusCode": 429, "message": "Rate limit is exceeded."})
		default:
			pcError(w, http.StatusBadGateway, "", "bad gateway")
		}
	})
	c, _ := newTestClient(t, srv)
	ctx := StopOnUnknownOutcome(WithRequestID(t.Context(), "11111111-2222-4333-8444-555555555555"))
	_, err := c.CreateTransfer(ctx, customerID, CreateTransferRequest{SourcePartnerTenantID: customerID, CustomerEmailID: "a@b.example", TransferType: 3})
	if apiErr, ok := AsAPIError(err); !ok || apiErr.StatusCode != http.StatusBadGateway {
		t.Fatalf("err %v, want the 502", err)
	}
	reqs := log.all()
	if len(reqs) != 2 {
		t.Fatalf("%d attempts, want 2 (the 429 retried, the 502 not)", len(reqs))
	}
	for _, r := range reqs {
		if got := r.Header.Get("MS-RequestId"); got != "11111111-2222-4333-8444-555555555555" {
			t.Errorf("MS-RequestId %q, want the caller's", got)
		}
	}
}
