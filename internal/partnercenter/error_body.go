// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"
	"unicode/utf8"
)

const (
	// maxErrorBodyBytes bounds how much of an error body is read.
	maxErrorBodyBytes = 64 << 10
	// maxDescriptionBytes bounds APIError.Description (Partner Center
	// documents at most 1024 characters; non-JSON bodies are cut to this).
	maxDescriptionBytes = 1024
	// maxCodeBytes bounds APIError.Code and Source.
	maxCodeBytes = 128
)

// bufferAPIError parses a retryable error answer and swaps its body for an
// in-memory copy: go-retryablehttp drains the body before it sleeps, and
// the last answer must still be readable when retries end.
func bufferAPIError(cl *call, resp *http.Response, now time.Time) *APIError {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return newAPIError(cl, resp, data, now)
}

// readAPIError parses a final non-2xx answer and closes its body.
func readAPIError(cl *call, resp *http.Response, now time.Time) *APIError {
	defer drainAndClose(resp.Body)
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
	return newAPIError(cl, resp, data, now)
}

func newAPIError(cl *call, resp *http.Response, body []byte, now time.Time) *APIError {
	e := parseErrorBody(resp.StatusCode, body)
	e.Method = cl.method
	e.Path = cl.path
	e.RequestID = cl.requestID
	e.CorrelationID = cl.correlationID
	e.Attempts = cl.attempts
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			e.RetryAfter = d
		}
	}
	return e
}

// parseErrorBody reads the Partner Center error JSON
// ({code, description, data, source}, code a string or a number), the
// throttling body ({statusCode, message}) or a gateway-style
// {"error": {code, message}}. Anything else (HTML, plain text, other JSON)
// becomes a truncated one-line Description.
func parseErrorBody(status int, body []byte) *APIError {
	e := &APIError{StatusCode: status}
	trimmed := trimJSONSpace(body)
	if len(trimmed) == 0 {
		return e
	}
	if !fillFromJSON(e, trimmed) {
		e.Description = string(trimmed)
	}
	e.Code = truncateText(redactSecrets(oneLine(e.Code)), maxCodeBytes)
	e.Source = truncateText(redactSecrets(oneLine(e.Source)), maxCodeBytes)
	e.Description = truncateText(redactSecrets(oneLine(e.Description)), maxDescriptionBytes)
	return e
}

// gatewayErrorBody is the {"error": {...}} shape of gateways in front of
// the API.
type gatewayErrorBody struct {
	Error *struct {
		Code    FlexString `json:"code"`
		Message string     `json:"message"`
	} `json:"error"`
}

func fillFromJSON(e *APIError, body []byte) bool {
	if body[0] != '{' {
		return false
	}
	var pc ErrorBody
	if json.Unmarshal(body, &pc) == nil && (pc.Code != "" || pc.Description != "") {
		e.Code = string(pc.Code)
		e.Description = pc.Description
		e.Data = pc.Data
		e.Source = pc.Source
		return true
	}
	var throttle ThrottleBody
	if json.Unmarshal(body, &throttle) == nil && throttle.Message != "" {
		e.Description = throttle.Message
		return true
	}
	var gw gatewayErrorBody
	if json.Unmarshal(body, &gw) == nil && gw.Error != nil && (gw.Error.Code != "" || gw.Error.Message != "") {
		e.Code = string(gw.Error.Code)
		e.Description = gw.Error.Message
		return true
	}
	return false
}

// truncateText cuts s to at most limit bytes on a rune boundary, marking
// the cut with "...".
func truncateText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	const marker = "..."
	cut := limit - len(marker)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + marker
}
