// SPDX-License-Identifier: MPL-2.0

// Package loopback answers one question for every part of the project that
// relaxes a rule for this machine only (plain http to a local emulator or
// webhook receiver): does a host name or URL point at this machine?
package loopback

import (
	"net"
	"net/url"
	"strings"
)

// Host reports whether host (a bare host name or IP, no port; IPv6 with or
// without brackets) names this machine: "localhost" in any letter case, a
// name under ".localhost" (RFC 6761), or a loopback IP address.
func Host(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	host = strings.TrimSuffix(host, ".")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// URL reports whether u is absolute and its host names this machine.
func URL(u *url.URL) bool {
	return u != nil && u.IsAbs() && u.Hostname() != "" && Host(u.Hostname())
}
