// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// FlexString is a string on the wire that some responses send as a JSON
// number: line item ids and product types are documented as strings but
// appear as integers in Microsoft's examples, error codes likewise. It
// always marshals as a string.
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

// flexText is a free-text member that may also arrive as a boolean, an
// object or an array: billingCycle is documented as "Object" while every
// example is a string. Non-strings are kept as their compact JSON text, so
// no documented shape makes a response undecodable.
type flexText string

func (s *flexText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		var compact bytes.Buffer
		if err := json.Compact(&compact, b); err != nil {
			return err
		}
		*s = flexText(compact.String())
	case bytes.Equal(b, []byte("true")) || bytes.Equal(b, []byte("false")):
		*s = flexText(b)
	default:
		var v FlexString
		if err := v.UnmarshalJSON(b); err != nil {
			return err
		}
		*s = flexText(v)
	}
	return nil
}
