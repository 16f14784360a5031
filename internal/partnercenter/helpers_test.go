// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// countingTokens hands out "<prefix>-1", "<prefix>-2", ... so tests can
// see which attempt used which token.
type countingTokens struct {
	prefix string
	err    error // returned from call failAfter+1 on, when set
	// failAfter is how many tokens are handed out before err is returned.
	failAfter int

	mu sync.Mutex
	n  int
}

func (s *countingTokens) Token(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil && s.n >= s.failAfter {
		return "", s.err
	}
	s.n++
	return fmt.Sprintf("%s-%d", s.prefix, s.n), nil
}

func (s *countingTokens) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// seenRequest is what the test server observed of one attempt.
type seenRequest struct {
	Method     string
	RequestURI string
	Path       string
	Query      string
	Header     http.Header
	Body       []byte
	At         time.Time
}

// requestLog records every request a test server receives.
type requestLog struct {
	mu   sync.Mutex
	reqs []seenRequest
}

func (l *requestLog) record(r *http.Request) seenRequest {
	body, _ := io.ReadAll(r.Body)
	s := seenRequest{
		Method:     r.Method,
		RequestURI: r.RequestURI,
		Path:       r.URL.Path,
		Query:      r.URL.RawQuery,
		Header:     r.Header.Clone(),
		Body:       body,
		At:         time.Now(),
	}
	l.mu.Lock()
	l.reqs = append(l.reqs, s)
	l.mu.Unlock()
	return s
}

func (l *requestLog) all() []seenRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]seenRequest(nil), l.reqs...)
}

func (l *requestLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

// testServer runs handler behind a request log. handler gets the attempt
// number (1-based) of the request across the server's lifetime.
func testServer(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, seen seenRequest, n int)) (*httptest.Server, *requestLog) {
	t.Helper()
	log := &requestLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen := log.record(r)
		handler(w, r, seen, log.len())
	}))
	t.Cleanup(srv.Close)
	return srv, log
}

// newTestClient returns a client for srv with millisecond backoff bounds.
func newTestClient(t *testing.T, srv *httptest.Server, tweak ...func(*Options)) (*Client, *countingTokens) {
	t.Helper()
	tokens := &countingTokens{prefix: "tok"}
	opts := Options{
		Endpoint:     srv.URL,
		Token:        tokens,
		HTTPClient:   srv.Client(),
		UserAgent:    "terraform-provider-partnercenter/test terraform/1.14.0",
		RetryMax:     5,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 4 * time.Millisecond,
	}
	for _, f := range tweak {
		f(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, tokens
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeRaw(w http.ResponseWriter, status int, contentType, body string) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// pcError writes a Partner Center error body.
func pcError(w http.ResponseWriter, status int, code any, description string) {
	writeJSON(w, status, map[string]any{"code": code, "description": description, "data": []any{}, "source": "PartnerFD"})
}

const (
	customerID = "11111111-1111-1111-1111-111111111111"
	transferID = "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11"
)

// sampleTransfer is a service-shaped transfer; the line item id is a JSON
// number as in Microsoft's examples.
const sampleTransfer = `{
  "id": "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11",
  "status": "Pending",
  "transferType": 3,
  "customerEmailId": "it-admin@customer.example",
  "createdTime": "2025-03-01T10:15:30.1234567Z",
  "expirationTime": "2025-03-31T10:15:30Z",
  "completedTime": null,
  "customerTenantId": "11111111-1111-1111-1111-111111111111",
  "partnertenantid": "22222222-2222-2222-2222-222222222222",
  "sourcePartnerTenantId": "33333333-3333-3333-3333-333333333333",
  "transferDirection": 1,
  "lineItems": [{"id": 0, "subscriptionId": "9A7C2C5E-6E2D-4C1E-9C7F-1D4B7B3E2A10", "productType": "OnlineServicesNCE"}],
  "links": {"self": {"uri": "/customers/11111111-1111-1111-1111-111111111111/transfers/2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11", "method": "GET", "headers": []}},
  "attributes": {"objectType": "TransferEntity"}
}`

func mustJSON(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, data)
	}
	return m
}
