// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"net/http"
	"reflect"
	"testing"
)

const registrationJSON = `{"SubscriberId": "sub-1", "WebhookUrl": "https://hooks.example/pc", "WebhookEvents": ["create-transfer", "complete-transfer"]}`

var wantRegistration = &WebhookRegistration{
	SubscriberID:  "sub-1",
	WebhookURL:    "https://hooks.example/pc",
	WebhookEvents: []string{"create-transfer", "complete-transfer"},
}

func TestWebhookRegistrationOperations(t *testing.T) {
	input := WebhookRegistration{WebhookURL: "https://hooks.example/pc", WebhookEvents: []string{"create-transfer", "complete-transfer"}}
	wantBody := map[string]any{"WebhookUrl": "https://hooks.example/pc", "WebhookEvents": []any{"create-transfer", "complete-transfer"}}
	tests := []struct {
		name     string
		call     func(context.Context, *Client) (*WebhookRegistration, error)
		method   string
		wantBody map[string]any
	}{
		{"get", func(ctx context.Context, c *Client) (*WebhookRegistration, error) {
			return c.GetWebhookRegistration(ctx)
		}, http.MethodGet, nil},
		{"create", func(ctx context.Context, c *Client) (*WebhookRegistration, error) {
			return c.CreateWebhookRegistration(ctx, input)
		}, http.MethodPost, wantBody},
		{"update", func(ctx context.Context, c *Client) (*WebhookRegistration, error) {
			return c.UpdateWebhookRegistration(ctx, input)
		}, http.MethodPut, wantBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
				writeRaw(w, http.StatusOK, "application/json", registrationJSON)
			})
			c, _ := newTestClient(t, srv)

			got, err := tt.call(t.Context(), c)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, wantRegistration) {
				t.Fatalf("registration = %+v", got)
			}
			r := log.all()[0]
			if r.Method != tt.method || r.Path != "/webhooks/v1/registration" {
				t.Fatalf("request = %s %s", r.Method, r.Path)
			}
			if tt.wantBody != nil {
				if body := mustJSON(t, r.Body); !reflect.DeepEqual(body, tt.wantBody) {
					t.Fatalf("body = %v, want %v", body, tt.wantBody)
				}
			}
		})
	}
}

func TestWebhookWriteWithEmptyAnswerReadsBack(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, r *http.Request, _ seenRequest, _ int) {
		if r.Method == http.MethodPut {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeRaw(w, http.StatusOK, "application/json", registrationJSON)
	})
	c, _ := newTestClient(t, srv)

	got, err := c.UpdateWebhookRegistration(t.Context(), WebhookRegistration{WebhookURL: "https://hooks.example/pc"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantRegistration) || log.len() != 2 {
		t.Fatalf("got %+v after %d requests", got, log.len())
	}
	if body := mustJSON(t, log.all()[0].Body); !reflect.DeepEqual(body["WebhookEvents"], []any{}) {
		t.Fatalf("nil events sent as %v, want []", body["WebhookEvents"])
	}
}

func TestGetWebhookRegistrationMissing(t *testing.T) {
	tests := []struct {
		name  string
		write func(http.ResponseWriter)
	}{
		{"404", func(w http.ResponseWriter) { pcError(w, http.StatusNotFound, "2000", "registration not found") }},
		{"empty 200", func(w http.ResponseWriter) { w.WriteHeader(http.StatusOK) }},
		{"204", func(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) { tt.write(w) })
			c, _ := newTestClient(t, srv)

			_, err := c.GetWebhookRegistration(t.Context())
			apiErr, ok := AsAPIError(err)
			if !ok || !IsNotFound(err) || apiErr.RequestID == "" || apiErr.Path != "/webhooks/v1/registration" {
				t.Fatalf("error = %#v, want a NotFound APIError", err)
			}
		})
	}
}

func TestDeleteWebhookRegistration(t *testing.T) {
	tests := []struct {
		status  int
		wantErr bool
	}{
		{http.StatusNoContent, false},
		{http.StatusOK, false},
		{http.StatusNotFound, false},
		{http.StatusForbidden, true},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
				if tt.status >= 400 {
					pcError(w, tt.status, "x", "y")
					return
				}
				w.WriteHeader(tt.status)
			})
			c, _ := newTestClient(t, srv)

			err := c.DeleteWebhookRegistration(t.Context())
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, wantErr %v", err, tt.wantErr)
			}
			if r := log.all()[0]; r.Method != http.MethodDelete || r.Path != "/webhooks/v1/registration" {
				t.Fatalf("request = %s %s", r.Method, r.Path)
			}
		})
	}
}

func TestListWebhookEvents(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
		wantErr    bool
	}{
		{"bare array", `["create-transfer", "update-transfer", "test-created"]`, []string{"create-transfer", "update-transfer", "test-created"}, false},
		{"collection", `{"totalCount": 1, "items": ["complete-transfer"]}`, []string{"complete-transfer"}, false},
		{"empty", ``, []string{}, false},
		{"wrong shape", `{"items": [1]}`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
				writeRaw(w, http.StatusOK, "application/json", tt.body)
			})
			c, _ := newTestClient(t, srv)

			got, err := c.ListWebhookEvents(t.Context())
			if (err != nil) != tt.wantErr || (!tt.wantErr && !reflect.DeepEqual(got, tt.want)) {
				t.Fatalf("got %v, %v; want %v (error %v)", got, err, tt.want, tt.wantErr)
			}
			if r := log.all()[0]; r.Method != http.MethodGet || r.Path != "/webhooks/v1/registration/events" {
				t.Fatalf("request = %s %s", r.Method, r.Path)
			}
		})
	}
}
