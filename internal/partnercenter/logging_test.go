// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// secretTokens returns a JWT-shaped token that must never be logged.
type secretTokens struct{}

const loggedSecretToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtc3ViamVjdCJ9.c2VjcmV0LXNpZ25hdHVyZQ"

func (secretTokens) Token(context.Context) (string, error) { return loggedSecretToken, nil }

func TestLogsNeverContainSecrets(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &out)

	srv, _ := testServer(t, func(w http.ResponseWriter, r *http.Request, _ seenRequest, n int) {
		switch {
		case n == 1:
			// An error body that echoes secrets back.
			writeRaw(w, http.StatusInternalServerError, "application/json",
				`{"code": "500", "description": "try again", "data": [{"clientSecret": "hunter2-value", "nested": {"accessToken": "opaque-access-value"}}]}`)
		case r.Method == http.MethodPost:
			writeRaw(w, http.StatusCreated, "application/json",
				`{"id": "t1", "status": "Pending", "client_assertion": "assertion-value", "password": "pw-value", "lineItems": []}`)
		default:
			writeRaw(w, http.StatusOK, "application/json", collectionPage([]string{"t1"}, "", ""))
		}
	})
	c, _ := newTestClient(t, srv, func(o *Options) { o.Token = secretTokens{} })

	if _, err := c.CreateTransfer(ctx, customerID, CreateTransferRequest{CustomerEmailID: "a@b.example"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ListTransfers(ctx, customerID, func(Transfer) error { return nil }); err != nil {
		t.Fatal(err)
	}

	logs := out.String()
	for _, secret := range []string{loggedSecretToken, "eyJhbGciOiJSUzI1NiJ9", "hunter2-value", "opaque-access-value", "assertion-value", "pw-value", "Bearer"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
	if !strings.Contains(logs, redactedValue) {
		t.Error("logs show no redaction marker; were the bodies logged at TRACE?")
	}

	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	var responses, bodies int
	for _, e := range entries {
		if e["@module"] != "provider.partnercenter_http" {
			t.Errorf("entry outside the subsystem: %v", e)
		}
		switch e["@message"] {
		case "Received Partner Center response":
			responses++
			if e["@level"] != "debug" {
				t.Errorf("response logged at %v", e["@level"])
			}
			for _, field := range []string{"method", "path", "status", "duration", "ms_request_id", "ms_correlation_id", "attempt"} {
				if _, ok := e[field]; !ok {
					t.Errorf("response log lacks %q: %v", field, e)
				}
			}
		case "Partner Center response body", "Partner Center request body":
			bodies++
			if e["@level"] != "trace" {
				t.Errorf("body logged at %v", e["@level"])
			}
		}
	}
	if responses != 3 {
		t.Errorf("got %d response logs, want 3 (500, 201, list)", responses)
	}
	if bodies < 4 {
		t.Errorf("got %d body logs, want at least 4", bodies)
	}
}

func TestBodiesAreNotLoggedAboveTrace(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER_PARTNERCENTER_HTTP", "DEBUG")
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &out)

	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	c, _ := newTestClient(t, srv)
	if _, err := c.GetTransfer(ctx, customerID, transferID); err != nil {
		t.Fatal(err)
	}
	logs := out.String()
	if !strings.Contains(logs, "Received Partner Center response") {
		t.Fatal("no DEBUG response log")
	}
	if strings.Contains(logs, "it-admin@customer.example") || strings.Contains(logs, "response body") {
		t.Fatal("a body was logged at DEBUG")
	}
}

func TestKeepsCallerSubsystemFields(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &out)
	ctx = tflog.NewSubsystem(ctx, logSubsystem)
	ctx = tflog.SubsystemSetField(ctx, logSubsystem, "resource", "partnercenter_transfer")

	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
	})
	c, _ := newTestClient(t, srv)
	if _, err := c.GetTransfer(ctx, customerID, transferID); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"resource":"partnercenter_transfer"`) {
		t.Fatalf("caller's subsystem field missing from logs:\n%s", out.String())
	}
}

func TestRedactBody(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string // substrings that must be present
		absent     []string
	}{
		{
			name:   "complete JSON",
			body:   `{"id": "t1", "refreshToken": "r-secret", "items": [{"Password": "p-secret", "n": 12345678901234567890}]}`,
			want:   []string{`"id":"t1"`, `"refreshToken":"[REDACTED]"`, `"Password":"[REDACTED]"`, `12345678901234567890`},
			absent: []string{"r-secret", "p-secret"},
		},
		{
			name:   "body cut mid-value",
			body:   `{"id": "t1", "client_secret": "abcdef`,
			want:   []string{`"id": "t1"`, `"client_secret": "[REDACTED]"`},
			absent: []string{"abcdef"},
		},
		{
			name:   "non-string secret value",
			body:   `{"apiKey": 12345, "tokenCount": {"a": 1}, "ok": true`,
			absent: []string{"12345"},
		},
		{
			name:   "bearer in text",
			body:   "Authorization: Bearer abc.def.ghi",
			want:   []string{"Bearer [REDACTED]"},
			absent: []string{"abc.def.ghi"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := redactBody([]byte(tt.body))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("redacted body %q lacks %q", got, w)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(got, a) {
					t.Errorf("redacted body %q still contains %q", got, a)
				}
			}
		})
	}
}

func TestRetryLoggerFields(t *testing.T) {
	fields := logFields([]any{"url", "https://h/v1/customers/c/transfers?seekOperation=Next&token=abc", "error", http.ErrHandlerTimeout, "remaining", 3, "dangling"})
	if fields["url"] != "https://h/v1/customers/c/transfers" {
		t.Errorf("url = %v, want the query stripped", fields["url"])
	}
	if fields["error"] != http.ErrHandlerTimeout.Error() || fields["remaining"] != 3 || fields["EXTRA_VALUE_AT_END"] != "dangling" {
		t.Errorf("fields = %v", fields)
	}
}

// TestHTTPLogsUnwanted: under the Terraform CLI without any TF_LOG
// variable the HTTP logs are off (the CLI would discard them after
// parsing); any log variable, or running outside the CLI, keeps them.
func TestHTTPLogsUnwanted(t *testing.T) {
	const cookie = "TF_PLUGIN_MAGIC_COOKIE"
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{cookie: "x"}, true},
		{map[string]string{}, false},
		{map[string]string{cookie: "x", "TF_LOG": "DEBUG"}, false},
		{map[string]string{cookie: "x", "TF_LOG_PROVIDER": "TRACE"}, false},
		{map[string]string{cookie: "x", "TF_LOG_PROVIDER_PARTNERCENTER_HTTP": "DEBUG"}, false},
	} {
		if got := httpLogsUnwanted(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("httpLogsUnwanted(%v) = %v, want %v", tc.env, got, tc.want)
		}
	}
}
