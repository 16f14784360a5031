// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/base64"
	"encoding/json"
)

// Every paged list hands out an opaque MS-ContinuationToken: its own seek
// struct (which list, where the last page ended) as URL-safe base64 JSON.

// encodePageToken renders seek, a plain struct of strings and ints, as a
// continuation token.
func encodePageToken(seek any) string {
	b, _ := json.Marshal(seek) // Plain struct of strings and ints: cannot fail.
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodePageToken reads a token made by encodePageToken into seek; false
// means text is not one (the caller then checks it belongs to its list).
func decodePageToken(text string, seek any) bool {
	b, err := base64.RawURLEncoding.DecodeString(text)
	return err == nil && json.Unmarshal(b, seek) == nil
}
