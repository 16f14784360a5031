// SPDX-License-Identifier: MPL-2.0

package auth

import "testing"

// TestServiceURLPlainHTTPOnlyToLoopback pins the shared loopback rule
// (internal/loopback) as the endpoint check applies it.
func TestServiceURLPlainHTTPOnlyToLoopback(t *testing.T) {
	cases := map[string]bool{
		"http://localhost:8443/":       true,
		"http://LocalHost:8443/":       true,
		"http://emulator.localhost/":   true,
		"http://127.0.0.2:1234/":       true,
		"http://[::1]:1234/":           true,
		"https://api.example.com/":     true,
		"http://api.example.com/":      false,
		"http://localhost.example.com": false,
		"http://0.0.0.0:8443/":         false,
	}
	for raw, ok := range cases {
		_, refused := checkServiceURL("endpoint", raw)
		if refused == ok {
			t.Errorf("checkServiceURL(%q) refused = %v, want %v", raw, refused, !ok)
		}
	}
}
