// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"strings"
)

// canonicalGUID accepts only the plain 8-4-4-4-12 hex form (no braces or urn
// prefix, which Partner Center paths never carry) and returns it lower-cased,
// the form every map in the emulator is keyed by.
func canonicalGUID(s string) (string, bool) {
	if len(s) != 36 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return "", false
			}
		default:
			if !isHex(c) {
				return "", false
			}
		}
	}
	return strings.ToLower(s), true
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

// canonicalProductType matches a product type case-insensitively, as the
// service's enum binding does, and returns the documented spelling.
func canonicalProductType(s string) (string, bool) {
	for _, pt := range productTypes {
		if strings.EqualFold(pt, strings.TrimSpace(s)) {
			return pt, true
		}
	}
	return "", false
}

// plausibleEmail is a deliberately loose check: one @, something on both
// sides, a dot in the domain, no spaces.
func plausibleEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t\r\n") &&
		!strings.Contains(domain, "@") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
