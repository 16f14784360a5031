// SPDX-License-Identifier: MPL-2.0

package fakeentra_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

func TestAuthenticate(t *testing.T) {
	clock := newFakeClock()
	e := startEntra(t, fakeentra.Options{
		Apps:          []fakeentra.App{{TenantID: tenantA, ClientID: clientA, ClientSecret: secretA}},
		TokenLifetime: 5 * time.Minute,
		Now:           clock.Now,
	})
	token := e.do(t, http.MethodPost, e.tokenURLv2(tenantA), secretForm(secretA)).accessToken(t)

	forged := signAssertion(t, jwt.SigningMethodHS256, []byte("not-the-server-key"), jwt.MapClaims{
		"aud": resource, "tid": tenantA, "appid": clientA, "oid": "x", "exp": clock.Now().Add(time.Hour).Unix(),
	})
	tests := []struct {
		name    string
		header  string
		wantErr error
	}{
		{"valid", "Bearer " + token, nil},
		{"lowercase scheme", "bearer " + token, nil},
		{"no header", "", fakeentra.ErrMissingToken},
		{"empty bearer", "Bearer ", fakeentra.ErrMissingToken},
		{"basic auth", "Basic dXNlcjpwYXNz", fakeentra.ErrInvalidToken},
		{"garbage", "Bearer garbage", fakeentra.ErrInvalidToken},
		{"forged signature", "Bearer " + forged, fakeentra.ErrInvalidToken},
		{"tampered", "Bearer " + token[:len(token)-2] + "xx", fakeentra.ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := bearerRequest(t, "")
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			id, err := e.server.Authenticate(req)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && id.ClientID != clientA {
				t.Errorf("identity = %+v", id)
			}
		})
	}

	t.Run("expires on the server clock", func(t *testing.T) {
		clock.Advance(5*time.Minute - time.Second)
		if _, err := e.server.Authenticate(bearerRequest(t, token)); err != nil {
			t.Fatalf("token rejected before expiry: %v", err)
		}
		clock.Advance(2 * time.Second)
		if _, err := e.server.Authenticate(bearerRequest(t, token)); !errors.Is(err, fakeentra.ErrExpiredToken) {
			t.Errorf("err = %v, want ErrExpiredToken", err)
		}
	})
}
