// SPDX-License-Identifier: MPL-2.0

package fakeentra

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Errors returned by Authenticate; match them with errors.Is.
var (
	ErrMissingToken = errors.New("no bearer token in the Authorization header")
	ErrInvalidToken = errors.New("invalid bearer token")
	ErrExpiredToken = errors.New("expired bearer token")
)

// Identity is the caller an access token was issued to.
type Identity struct {
	TenantID  string
	ClientID  string
	ObjectID  string
	ExpiresAt time.Time
}

// accessTokenClaims are the app-only claims Partner Center relies on.
type accessTokenClaims struct {
	TenantID     string `json:"tid"`
	AppID        string `json:"appid"`
	ObjectID     string `json:"oid"`
	IdentityType string `json:"idtyp,omitempty"`
	Version      string `json:"ver,omitempty"`
	jwt.RegisteredClaims
}

type issuedToken struct {
	token     string
	issuedAt  time.Time
	expiresAt time.Time
	lifetime  time.Duration
}

func (s *Server) issueAccessToken(app *registeredApp) issuedToken {
	// JWT times have second precision; truncating keeps expires_in and exp consistent.
	now := s.now().Truncate(time.Second)
	exp := now.Add(s.tokenLifetime)
	claims := jwt.MapClaims{
		// A plain string aud, as Entra emits for v1 tokens.
		"aud":   Audience,
		"iss":   "https://sts.windows.net/" + app.TenantID + "/",
		"iat":   now.Unix(),
		"nbf":   now.Unix(),
		"exp":   exp.Unix(),
		"tid":   app.TenantID,
		"appid": app.ClientID,
		"oid":   app.objectID,
		"sub":   app.objectID,
		"idtyp": "app",
		"ver":   "1.0",
		// jti keeps tokens issued within the same second distinct.
		"jti": uuid.NewString(),
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.signingKey)
	if err != nil {
		// HS256 signing with a non-empty []byte key cannot fail.
		panic(fmt.Sprintf("fakeentra: signing access token: %v", err))
	}
	s.tokensIssued.Add(1)
	return issuedToken{token: signed, issuedAt: now, expiresAt: exp, lifetime: s.tokenLifetime}
}

// Authenticate validates the request's "Authorization: Bearer <jwt>" header
// against tokens this server issued, using the server clock for expiry.
func (s *Server) Authenticate(r *http.Request) (Identity, error) {
	header := strings.TrimSpace(r.Header.Get("Authorization"))
	if header == "" {
		return Identity{}, ErrMissingToken
	}
	scheme, raw, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return Identity{}, fmt.Errorf("%w: Authorization scheme is not Bearer", ErrInvalidToken)
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Identity{}, ErrMissingToken
	}
	claims := accessTokenClaims{}
	_, err := jwt.ParseWithClaims(raw, &claims,
		func(*jwt.Token) (any, error) { return s.signingKey, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(s.now),
	)
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenExpired):
		return Identity{}, ErrExpiredToken
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return Identity{}, fmt.Errorf("%w: audience is not %s", ErrInvalidToken, Audience)
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return Identity{}, fmt.Errorf("%w: token is not valid yet", ErrInvalidToken)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return Identity{}, fmt.Errorf("%w: signature is not from this authority", ErrInvalidToken)
	default:
		return Identity{}, fmt.Errorf("%w: malformed token", ErrInvalidToken)
	}
	if claims.TenantID == "" || claims.AppID == "" || claims.ObjectID == "" {
		return Identity{}, fmt.Errorf("%w: tid, appid and oid claims are required", ErrInvalidToken)
	}
	return Identity{
		TenantID:  claims.TenantID,
		ClientID:  claims.AppID,
		ObjectID:  claims.ObjectID,
		ExpiresAt: claims.ExpiresAt.Time,
	}, nil
}
