// SPDX-License-Identifier: MPL-2.0

package fakeentra

import (
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// assertionClockSkew tolerates clients whose clock differs from ours, as Entra does.
const assertionClockSkew = 5 * time.Minute

// checkAssertion accepts a registered federated token verbatim, or a JWT signed
// by the key of one of the app's certificates whose aud is one of this
// tenant's token endpoints and whose iss and sub are the client id.
//
// Assertion lifetimes are checked against the real clock, not Options.Now:
// clients sign them with their own wall clock, and the emulator may run its
// clock ahead of real time.
func checkAssertion(app *registeredApp, assertion string, audiences []string) *tokenError {
	for _, federated := range app.FederatedTokens {
		if federated != "" && subtle.ConstantTimeCompare([]byte(assertion), []byte(federated)) == 1 {
			return nil
		}
	}
	if len(app.certificates) == 0 {
		if len(app.FederatedTokens) > 0 {
			return badRequest("invalid_client", 70021, "No matching federated identity record found for presented assertion.")
		}
		if app.certificateErr != nil {
			return invalidClient(700027, "Client assertion failed signature validation: the certificate registered for app '%s' could not be parsed.", app.ClientID)
		}
		return invalidClient(700027, "Client assertion failed signature validation: app '%s' has no certificate or federated credential registered.", app.ClientID)
	}

	keys := jwt.VerificationKeySet{}
	for _, cert := range app.certificates {
		if pub, ok := cert.PublicKey.(*rsa.PublicKey); ok {
			keys.Keys = append(keys.Keys, pub)
		}
	}
	claims := jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(assertion, &claims,
		func(*jwt.Token) (any, error) { return keys, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg(), jwt.SigningMethodPS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(assertionClockSkew),
		jwt.WithTimeFunc(time.Now),
	)
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return invalidClient(700024, "Client assertion is not within its valid time range.")
	case errors.Is(err, jwt.ErrTokenMalformed):
		if len(app.FederatedTokens) > 0 {
			return badRequest("invalid_client", 70021, "No matching federated identity record found for presented assertion.")
		}
		return badRequest("invalid_request", 50027, "JWT token is invalid or malformed.")
	default:
		return invalidClient(700027, "Client assertion failed signature validation.")
	}

	if !audienceMatches(claims.Audience, audiences) {
		return invalidClient(700212, "Client assertion audience claim does not match the token endpoint '%s'.", audiences[0])
	}
	if claims.Issuer != app.ClientID || claims.Subject != app.ClientID {
		return invalidClient(700021, "Client assertion application identifier doesn't match 'client_id' parameter.")
	}
	return nil
}

func audienceMatches(got jwt.ClaimStrings, want []string) bool {
	for _, g := range got {
		for _, w := range want {
			if strings.EqualFold(strings.TrimSuffix(g, "/"), w) {
				return true
			}
		}
	}
	return false
}
