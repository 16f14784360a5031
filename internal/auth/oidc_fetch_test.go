// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestOIDCFetchTokenReadsTheNamedMember covers the answer parsing that the
// GitHub Actions and Azure DevOps requests share.
func TestOIDCFetchTokenReadsTheNamedMember(t *testing.T) {
	errFailed := errors.New("request failed")
	cases := []struct {
		name    string
		status  int
		body    string
		want    string
		wantErr string
	}{
		{name: "member", status: 200, body: `{"oidcToken":"tok.en","count":2}`, want: "tok.en"},
		{name: "member in another letter case", status: 200, body: `{"OIDCToken":"tok.en"}`, want: "tok.en"},
		{name: "missing member", status: 200, body: `{"value":"other"}`, wantErr: "has no oidcToken"},
		{name: "null body", status: 200, body: `null`, wantErr: "has no oidcToken"},
		{name: "not a string", status: 200, body: `{"oidcToken":42}`, wantErr: "oidcToken is not a string"},
		{name: "not JSON", status: 200, body: `<html>secret-page</html>`, wantErr: "is not JSON"},
		{name: "failed status", status: 401, body: `{"oidcToken":"ignored"}`, wantErr: errFailed.Error()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			var gotStatus int
			got, err := oidcSource{client: srv.Client()}.fetchToken(req, "oidcToken", func(status int) error {
				gotStatus = status
				return errFailed
			})
			if tc.wantErr == "" {
				if err != nil || got != tc.want {
					t.Fatalf("fetchToken = %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "secret-page") {
				t.Errorf("error shows the answer's body: %v", err)
			}
			if tc.status != 200 && gotStatus != tc.status {
				t.Errorf("failed got status %d, want %d", gotStatus, tc.status)
			}
		})
	}
}
