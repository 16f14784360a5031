// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// EventTestCreated is the test event a validation sends; the registration
// must include it.
const EventTestCreated = "test-created"

// WebhookValidation is the state of a test event:
// GET /webhooks/v1/registration/validationEvents/{correlationId}.
type WebhookValidation struct {
	CorrelationID string                    `json:"correlationId"`
	PartnerID     string                    `json:"partnerId"`
	Status        string                    `json:"status"`
	CallbackURL   string                    `json:"callbackUrl"`
	Results       []WebhookValidationResult `json:"results"`
}

// WebhookValidationResult is one delivery attempt of a test event.
type WebhookValidationResult struct {
	ResponseCode    string `json:"responseCode"`
	ResponseMessage string `json:"responseMessage"`
	SystemError     bool   `json:"systemError"`
	DateTimeUtc     string `json:"dateTimeUtc"`
}

// Delivered reports whether the attempt got a 2xx answer ("OK", "Accepted",
// "NoContent", ... or a numeric code).
func (r WebhookValidationResult) Delivered() bool {
	if r.SystemError {
		return false
	}
	switch strings.ToLower(strings.ReplaceAll(r.ResponseCode, " ", "")) {
	case "ok", "created", "accepted", "nocontent", "200", "201", "202", "204":
		return true
	}
	return false
}

// SendWebhookValidationEvent asks Partner Center to send a test-created
// event to the registered URL: POST /webhooks/v1/registration/validationEvents.
// Microsoft documents the answer both as {"correlationId": "..."} and as a
// bare string; both are accepted. The call is limited to 2 per minute.
func (c *Client) SendWebhookValidationEvent(ctx context.Context) (string, error) {
	u := c.webhookRegistrationURL("validationEvents")
	var raw json.RawMessage
	err := c.call(ctx, http.MethodPost, u, nil, nil, func(resp *http.Response) error {
		return decodeEntity(resp.Body, &raw)
	})
	if err != nil {
		return "", err
	}
	var id string
	if json.Unmarshal(raw, &id) != nil || id == "" {
		var obj struct {
			CorrelationID string `json:"correlationId"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil || obj.CorrelationID == "" {
			return "", fmt.Errorf("partnercenter: POST %s: the answer has no correlationId", u.EscapedPath())
		}
		id = obj.CorrelationID
	}
	return id, nil
}

// GetWebhookValidationEvent reads a test event's delivery state.
func (c *Client) GetWebhookValidationEvent(ctx context.Context, correlationID string) (*WebhookValidation, error) {
	if err := checkPathID("correlation ID", correlationID); err != nil {
		return nil, err
	}
	u := c.webhookRegistrationURL("validationEvents", correlationID)
	var v WebhookValidation
	err := c.call(ctx, http.MethodGet, u, nil, nil, func(resp *http.Response) error {
		if err := decodeEntity(resp.Body, &v); err != nil {
			return fmt.Errorf("partnercenter: GET %s: %w", u.EscapedPath(), err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}
