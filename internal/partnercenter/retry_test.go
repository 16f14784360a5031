// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRetriesThenSucceeds(t *testing.T) {
	tests := []struct {
		name     string
		failures []int
	}{
		{"429 then success", []int{http.StatusTooManyRequests}},
		{"5xx burst then success", []int{500, 502, 503, 504}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
				if n <= len(tt.failures) {
					pcError(w, tt.failures[n-1], "900135", "initiate transfer failed, retry later")
					return
				}
				writeRaw(w, http.StatusCreated, "application/json", sampleTransfer)
			})
			c, tokens := newTestClient(t, srv)

			got, err := c.CreateTransfer(t.Context(), customerID, CreateTransferRequest{CustomerEmailID: "a@b.example"})
			if err != nil {
				t.Fatal(err)
			}
			checkSampleTransfer(t, got)

			reqs := log.all()
			want := len(tt.failures) + 1
			if len(reqs) != want {
				t.Fatalf("attempts = %d, want %d", len(reqs), want)
			}
			firstBody := string(reqs[0].Body)
			for i, r := range reqs {
				if r.Header.Get("MS-RequestId") != reqs[0].Header.Get("MS-RequestId") ||
					r.Header.Get("MS-CorrelationId") != reqs[0].Header.Get("MS-CorrelationId") {
					t.Errorf("attempt %d changed the request ids", i+1)
				}
				if string(r.Body) != firstBody || firstBody == "" {
					t.Errorf("attempt %d body = %q, want %q", i+1, r.Body, firstBody)
				}
				if got, want := r.Header.Get("Authorization"), "Bearer tok-"+strconv.Itoa(i+1); got != want {
					t.Errorf("attempt %d Authorization = %q, want %q (fresh token per attempt)", i+1, got, want)
				}
			}
			if tokens.count() != want {
				t.Errorf("token fetched %d times, want %d", tokens.count(), want)
			}
			stats := c.Stats()
			if stats.Attempts[http.MethodPost] != want || stats.Retries != want-1 {
				t.Errorf("stats = %+v, want %d POST attempts and %d retries", stats, want, want-1)
			}
		})
	}
}

func TestNonRetryableStatusesAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 412, 501} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
				pcError(w, status, "900101", "original transfer in progress")
			})
			c, _ := newTestClient(t, srv)

			_, err := c.SubmitTransfer(t.Context(), customerID, transferID, nil)
			apiErr, ok := AsAPIError(err)
			if !ok || apiErr.StatusCode != status || apiErr.Attempts != 1 {
				t.Fatalf("error = %#v, want an APIError %d after 1 attempt", err, status)
			}
			if log.len() != 1 {
				t.Fatalf("attempts = %d, want 1", log.len())
			}
		})
	}
}

func TestRetriesRunOut(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		pcError(w, http.StatusServiceUnavailable, n, "busy "+strconv.Itoa(n))
	})
	c, _ := newTestClient(t, srv, func(o *Options) { o.RetryMax = 2 })

	_, err := c.GetTransfer(t.Context(), customerID, transferID)
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.StatusCode != http.StatusServiceUnavailable || apiErr.Attempts != 3 {
		t.Fatalf("error = %v, want the APIError of the third attempt", err)
	}
	if apiErr.Code != "3" || apiErr.Description != "busy 3" {
		t.Fatalf("APIError code/description = %q/%q, want the last body", apiErr.Code, apiErr.Description)
	}
	if log.len() != 3 {
		t.Fatalf("attempts = %d, want 3", log.len())
	}
}

func TestRetryAfterIsHonored(t *testing.T) {
	tests := []struct {
		name string
		// header returns the Retry-After value and the earliest time the
		// retry may arrive.
		header func(now time.Time) (string, time.Time)
	}{
		{"seconds", func(now time.Time) (string, time.Time) {
			return "1", now.Add(time.Second)
		}},
		{"HTTP-date", func(now time.Time) (string, time.Time) {
			when := now.Add(time.Second).Truncate(time.Second)
			return when.UTC().Format(http.TimeFormat), when
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var earliest time.Time
			srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, seen seenRequest, n int) {
				if n == 1 {
					var value string
					value, earliest = tt.header(seen.At)
					w.Header().Set("Retry-After", value)
					writeJSON(w, http.StatusTooManyRequests, ThrottleBody{StatusCode: 429, Message: "Rate limit is exceeded."})
					return
				}
				writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
			})
			// RetryWaitMax of 4ms must not shorten the server's Retry-After.
			c, _ := newTestClient(t, srv)

			if _, err := c.GetTransfer(t.Context(), customerID, transferID); err != nil {
				t.Fatal(err)
			}
			reqs := log.all()
			if len(reqs) != 2 {
				t.Fatalf("attempts = %d, want 2", len(reqs))
			}
			if reqs[1].At.Before(earliest) {
				t.Fatalf("retry came %s early", earliest.Sub(reqs[1].At))
			}
		})
	}
}

// TestDroppedConnectionAfterCommitIsRetriedIdempotently plays a server that
// stores the transfer, then loses the connection before answering. The
// retry must carry the same MS-RequestId so the server can answer with
// the stored transfer instead of creating a second one.
func TestDroppedConnectionAfterCommitIsRetriedIdempotently(t *testing.T) {
	var mu sync.Mutex
	created := map[string]string{} // MS-RequestId -> transfer id
	srv, log := testServer(t, func(w http.ResponseWriter, r *http.Request, _ seenRequest, n int) {
		mu.Lock()
		id, replay := created[r.Header.Get("MS-RequestId")]
		if !replay {
			id = "transfer-" + strconv.Itoa(len(created)+1)
			created[r.Header.Get("MS-RequestId")] = id
		}
		mu.Unlock()
		if n == 1 {
			hijacker, ok := w.(http.Hijacker)
			if !ok {
				t.Error("response writer cannot hijack")
				return
			}
			if conn, _, err := hijacker.Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		writeJSON(w, http.StatusCreated, Transfer{ID: id, Status: StatusPending})
	})
	c, _ := newTestClient(t, srv)

	got, err := c.CreateTransfer(t.Context(), customerID, CreateTransferRequest{CustomerEmailID: "a@b.example"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := log.all()
	if len(reqs) != 2 || reqs[0].Header.Get("MS-RequestId") != reqs[1].Header.Get("MS-RequestId") {
		t.Fatalf("attempts = %d, want 2 with one MS-RequestId", len(reqs))
	}
	if len(created) != 1 || got.ID != "transfer-1" {
		t.Fatalf("server holds %d transfers, caller got %q; want exactly transfer-1", len(created), got.ID)
	}

	// A new logical call is a new request: new id, new transfer.
	again, err := c.CreateTransfer(t.Context(), customerID, CreateTransferRequest{CustomerEmailID: "a@b.example"})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != "transfer-2" || log.all()[2].Header.Get("MS-RequestId") == reqs[0].Header.Get("MS-RequestId") {
		t.Fatalf("second call got %q with a reused MS-RequestId", again.ID)
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// An endpoint that never answered is not retried: a refused connection, an
// unknown host or a failed TLS handshake fail the first attempt (they used
// to take 11 attempts and minutes of backoff).
func TestEndpointThatNeverAnsweredIsNotRetried(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	t.Cleanup(plain.Close)
	tests := []struct {
		name, endpoint, want string
	}{
		{"connection refused", "http://" + closedPort(t), "connection refused"},
		{"unknown host", "http://partnercenter.invalid", "no such host"},
		{"TLS handshake with a plain HTTP server", "https://" + strings.TrimPrefix(plain.URL, "http://"), "server gave HTTP response to HTTPS client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Options{
				Endpoint: tt.endpoint, Token: &countingTokens{prefix: "tok"},
				RetryMax: 5, RetryWaitMin: time.Hour, RetryWaitMax: time.Hour, // a retry would hang the test
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetTransfer(t.Context(), customerID, transferID)
			var terr *TransportError
			if !errors.As(err, &terr) || terr.Attempts != 1 || terr.Last == nil {
				t.Fatalf("error = %#v, want a TransportError after 1 attempt", err)
			}
			if !IsConnectFailure(err) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q: want a connect failure mentioning %q", err, tt.want)
			}
			if _, ok := AsAPIError(err); ok {
				t.Fatal("a connection failure must not look like an APIError")
			}
			if n := c.Stats().Attempts[http.MethodGet]; n != 1 {
				t.Fatalf("attempts = %d, want 1", n)
			}
		})
	}
}

// Once the endpoint has answered, a refused connection is a blip (a
// restart, a load balancer) and is retried until the retries run out.
func TestConnectionErrorsAfterAnAnswerRunOut(t *testing.T) {
	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	c, _ := newTestClient(t, srv, func(o *Options) { o.RetryMax = 2 })
	if _, err := c.GetTransfer(t.Context(), customerID, transferID); err != nil {
		t.Fatal(err)
	}
	srv.Close() // the endpoint that answered now refuses connections

	_, err := c.GetTransfer(t.Context(), customerID, transferID)
	var terr *TransportError
	if !errors.As(err, &terr) || terr.Attempts != 3 || terr.Last == nil {
		t.Fatalf("error = %#v, want a TransportError after 3 attempts", err)
	}
	if !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Fatalf("error text = %q", err)
	}
	if n := c.Stats().Attempts[http.MethodGet]; n != 4 {
		t.Fatalf("attempts = %d, want 1 answered + 3 refused", n)
	}
}

func TestDeadlineReportsLastAPIError(t *testing.T) {
	t.Run("Retry-After beyond the deadline stops at once", func(t *testing.T) {
		srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
			w.Header().Set("Retry-After", "30")
			writeJSON(w, http.StatusTooManyRequests, ThrottleBody{StatusCode: 429, Message: "Rate limit is exceeded. Try again in 30 seconds."})
		})
		c, _ := newTestClient(t, srv)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()

		start := time.Now()
		_, err := c.GetTransfer(ctx, customerID, transferID)
		if time.Since(start) > 2*time.Second {
			t.Fatalf("waited %s although the retry could not fit", time.Since(start))
		}
		checkDeadlineError(t, err, http.StatusTooManyRequests)
		apiErr, _ := AsAPIError(err)
		if apiErr.RetryAfter != 30*time.Second || apiErr.Description != "Rate limit is exceeded. Try again in 30 seconds." {
			t.Fatalf("APIError = %+v", apiErr)
		}
		if log.len() != 1 || c.Stats().Retries != 0 {
			t.Fatalf("attempts = %d, retries = %d; want 1 and 0", log.len(), c.Stats().Retries)
		}
	})

	t.Run("deadline while an attempt is in flight", func(t *testing.T) {
		srv, _ := testServer(t, func(w http.ResponseWriter, r *http.Request, _ seenRequest, n int) {
			if n == 1 {
				pcError(w, http.StatusBadGateway, "", "gateway trouble")
				return
			}
			<-r.Context().Done() // hang until the client gives up
		})
		c, _ := newTestClient(t, srv)
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()

		_, err := c.GetTransfer(ctx, customerID, transferID)
		checkDeadlineError(t, err, http.StatusBadGateway)
	})

	t.Run("deadline before any answer", func(t *testing.T) {
		srv, _ := testServer(t, func(_ http.ResponseWriter, r *http.Request, _ seenRequest, _ int) {
			<-r.Context().Done()
		})
		c, _ := newTestClient(t, srv)
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()

		_, err := c.GetTransfer(ctx, customerID, transferID)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "deadline") {
			t.Fatalf("error = %v, want a deadline error", err)
		}
		if _, ok := AsAPIError(err); ok {
			t.Fatal("no API answer came back, yet an APIError was reported")
		}
	})
}

func checkDeadlineError(t *testing.T, err error, wantStatus int) {
	t.Helper()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("errors.Is(err, DeadlineExceeded) = false for %v", err)
	}
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.StatusCode != wantStatus {
		t.Fatalf("error = %v, want the last APIError (%d) inside", err, wantStatus)
	}
	if !strings.HasPrefix(err.Error(), apiErr.Error()) || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("error text %q must start with the last API error and mention the deadline", err)
	}
}

func TestCancelWhileWaitingKeepsLastAPIError(t *testing.T) {
	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		w.Header().Set("Retry-After", "60")
		pcError(w, http.StatusServiceUnavailable, "900135", "retry later")
	})
	c, _ := newTestClient(t, srv)
	ctx, cancel := context.WithCancel(t.Context())

	done := make(chan error, 1)
	go func() {
		_, err := c.GetTransfer(ctx, customerID, transferID)
		done <- err
	}()
	// Cancel once the first answer has been processed (the attempt is
	// counted after its error is recorded) and the client is waiting.
	for deadline := time.Now().Add(10 * time.Second); c.Stats().Attempts[http.MethodGet] == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the first attempt never finished")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()

	select {
	case err := <-done:
		apiErr, ok := AsAPIError(err)
		if !ok || apiErr.Code != "900135" {
			t.Fatalf("error = %v, want the 503 APIError inside", err)
		}
		if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), apiErr.Error()) {
			t.Fatalf("error = %v, want a cancellation that starts with the last API error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the call did not return after cancellation")
	}
}

func TestTokenErrorOnRetryKeepsLastAPIError(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		pcError(w, http.StatusInternalServerError, "900103", "order failed")
	})
	c, tokens := newTestClient(t, srv)
	tokenErr := errors.New("refresh token expired")
	tokens.err, tokens.failAfter = tokenErr, 1

	_, err := c.GetTransfer(t.Context(), customerID, transferID)
	if !errors.Is(err, tokenErr) || !strings.Contains(err.Error(), "get access token") {
		t.Fatalf("error = %v, want the token error", err)
	}
	if apiErr, ok := AsAPIError(err); !ok || apiErr.Code != "900103" {
		t.Fatalf("error = %v, want the last APIError kept", err)
	}
	if log.len() != 1 {
		t.Fatalf("attempts = %d, want 1", log.len())
	}
}

func TestDelay(t *testing.T) {
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	low := func(int64) int64 { return 0 }
	high := func(n int64) int64 { return n - 1 }
	policy := func(random func(int64) int64) retryPolicy {
		return retryPolicy{waitMin: time.Second, waitMax: 60 * time.Second, now: func() time.Time { return now }, random: random}
	}
	retryAfter := func(value string) http.Header {
		return http.Header{"Retry-After": {value}}
	}
	tests := []struct {
		name    string
		random  func(int64) int64
		attempt int
		header  http.Header
		want    time.Duration
	}{
		{"first retry waits the minimum", high, 0, nil, time.Second},
		{"jitter lower half bound", low, 3, http.Header{}, 4 * time.Second},
		{"jitter upper bound", high, 3, http.Header{}, 8 * time.Second},
		{"capped at max", high, 20, http.Header{}, 60 * time.Second},
		{"huge attempt does not overflow", high, 1000, nil, 60 * time.Second},
		{"Retry-After seconds beyond max", high, 0, retryAfter("120"), 120 * time.Second},
		{"Retry-After zero", high, 5, retryAfter("0"), 0},
		{"Retry-After date", low, 0, retryAfter(now.Add(90 * time.Second).Format(http.TimeFormat)), 90 * time.Second},
		{"Retry-After date in the past", low, 0, retryAfter(now.Add(-time.Hour).Format(http.TimeFormat)), 0},
		{"invalid Retry-After falls back", low, 1, retryAfter("soon"), time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := policy(tt.random).delay(tt.attempt, tt.header); got != tt.want {
				t.Fatalf("delay = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"57", 57 * time.Second, true},
		{" 3 ", 3 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"99999999999999999999", time.Duration(1<<63 - 1), true},
		{"Sat, 01 Mar 2025 10:00:30 GMT", 30 * time.Second, true},
		{"Saturday, 01-Mar-25 10:01:00 GMT", time.Minute, true},
		{"Sat Mar  1 10:00:05 2025", 5 * time.Second, true},
		{"Fri, 28 Feb 2025 10:00:00 GMT", 0, true},
		{"tomorrow", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.value, now)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("parseRetryAfter(%q) = %s, %v; want %s, %v", tt.value, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestRetryUsesSameBodyForEveryAttempt guards the body rewind of PATCH
// retries, which a consumed reader would break.
func TestRetryUsesSameBodyForEveryAttempt(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		if n < 3 {
			pcError(w, http.StatusInternalServerError, 500, "x")
			return
		}
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	c, _ := newTestClient(t, srv)
	if _, err := c.SubmitTransfer(t.Context(), customerID, transferID, []SubmitLineItem{{SubscriptionID: "s", ProductType: ProductAzureSubscription}}); err != nil {
		t.Fatal(err)
	}
	for i, r := range log.all() {
		var body SubmitTransferRequest
		if err := json.Unmarshal(r.Body, &body); err != nil || len(body.LineItems) != 1 || body.ID != transferID {
			t.Fatalf("attempt %d body = %s", i+1, r.Body)
		}
	}
}

// A throttled partner budget must slow calls down, not fail them: 429s do
// not use up RetryMax, while other retryable answers still do.
func TestThrottlingDoesNotUseUpRetries(t *testing.T) {
	const throttledAnswers = 12 // well over RetryMax
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		if n <= throttledAnswers {
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"statusCode": 429, "message": "Rate limit is exceeded."})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": transferID, "status": "Pending"})
	})
	c, _ := newTestClient(t, srv, func(o *Options) { o.RetryMax = 3 })
	got, err := c.GetTransfer(t.Context(), customerID, transferID)
	if err != nil {
		t.Fatalf("after %d throttled answers the call failed: %v", throttledAnswers, err)
	}
	if got.ID != transferID || log.len() != throttledAnswers+1 {
		t.Fatalf("got %q after %d requests, want the transfer after %d", got.ID, log.len(), throttledAnswers+1)
	}
	ids := map[string]bool{}
	for _, r := range log.all() {
		ids[r.Header.Get("MS-RequestId")] = true
	}
	if len(ids) != 1 {
		t.Fatalf("retries of one call used %d MS-RequestIds, want 1", len(ids))
	}

	unavailable, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		pcError(w, http.StatusServiceUnavailable, "503", "unavailable")
	})
	c, _ = newTestClient(t, unavailable, func(o *Options) { o.RetryMax = 3 })
	if _, err := c.GetTransfer(t.Context(), customerID, transferID); err == nil || log.len() != 4 {
		t.Fatalf("503s: err=%v after %d requests, want a failure after RetryMax+1 = 4", err, log.len())
	}
}

// Refused tells a caller whether it may look for a request that went through
// although its answer was lost: only when every attempt was answered with a
// 4xx is it certain nothing was applied.
func TestRefusedOnlyWhenEveryAttemptWasAnswered(t *testing.T) {
	refusing, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		if n <= 2 {
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"statusCode": 429, "message": "Rate limit is exceeded."})
			return
		}
		pcError(w, http.StatusBadRequest, "800002", "bad input")
	})
	c, _ := newTestClient(t, refusing)
	_, err := c.CreateTransfer(t.Context(), customerID, CreateTransferRequest{SourcePartnerTenantID: customerID, CustomerEmailID: "a@b.example", TransferType: 3})
	if !Refused(err) {
		t.Fatalf("429, 429, 400: Refused = false, want true (err %v)", err)
	}

	dropping, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		if n == 1 {
			if hijacker, ok := w.(http.Hijacker); ok {
				if conn, _, err := hijacker.Hijack(); err == nil {
					_ = conn.Close()
					return
				}
			}
		}
		pcError(w, http.StatusConflict, "900104", "being processed by another request")
	})
	c, _ = newTestClient(t, dropping)
	_, err = c.CreateTransfer(t.Context(), customerID, CreateTransferRequest{SourcePartnerTenantID: customerID, CustomerEmailID: "a@b.example", TransferType: 3})
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.StatusCode != http.StatusConflict || apiErr.Unanswered != 1 {
		t.Fatalf("dropped, then 409: err %v, want a 409 APIError with 1 unanswered attempt", err)
	}
	if Refused(err) {
		t.Fatal("an attempt went unanswered, so the create may have been applied: Refused must be false")
	}
	if Refused(errors.New("connection reset")) || Refused(nil) {
		t.Fatal("only an APIError can prove a refusal")
	}
}
