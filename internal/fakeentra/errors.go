// SPDX-License-Identifier: MPL-2.0

package fakeentra

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
)

// entraError is the OAuth error body Entra returns from its token endpoints.
type entraError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri,omitempty"`
}

// writeError writes an Entra-shaped error. Descriptions must never contain
// credential material; callers only pass ids and parameter names.
func writeError(w http.ResponseWriter, status int, code string, aadsts int, description string) {
	traceID := uuid.NewString()
	correlationID := uuid.NewString()
	now := time.Now().UTC()
	body := entraError{
		Error: code,
		ErrorDescription: fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s",
			aadsts, description, traceID, correlationID, now.Format("2006-01-02 15:04:05Z")),
		ErrorCodes:    []int{aadsts},
		Timestamp:     now.Format("2006-01-02 15:04:05Z"),
		TraceID:       traceID,
		CorrelationID: correlationID,
		ErrorURI:      fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", aadsts),
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	// The status line is already sent; an encoding error cannot be reported
	// to the client any better than a truncated body.
	_ = json.NewEncoder(w).Encode(body)
}
