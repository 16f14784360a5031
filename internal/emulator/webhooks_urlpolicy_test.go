// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"net/url"
	"testing"
)

// TestWebhookURLPolicyUsesTheSharedLoopbackRule checks the registration rule
// and the redirect rule agree with internal/loopback.
func TestWebhookURLPolicyUsesTheSharedLoopbackRule(t *testing.T) {
	cases := map[string]bool{
		"http://localhost:9000/hook":     true,
		"http://LOCALHOST:9000/hook":     true,
		"http://receiver.localhost/hook": true,
		"http://127.0.0.1:9000/hook":     true,
		"http://[::1]:9000/hook":         true,
		"http://hooks.example.com/hook":  false,
		"http://localhost.example.com/":  false,
	}
	for raw, loopback := range cases {
		if err := checkWebhookURL(raw); (err == nil) != loopback {
			t.Errorf("checkWebhookURL(%q) = %v, want accepted %v", raw, err, loopback)
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		err = followLoopbackRedirects(&http.Request{URL: u}, nil)
		if (err == nil) != loopback {
			t.Errorf("redirect to %q: %v, want followed %v", raw, err, loopback)
		}
	}
}
