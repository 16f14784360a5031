// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestNewValidatesEndpoint(t *testing.T) {
	tests := []struct {
		endpoint string
		wantErr  string
	}{
		{"", "endpoint is required"},
		{"api.partnercenter.microsoft.com", "absolute http or https URL"},
		{"/v1/customers", "absolute http or https URL"},
		{"ftp://api.partnercenter.microsoft.com", "absolute http or https URL"},
		{"https://", "has no host"},
		{"https://api.example?x=1", "must not contain"},
		{"https://user:pw@api.example", "must not contain"},
		{"https://api.example/#frag", "must not contain"},
		{"https://api.partnercenter.microsoft.com", ""},
		{"https://api.partnercenter.microsoft.com/", ""},
		{"http://127.0.0.1:8080/emulator/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint, func(t *testing.T) {
			_, err := New(Options{Endpoint: tt.endpoint, Token: &countingTokens{}})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewRequiresTokenProvider(t *testing.T) {
	if _, err := New(Options{Endpoint: "https://api.example"}); err == nil || !strings.Contains(err.Error(), "TokenProvider") {
		t.Fatalf("error = %v, want a missing TokenProvider error", err)
	}
}

func TestNewAppliesDefaults(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		wantMax  int
		wantMin  time.Duration
		wantWait time.Duration
	}{
		{"zero values", Options{}, DefaultRetryMax, DefaultRetryWaitMin, DefaultRetryWaitMax},
		{"negative RetryMax disables retries", Options{RetryMax: -1}, 0, DefaultRetryWaitMin, DefaultRetryWaitMax},
		{"max below min is raised", Options{RetryMax: 3, RetryWaitMin: 2 * time.Second, RetryWaitMax: time.Second}, 3, 2 * time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Endpoint = "https://api.example"
			tt.opts.Token = &countingTokens{}
			c, err := New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if c.retry.max != tt.wantMax || c.retry.waitMin != tt.wantMin || c.retry.waitMax != tt.wantWait {
				t.Fatalf("retry = %d/%s/%s, want %d/%s/%s", c.retry.max, c.retry.waitMin, c.retry.waitMax, tt.wantMax, tt.wantMin, tt.wantWait)
			}
			if c.locale != DefaultLocale || c.userAgent != DefaultUserAgent {
				t.Fatalf("locale/UA = %q/%q, want defaults", c.locale, c.userAgent)
			}
		})
	}
}

func TestRequestHeaders(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	c, _ := newTestClient(t, srv, func(o *Options) { o.Locale = "de-DE" })

	if _, err := c.GetTransfer(t.Context(), customerID, transferID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateTransfer(t.Context(), customerID, CreateTransferRequest{CustomerEmailID: "a@b.example", TransferType: TransferTypeNewCommerce}); err != nil {
		t.Fatal(err)
	}

	reqs := log.all()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want 2", len(reqs))
	}
	for i, r := range reqs {
		wantAuth := "Bearer tok-" + strconv.Itoa(i+1)
		checks := map[string]string{
			"Accept":        "application/json",
			"X-Locale":      "de-DE",
			"User-Agent":    "terraform-provider-partnercenter/test terraform/1.14.0",
			"Authorization": wantAuth,
		}
		for name, want := range checks {
			if got := r.Header.Get(name); got != want {
				t.Errorf("request %d: %s = %q, want %q", i, name, got, want)
			}
		}
		for _, name := range []string{"MS-RequestId", "MS-CorrelationId"} {
			if _, err := uuid.Parse(r.Header.Get(name)); err != nil {
				t.Errorf("request %d: %s = %q is not a GUID", i, name, r.Header.Get(name))
			}
		}
		if r.Header.Get("MS-RequestId") == r.Header.Get("MS-CorrelationId") {
			t.Errorf("request %d: request and correlation ids are equal", i)
		}
	}
	if ct := reqs[0].Header.Get("Content-Type"); ct != "" {
		t.Errorf("GET sent Content-Type %q, want none", ct)
	}
	if ct := reqs[1].Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("POST Content-Type = %q, want application/json", ct)
	}
}

func TestDefaultLocaleHeader(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	c, _ := newTestClient(t, srv)
	if _, err := c.GetTransfer(t.Context(), customerID, transferID); err != nil {
		t.Fatal(err)
	}
	if got := log.all()[0].Header.Get("X-Locale"); got != "en-US" {
		t.Fatalf("X-Locale = %q, want en-US", got)
	}
}

func TestEachLogicalCallGetsNewIDs(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	c, _ := newTestClient(t, srv)
	for range 3 {
		if _, err := c.GetTransfer(t.Context(), customerID, transferID); err != nil {
			t.Fatal(err)
		}
	}
	requestIDs, correlationIDs := map[string]bool{}, map[string]bool{}
	for _, r := range log.all() {
		requestIDs[r.Header.Get("MS-RequestId")] = true
		correlationIDs[r.Header.Get("MS-CorrelationId")] = true
	}
	if len(requestIDs) != 3 || len(correlationIDs) != 3 {
		t.Fatalf("got %d request ids and %d correlation ids over 3 calls, want 3 each", len(requestIDs), len(correlationIDs))
	}
}

func TestTokenErrorStopsBeforeSending(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	tokenErr := errors.New("entra: invalid client")
	c, tokens := newTestClient(t, srv)
	tokens.err = tokenErr

	_, err := c.GetTransfer(t.Context(), customerID, transferID)
	if !errors.Is(err, tokenErr) || !strings.Contains(err.Error(), "get access token") {
		t.Fatalf("error = %v, want the wrapped token error", err)
	}
	if log.len() != 0 {
		t.Fatalf("server saw %d requests, want none", log.len())
	}
}

func TestPathSegmentsAreEscaped(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	c, _ := newTestClient(t, srv, func(o *Options) { o.Endpoint = srv.URL + "/pc/" })

	if _, err := c.GetTransfer(t.Context(), "a/b c?d#e", "t%1"); err != nil {
		t.Fatal(err)
	}
	want := "/pc/v1/customers/a%2Fb%20c%3Fd%23e/transfers/t%251"
	if got := log.all()[0].RequestURI; got != want {
		t.Fatalf("request URI = %q, want %q", got, want)
	}
}

func TestRejectsIDsThatChangeThePath(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	c, _ := newTestClient(t, srv)
	for _, id := range []string{"", " ", ".", ".."} {
		if _, err := c.GetTransfer(t.Context(), id, transferID); err == nil {
			t.Errorf("customer id %q: no error", id)
		}
		if _, err := c.GetTransfer(t.Context(), customerID, id); err == nil {
			t.Errorf("transfer id %q: no error", id)
		}
	}
	if log.len() != 0 {
		t.Fatalf("server saw %d requests, want none", log.len())
	}
}

type countingTransport struct {
	next  http.RoundTripper
	calls atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.calls.Add(1)
	return c.next.RoundTrip(r)
}

func TestUsesCallerHTTPClientWithoutModifyingIt(t *testing.T) {
	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	transport := &countingTransport{next: srv.Client().Transport}
	base := &http.Client{Transport: transport}
	c, _ := newTestClient(t, srv, func(o *Options) { o.HTTPClient = base })

	if _, err := c.GetTransfer(t.Context(), customerID, transferID); err != nil {
		t.Fatal(err)
	}
	if transport.calls.Load() != 1 {
		t.Fatalf("caller transport used %d times, want 1", transport.calls.Load())
	}
	if base.Transport != transport {
		t.Fatal("caller's http.Client was modified")
	}
}
