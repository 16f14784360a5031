// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Request bodies are bound the way Partner Center's .NET binder does it:
// property names case-insensitively (encoding/json already matches struct
// fields that way) and transferType as a number or a numeric string (a real
// client sent "3"). Properties no documentation lists are refused unless
// Options.IgnoreUnknownProperties is set (properties.go).

// createBody is the POST /transfers body.
type createBody struct {
	SourcePartnerTenantID  *string           `json:"sourcePartnerTenantId"`
	SourcePartnerName      *string           `json:"sourcePartnerName"`
	SourcePartnerEmailID   *string           `json:"sourcePartnerEmailId"`
	CustomerEmailID        *string           `json:"customerEmailId"`
	CustomerName           *string           `json:"customerName"`
	TargetPartnerTenantID  *string           `json:"targetPartnerTenantId"`
	TargetPartnerName      *string           `json:"targetPartnerName"`
	TargetPartnerEmailID   *string           `json:"targetPartnerEmailId"`
	TargetProductTypes     []string          `json:"targetProductTypes"`
	PartnerOnRecord        *string           `json:"partnerOnRecord"`
	Participants           []participantBody `json:"participants"`
	TransferType           flexInt           `json:"transferType"`
	IgnoreEligibilityCheck *bool             `json:"ignoreEligibilityCheck"`
}

// participantBody is a KeyValuePair in any casing (Key/Value or key/value).
type participantBody struct {
	Key   *string `json:"key"`
	Value *string `json:"value"`
}

// patchBody is the PATCH /transfers/{id} body: a submit (lineItems) or a
// cancel (status "Cancel").
type patchBody struct {
	ID                    *string        `json:"id"`
	Status                *string        `json:"status"`
	LineItems             []lineItemBody `json:"lineItems"`
	SourcePartnerTenantID *string        `json:"sourcePartnerTenantId"`
	TargetPartnerTenantID *string        `json:"targetPartnerTenantId"`
}

type lineItemBody struct {
	ID             json.RawMessage `json:"id"`
	SubscriptionID *string         `json:"subscriptionId"`
	ProductType    *string         `json:"productType"`
}

// flexInt is an optional integer sent as a JSON number or numeric string
// (only transferType uses it, hence the property name in its error).
type flexInt struct {
	set   bool
	value int
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = flexInt{}
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
		text = strings.TrimSpace(text)
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return fmt.Errorf("transferType must be an integer or a numeric string, got %s", b)
	}
	*f = flexInt{set: true, value: n}
	return nil
}

// decodeBody binds a JSON object body into v and turns decoding failures
// into a description that names the offending property.
func decodeBody(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return errors.New("the request body is empty; a JSON object is required")
	}
	if trimmed[0] != '{' {
		return errors.New("the request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return fmt.Errorf("property %q has the wrong type: expected %s", typeErr.Field, typeErr.Type)
		case errors.As(err, &syntaxErr):
			return fmt.Errorf("the request body is not valid JSON (at byte %d)", syntaxErr.Offset)
		default:
			return fmt.Errorf("the request body could not be read: %w", err)
		}
	}
	if dec.More() {
		return errors.New("the request body must contain a single JSON object")
	}
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
