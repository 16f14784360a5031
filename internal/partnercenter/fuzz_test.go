// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDecodeTransfer checks that any transfer the client accepts survives
// a JSON round trip unchanged, and that nothing panics.
func FuzzDecodeTransfer(f *testing.F) {
	for _, seed := range []string{
		sampleTransfer,
		`{}`,
		`null`,
		``,
		`{"lineItems": [{"id": 0}, {"id": "1"}, {"id": 2.5e3}, {"id": null}]}`,
		`{"transferType": "3"}`,
		`{"completedTime": "2024-04-10T17:26:56Z", "participants": [{"Key": "TransactionReseller", "Value": "1"}]}`,
		`{"lineItems": [{"addonItems": [{"id": 7, "addonItems": []}]}]}`,
		`[1, 2]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var first Transfer
		if err := decodeEntity(bytes.NewReader(data), &first); err != nil {
			return
		}
		encoded, err := json.Marshal(first)
		if err != nil {
			t.Fatalf("accepted transfer does not encode: %v", err)
		}
		var second Transfer
		if err := json.Unmarshal(encoded, &second); err != nil {
			t.Fatalf("re-decode of %s: %v", encoded, err)
		}
		again, err := json.Marshal(second)
		if err != nil || !bytes.Equal(encoded, again) {
			t.Fatalf("round trip changed the transfer:\n%s\n%s", encoded, again)
		}
	})
}

// FuzzParseRetryAfter checks that waits are never negative and that
// delay-seconds are taken literally.
func FuzzParseRetryAfter(f *testing.F) {
	for _, seed := range []string{
		"", "0", "1", "57", " 120 ", "-1", "1.5", "99999999999999999999",
		"Sat, 01 Mar 2025 10:00:30 GMT", "Saturday, 01-Mar-25 10:01:00 GMT",
		"Sat Mar  1 10:00:05 2025", "Fri, 28 Feb 2025 10:00:00 GMT", "soon",
	} {
		f.Add(seed)
	}
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, value string) {
		d, ok := parseRetryAfter(value, now)
		if d < 0 {
			t.Fatalf("negative wait %s for %q", d, value)
		}
		if !ok && d != 0 {
			t.Fatalf("rejected %q but returned %s", value, d)
		}
		trimmed := strings.TrimSpace(value)
		if !isDigits(trimmed) {
			return
		}
		if !ok {
			t.Fatalf("delay-seconds %q rejected", value)
		}
		if secs, err := strconv.ParseInt(trimmed, 10, 64); err == nil && secs <= maxRetryAfterSeconds && d != time.Duration(secs)*time.Second {
			t.Fatalf("%q gave %s", value, d)
		}
	})
}

// FuzzParseError checks that any error body yields a bounded, one-line,
// valid UTF-8 error.
func FuzzParseError(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{404, `{"code": "900100", "description": "Transfer request not found", "data": [], "source": "PartnerFD"}`},
		{409, `{"code": 900101, "description": "in progress", "data": ["t1"]}`},
		{429, `{"statusCode": 429, "message": "Rate limit is exceeded. Try again in 57 seconds."}`},
		{401, `{"error": {"code": "InvalidAuthenticationToken", "message": "expired"}}`},
		{502, "<html><body>Bad Gateway</body></html>"},
		{500, ""},
		{400, `{"code": {"nested": true}}`},
		{400, "\xff\xfe invalid utf-8 \n next line"},
		{403, `{"description": "Bearer eyJabcdefgh.eyJabcdefgh.sig leaked"}`},
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseErrorBody(status, body)
		e.Method, e.Path = http.MethodGet, "/v1/x"
		text := e.Error()
		if strings.ContainsAny(text, "\r\n") {
			t.Fatalf("error text spans lines: %q", text)
		}
		if !strings.HasPrefix(text, "GET /v1/x: HTTP ") {
			t.Fatalf("error text %q lacks the request prefix", text)
		}
		if len(e.Description) > maxDescriptionBytes || len(e.Code) > maxCodeBytes || len(e.Source) > maxCodeBytes {
			t.Fatalf("unbounded fields: %d/%d/%d bytes", len(e.Description), len(e.Code), len(e.Source))
		}
		if !utf8.ValidString(e.Description) || !utf8.ValidString(e.Code) {
			t.Fatalf("invalid UTF-8 in %q / %q", e.Description, e.Code)
		}
		if jwtPattern.MatchString(text) {
			t.Fatalf("token-shaped text survived: %q", text)
		}
	})
}

// FuzzDecodeTransferPage checks that the streaming page decoder accepts
// only valid JSON and agrees with encoding/json on bare arrays.
func FuzzDecodeTransferPage(f *testing.F) {
	for _, seed := range []string{
		`[` + transferJSON("a") + `, null]`,
		collectionPage([]string{"a", "b"}, "/customers/c/transfers?p=2", "tok"),
		`{"items": null, "links": null}`,
		`{"ITEMS": [{"id": "x"}], "Links": {"next": {"uri": "/n"}}}`,
		``, `null`, `[] []`, `{"items": [}`, `"x"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got []string
		_, err := decodeCollectionPage(bytes.NewReader(data), func(tr Transfer) error {
			got = append(got, tr.ID)
			return nil
		})
		if err != nil {
			return
		}
		trimmed := trimJSONSpace(data)
		if len(trimmed) == 0 {
			return
		}
		if !json.Valid(trimmed) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		if trimmed[0] != '[' {
			return
		}
		var ref []*Transfer
		if err := json.Unmarshal(trimmed, &ref); err != nil {
			t.Fatalf("streaming accepted %q but encoding/json says %v", data, err)
		}
		var want []string
		for _, tr := range ref {
			if tr != nil {
				want = append(want, tr.ID)
			}
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Fatalf("streamed %q, encoding/json %q", got, want)
		}
	})
}
