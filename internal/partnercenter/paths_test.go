// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"strings"
	"testing"
)

func TestNextPageURL(t *testing.T) {
	tests := []struct {
		name     string
		endpoint string
		uri      string
		want     string // "" when an error is expected
		wantErr  string
	}{
		{"service style", "https://api.example", "/customers/c/transfers?seek=1", "https://api.example/v1/customers/c/transfers?seek=1", ""},
		{"already versioned", "https://api.example", "/v1/customers/c/transfers?seek=1", "https://api.example/v1/customers/c/transfers?seek=1", ""},
		{"absolute, same host", "https://api.example", "HTTPS://API.EXAMPLE/customers/c/transfers?x=1", "https://api.example/v1/customers/c/transfers?x=1", ""},
		{"query only", "https://api.example", "?seek=2", "https://api.example/v1/customers/c/transfers?seek=2", ""},
		{"empty", "https://api.example", "", "https://api.example/v1/customers/c/transfers", ""},
		{"relative path", "https://api.example", "transfers?page=2", "https://api.example/v1/customers/c/transfers?page=2", ""},
		{"escaped segment kept", "https://api.example", "/customers/a%2Fb/transfers", "https://api.example/v1/customers/a%2Fb/transfers", ""},
		{"base path added", "http://h/pc", "/customers/c/transfers?x", "http://h/pc/v1/customers/c/transfers?x", ""},
		{"base path kept", "http://h/pc", "/pc/v1/customers/c/transfers?x", "http://h/pc/v1/customers/c/transfers?x", ""},
		{"base path, versioned", "http://h/pc", "/v1/customers/c/transfers", "http://h/pc/v1/customers/c/transfers", ""},
		{"other host", "https://api.example", "https://evil.example/customers/c/transfers", "", "different host"},
		{"scheme downgrade", "https://api.example", "http://api.example/customers/c/transfers", "", "different host"},
		{"protocol-relative", "https://api.example", "//evil.example/customers", "", "different host"},
		{"dot segments", "https://api.example", "/customers/../../webhooks/v1/registration", "", "dot segments"},
		{"escaped dot segments", "https://api.example", "/customers/%2e%2e/x", "", "dot segments"},
		{"not a URL", "https://api.example", "%zz", "", "not a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Options{Endpoint: tt.endpoint, Token: &countingTokens{}})
			if err != nil {
				t.Fatal(err)
			}
			current, err := transfersURL(c, "c")
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.nextPageURL(current, tt.uri)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Fatalf("next = %s, want %s", got, tt.want)
			}
		})
	}
}
