// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

// maxBodyBytes bounds request bodies; transfer bodies are a few KiB.
const maxBodyBytes = 1 << 20

// serveAPI runs one /v1/ or /webhooks/ request through the same steps as
// the real service plus the emulator's fault hooks: request ids, routing,
// faults, authentication, throttling, MS-RequestId replay, the operation.
func (e *Emulator) serveAPI(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	clientRequestID := strings.TrimSpace(r.Header.Get("MS-RequestId"))
	requestID := clientRequestID
	if requestID == "" {
		requestID = uuid.NewString()
	}
	correlationID := strings.TrimSpace(r.Header.Get("MS-CorrelationId"))
	if correlationID == "" {
		correlationID = uuid.NewString()
	}
	locale := r.Header.Get("X-Locale")
	if locale == "" {
		locale = "en-US"
	}
	h := w.Header()
	h.Set("MS-RequestId", requestID)
	h.Set("MS-CorrelationId", correlationID)
	h.Set("X-Locale", locale)

	outcome := "dropped"
	name := "unknown"
	defer func() {
		e.logf("%s %s -> %s route=%s ms-requestid=%s ms-correlationid=%s %s",
			r.Method, r.URL.Path, outcome, name, requestID, correlationID, time.Since(started).Round(time.Microsecond))
	}()
	write := func(res apiResponse) {
		outcome = strconv.Itoa(res.Status)
		e.countResponse(res.Status)
		writeResponse(w, res)
	}

	rt, params, allowed := e.match(r.Method, r.URL.Path)
	body, err := readBody(w, r)
	if err != nil {
		write(errorResponse(http.StatusRequestEntityTooLarge, "413", err.Error()))
		return
	}
	if rt != nil {
		name = rt.routeName(body)
	}
	e.stats.request(name, r.Method)

	decision := e.faults.decide(name, r.Method)
	if !e.applyLatency(r, decision) {
		return
	}
	dropAfterCommit := false
	if f := decision.terminal; f != nil {
		switch f.Kind {
		case FaultStatus:
			write(faultResponse(*f))
			return
		case FaultDropBeforeCommit:
			dropConnection(w)
			return
		case FaultDropAfterCommit:
			dropAfterCommit = true
		}
	}
	res := e.serveRouted(r, rt, params, allowed, body, name, clientRequestID)
	if dropAfterCommit {
		dropConnection(w)
		return
	}
	write(res)
}

// serveRouted authenticates, throttles and runs the operation, replaying
// the stored answer for a repeated (partner, MS-RequestId).
func (e *Emulator) serveRouted(r *http.Request, rt *route, params map[string]string, allowed []string,
	body []byte, name, clientRequestID string,
) apiResponse {
	if rt == nil && len(allowed) == 0 {
		return errorResponse(http.StatusNotFound, "404", fmt.Sprintf("No resource matches %s %s.", r.Method, r.URL.Path))
	}
	if rt == nil {
		res := errorResponse(http.StatusMethodNotAllowed, "405",
			fmt.Sprintf("The method %s is not allowed on %s.", r.Method, r.URL.Path))
		res.Header.Set("Allow", strings.Join(allowed, ", "))
		return res
	}
	ident, err := e.entra.Authenticate(r)
	if err != nil {
		return e.unauthorized(err)
	}
	e.stats.authenticated(r.RemoteAddr, ident.ObjectID, r.Header.Get("Authorization"))
	partner, _ := canonicalGUID(ident.TenantID)
	if !e.isPartner(partner) {
		return errorResponse(http.StatusForbidden, codePartnerNotEnabled,
			fmt.Sprintf("Tenant %s is not a Partner Center partner known to this emulator.", ident.TenantID))
	}
	if ok, retryAfter := e.limiter.allow(partner); !ok {
		return throttleResponse(retryAfter)
	}
	req := &apiRequest{r: r, body: body, route: name, params: params, partner: partner, objectID: ident.ObjectID}
	if clientRequestID == "" || (r.Method != http.MethodPost && r.Method != http.MethodPatch) {
		return rt.handle(req)
	}
	return e.serveRepeatable(r.Context(), rt, req, idempotencyKey{partner: partner, requestID: clientRequestID})
}

func (e *Emulator) isPartner(tenant string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.w.partners[tenant] != nil
}

// unauthorized is the 401 answer; the description says why without ever
// echoing the token.
func (e *Emulator) unauthorized(err error) apiResponse {
	why := "The access token is invalid."
	switch {
	case errors.Is(err, fakeentra.ErrMissingToken):
		why = "No bearer access token was sent."
	case errors.Is(err, fakeentra.ErrExpiredToken):
		why = "The access token has expired."
	}
	res := errorResponse(http.StatusUnauthorized, "401", "Authentication failed. "+why)
	res.Header.Set("WWW-Authenticate", "OAuth realm=urn:cpsvc:cpid:"+e.realm)
	return res
}

func (e *Emulator) countResponse(status int) {
	switch status {
	case http.StatusTooManyRequests:
		e.stats.add(func(s *Stats) { s.Throttled++ })
	case http.StatusUnauthorized:
		e.stats.add(func(s *Stats) { s.Unauthorized++ })
	}
}

// applyLatency sleeps for injected latency; false means the client went away.
func (e *Emulator) applyLatency(r *http.Request, d faultDecision) bool {
	if d.injected > 0 {
		e.stats.add(func(s *Stats) { s.FaultsInjected += d.injected })
	}
	if d.latency <= 0 {
		return true
	}
	t := time.NewTimer(d.latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// faultResponse is an injected error status.
func faultResponse(f Fault) apiResponse {
	status := f.Status
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	if status == http.StatusTooManyRequests {
		return throttleResponse(max(1, f.RetryAfter))
	}
	res := errorResponse(status, strconv.Itoa(status), fmt.Sprintf("Injected fault: HTTP %d %s.", status, http.StatusText(status)))
	if f.RetryAfter > 0 {
		res.Header.Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	return res
}

// readBody reads a bounded body for methods that carry one.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, fmt.Errorf("the request body exceeds %d bytes", maxBodyBytes)
		}
		return nil, nil // A broken upload reads as an empty body and fails validation.
	}
	return b, nil
}

func writeResponse(w http.ResponseWriter, res apiResponse) {
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(res.Body)))
	w.WriteHeader(res.Status)
	_, _ = w.Write(res.Body) // The client may be gone; nothing else to do.
}

// bufferedWriter captures a handler's response so a drop-after-commit fault
// can discard it after the handler has done its work.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// serveEntra serves the fake Entra ID with stats and faults (route "token"
// for both token endpoints).
func (e *Emulator) serveEntra(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	name := entraRouteName(r.URL.Path)
	outcome := "dropped"
	defer func() {
		e.logf("%s %s -> %s route=%s %s", r.Method, r.URL.Path, outcome, name, time.Since(started).Round(time.Microsecond))
	}()
	e.stats.request(name, r.Method)
	decision := e.faults.decide(name, r.Method)
	if !e.applyLatency(r, decision) {
		return
	}
	handler := e.entra.Handler()
	if f := decision.terminal; f != nil {
		switch f.Kind {
		case FaultStatus:
			res := entraFaultResponse(*f)
			outcome = strconv.Itoa(res.Status)
			e.countResponse(res.Status)
			writeResponse(w, res)
			return
		case FaultDropBeforeCommit:
			dropConnection(w)
			return
		case FaultDropAfterCommit:
			handler.ServeHTTP(&bufferedWriter{header: http.Header{}}, r)
			dropConnection(w)
			return
		}
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	handler.ServeHTTP(sw, r)
	outcome = strconv.Itoa(sw.status)
}

// entraFaultResponse is an injected error in Entra's OAuth error shape.
func entraFaultResponse(f Fault) apiResponse {
	status := f.Status
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	res := jsonResponse(status, map[string]any{
		"error":             "temporarily_unavailable",
		"error_description": fmt.Sprintf("AADSTS50000: Injected fault: HTTP %d.", status),
		"error_codes":       []int{50000},
	})
	if f.RetryAfter > 0 || status == http.StatusTooManyRequests {
		res.Header.Set("Retry-After", strconv.Itoa(max(1, f.RetryAfter)))
	}
	return res
}

func entraRouteName(path string) string {
	switch {
	case strings.HasSuffix(path, "/oauth2/v2.0/token"), strings.HasSuffix(path, "/oauth2/token"):
		return "token"
	case strings.HasSuffix(path, "/openid-configuration"):
		return "openid-configuration"
	case path == "/common/discovery/instance":
		return "instance-discovery"
	}
	return "entra-other"
}

// statusWriter records the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(status int) {
	s.status = status
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
