// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// redactedValue replaces every secret value in logs and error text.
const redactedValue = "[REDACTED]"

// secretKeyParts are fragments of JSON field names whose values must never
// be logged.
var secretKeyParts = []string{
	"token", "secret", "password", "passwd", "assertion",
	"authorization", "credential", "apikey", "api_key", "privatekey", "private_key",
}

func isSecretKey(name string) bool {
	lower := strings.ToLower(name)
	for _, part := range secretKeyParts {
		if strings.Contains(lower, part) {
			return true
		}
	}
	return false
}

var (
	// jwtPattern matches compact JWS/JWT tokens (the bearer tokens).
	jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	// bearerPattern matches an Authorization value echoed in text.
	bearerPattern = regexp.MustCompile(`(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+`)
	// secretFieldPattern matches "secretish": value pairs in text that is
	// not complete JSON (a body cut at the capture limit).
	secretFieldPattern = regexp.MustCompile(`(?i)("[^"\\]*(?:` + strings.Join(secretKeyParts, "|") + `)[^"\\]*"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\]\s]+)`)
)

// redactSecrets removes token-looking strings from free text such as an
// error description or a logged body.
func redactSecrets(s string) string {
	s = jwtPattern.ReplaceAllString(s, redactedValue)
	return bearerPattern.ReplaceAllString(s, "Bearer "+redactedValue)
}

// redactBody renders a request or response body for the TRACE log with the
// values of secret-looking fields replaced.
func redactBody(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil && !dec.More() {
		if out, err := json.Marshal(redactValue(v)); err == nil {
			return redactSecrets(string(out))
		}
	}
	text := secretFieldPattern.ReplaceAllString(string(body), `${1}"`+redactedValue+`"`)
	return redactSecrets(text)
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if isSecretKey(k) {
				t[k] = redactedValue
				continue
			}
			t[k] = redactValue(val)
		}
	case []any:
		for i := range t {
			t[i] = redactValue(t[i])
		}
	}
	return v
}
