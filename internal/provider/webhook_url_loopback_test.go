// SPDX-License-Identifier: MPL-2.0

package provider

import "testing"

// TestWebhookURLPlainHTTPOnlyToLoopback pins the shared loopback rule
// (internal/loopback) as the webhook_url check applies it at plan time.
func TestWebhookURLPlainHTTPOnlyToLoopback(t *testing.T) {
	cases := map[string]bool{
		"http://localhost:9000/hook":     true,
		"http://LocalHost:9000/hook":     true,
		"http://receiver.localhost/hook": true,
		"http://127.0.0.1:9000/hook":     true,
		"http://[::1]:9000/hook":         true,
		"https://hooks.example.com/hook": true,
		"http://hooks.example.com/hook":  false,
		"http://localhost.example.com/":  false,
	}
	for raw, ok := range cases {
		if problem := webhookURLProblem(raw); (problem == "") != ok {
			t.Errorf("webhookURLProblem(%q) = %q, want accepted %v", raw, problem, ok)
		}
	}
}
