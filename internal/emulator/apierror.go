// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Partner Center error codes the emulator answers with (REFERENCE.md §5.6, plus
// the legacy InvalidInput code for malformed requests).
const (
	codeTransferNotFound     = "900100" // 404
	codeOriginalInProgress   = "900101" // 409
	codeCannotProcess        = "900102" // 400, names the current status
	codeProcessedElsewhere   = "900104" // 409
	codeSourceIsRequester    = "900148" // 400
	codeInvalidSubscription  = "800078" // 400
	codeInvalidInput         = "800002" // 400 (legacy TransferErrorCode InvalidInput)
	codeNoRelationship       = "20002"  // 403
	codePartnerNotEnabled    = "900137" // 403
	codeRoleNotAllowed       = "900150" // 403
	codeUnknownSourcePartner = "900147" // 400
)

// errorSource is the "source" of every emulator error body.
const errorSource = "PartnerCenter"

// apiResponse is a complete response, buffered so it can be stored for
// MS-RequestId replay or thrown away by a drop-after-commit fault.
type apiResponse struct {
	Status int         `json:"status"`
	Header http.Header `json:"header,omitempty"`
	Body   []byte      `json:"body"`
}

func jsonResponse(status int, v any) apiResponse {
	b, err := json.Marshal(v)
	if err != nil {
		return errorResponse(http.StatusInternalServerError, "500", "The response could not be encoded.")
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return apiResponse{Status: status, Header: h, Body: b}
}

// wireError is Partner Center's error body. Unlike a client's decoding
// type, it always sends "data", as an empty array when unused.
type wireError struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	Data        []any  `json:"data"`
	Source      string `json:"source"`
}

// errorResponse is Partner Center's {code, description, data, source} body.
func errorResponse(status int, code, description string, data ...any) apiResponse {
	if data == nil {
		data = []any{}
	}
	return jsonResponse(status, wireError{Code: code, Description: description, Data: data, Source: errorSource})
}

func errInvalidInput(format string, args ...any) apiResponse {
	return errorResponse(http.StatusBadRequest, codeInvalidInput, fmt.Sprintf(format, args...))
}

func errTransferNotFound(transferID string) apiResponse {
	return errorResponse(http.StatusNotFound, codeTransferNotFound,
		fmt.Sprintf("Transfer request %s was not found.", transferID))
}

func errCannotProcess(rec *transferRecord) apiResponse {
	return errorResponse(http.StatusBadRequest, codeCannotProcess,
		fmt.Sprintf("Can't process the transfer request for %s transfer %s.", rec.Status, rec.ID))
}

func errNoRelationship(customerID string) apiResponse {
	return errorResponse(http.StatusForbidden, codeNoRelationship,
		fmt.Sprintf("The partner does not have a commerce relationship with customer %s.", customerID))
}

// throttleResponse is the 429 body, which differs from normal errors.
func throttleResponse(retryAfterSeconds int) apiResponse {
	res := jsonResponse(http.StatusTooManyRequests, throttleBody{
		StatusCode: http.StatusTooManyRequests,
		Message:    fmt.Sprintf("Rate limit is exceeded. Try again in %d seconds.", retryAfterSeconds),
	})
	res.Header.Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	return res
}
