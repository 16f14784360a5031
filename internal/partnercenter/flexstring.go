// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// FlexString is a string on the wire that some responses send as a JSON
// number (line item ids are documented as strings but appear as integers in
// examples; error codes likewise). It always marshals as a string.
type FlexString string

// UnmarshalJSON accepts a JSON string, number or null.
func (s *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = FlexString(v)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("expected a string or number, got %s", b)
		}
		*s = FlexString(n.String())
	}
	return nil
}
