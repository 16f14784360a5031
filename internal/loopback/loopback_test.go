// SPDX-License-Identifier: MPL-2.0

package loopback

import (
	"net/url"
	"testing"
)

func TestHost(t *testing.T) {
	cases := map[string]bool{
		"localhost":         true,
		"LocalHost":         true,
		"localhost.":        true,
		"api.localhost":     true,
		"127.0.0.1":         true,
		"127.8.9.10":        true,
		"::1":               true,
		"[::1]":             true,
		"":                  false,
		"example.com":       false,
		"localhost.evil.io": false,
		"10.0.0.1":          false,
		"::":                false,
		"0.0.0.0":           false,
		"notlocalhost":      false,
	}
	for host, want := range cases {
		if got := Host(host); got != want {
			t.Errorf("Host(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestURL(t *testing.T) {
	cases := map[string]bool{
		"https://127.0.0.1:8443/v1":                  true,
		"http://LOCALHOST/x":                         true,
		"http://[::1]:9/":                            true,
		"https://api.partnercenter.microsoft.com/v1": false,
		"/relative/path":                             false,
		"http://127.0.0.1.nip.io/":                   false,
	}
	for raw, want := range cases {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := URL(u); got != want {
			t.Errorf("URL(%q) = %v, want %v", raw, got, want)
		}
	}
	if URL(nil) {
		t.Error("URL(nil) = true")
	}
}
