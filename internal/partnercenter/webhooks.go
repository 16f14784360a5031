// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// webhookRegistrationURL is {endpoint}/webhooks/v1/registration[/...].
func (c *Client) webhookRegistrationURL(more ...string) *url.URL {
	return c.endpointURL(append([]string{"webhooks", apiVersionSegment, "registration"}, more...)...)
}

// ListWebhookEvents lists the event names a webhook can subscribe to:
// GET /webhooks/v1/registration/events. Both a bare JSON array of names and
// a collection with items are accepted.
func (c *Client) ListWebhookEvents(ctx context.Context) ([]string, error) {
	u := c.webhookRegistrationURL("events")
	var raw json.RawMessage
	err := c.call(ctx, http.MethodGet, u, nil, nil, func(resp *http.Response) error {
		return decodeEntity(resp.Body, &raw)
	})
	if errors.Is(err, errEmptyBody) {
		return []string{}, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	if err := json.Unmarshal(raw, &names); err == nil {
		return names, nil
	}
	var collection struct {
		Items []string `json:"items"`
	}
	if err := json.Unmarshal(raw, &collection); err != nil {
		return nil, fmt.Errorf("partnercenter: GET %s: decode event names: %w", u.EscapedPath(), err)
	}
	if collection.Items == nil {
		collection.Items = []string{}
	}
	return collection.Items, nil
}

// GetWebhookRegistration reads the partner's webhook registration:
// GET /webhooks/v1/registration. When there is none the error is an
// *APIError for which IsNotFound is true (an empty 2xx answer is reported
// the same way).
func (c *Client) GetWebhookRegistration(ctx context.Context) (*WebhookRegistration, error) {
	u := c.webhookRegistrationURL()
	var r WebhookRegistration
	err := c.call(ctx, http.MethodGet, u, nil, nil, func(resp *http.Response) error {
		err := decodeEntity(resp.Body, &r)
		if errors.Is(err, errEmptyBody) {
			cl := callFrom(resp.Request.Context())
			return &APIError{
				StatusCode:    http.StatusNotFound,
				Description:   "no webhook registration (empty answer)",
				Method:        cl.method,
				Path:          cl.path,
				RequestID:     cl.requestID,
				CorrelationID: cl.correlationID,
				Attempts:      cl.attempts,
			}
		}
		if err != nil {
			return fmt.Errorf("partnercenter: GET %s: %w", u.EscapedPath(), err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateWebhookRegistration registers the partner's webhook:
// POST /webhooks/v1/registration.
func (c *Client) CreateWebhookRegistration(ctx context.Context, r WebhookRegistration) (*WebhookRegistration, error) {
	return c.writeWebhookRegistration(ctx, http.MethodPost, r)
}

// UpdateWebhookRegistration replaces the partner's webhook registration:
// PUT /webhooks/v1/registration.
func (c *Client) UpdateWebhookRegistration(ctx context.Context, r WebhookRegistration) (*WebhookRegistration, error) {
	return c.writeWebhookRegistration(ctx, http.MethodPut, r)
}

// writeWebhookRegistration sends a POST or PUT; an empty success body is
// followed by a GET so the caller always gets the stored registration.
func (c *Client) writeWebhookRegistration(ctx context.Context, method string, r WebhookRegistration) (*WebhookRegistration, error) {
	if r.WebhookEvents == nil {
		r.WebhookEvents = []string{} // "WebhookEvents": [] rather than null
	}
	u := c.webhookRegistrationURL()
	var out WebhookRegistration
	err := c.call(ctx, method, u, r, nil, func(resp *http.Response) error {
		if err := decodeEntity(resp.Body, &out); err != nil {
			return fmt.Errorf("partnercenter: %s %s: %w", method, u.EscapedPath(), err)
		}
		return nil
	})
	if errors.Is(err, errEmptyBody) {
		return c.GetWebhookRegistration(ctx)
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteWebhookRegistration removes the partner's webhook registration:
// DELETE /webhooks/v1/registration. A 404 counts as already done.
func (c *Client) DeleteWebhookRegistration(ctx context.Context) error {
	err := c.call(ctx, http.MethodDelete, c.webhookRegistrationURL(), nil, nil, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}
