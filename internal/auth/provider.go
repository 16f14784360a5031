// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
)

// TokenProvider returns a valid bearer token for the Partner Center API. It has
// the same method set as partnercenter.TokenProvider.
type TokenProvider interface {
	Token(ctx context.Context) (string, error)
}

// NewTokenProvider validates c and builds a caching, refreshing token source for
// the configured method. transport is used for token (and GitHub OIDC) requests;
// nil means the SDK default. No token is requested until the first Token call.
func NewTokenProvider(ctx context.Context, c Config, transport *http.Client) (TokenProvider, error) {
	return newTokenProvider(ctx, c, transport, time.Now)
}

func newTokenProvider(_ context.Context, c Config, transport *http.Client, now func() time.Time) (TokenProvider, error) {
	if problems := c.Validate(); len(problems) > 0 {
		return nil, problemsError(problems)
	}
	if c.Method() == MethodAccessToken {
		return staticToken(c.AccessToken), nil
	}
	credential, err := c.newCredential(transport)
	if err != nil {
		return nil, err
	}
	return newCachingProvider(credential, c.Method(), now), nil
}

// problemsError joins problem summaries and details into one error for callers
// that do not render Problems as diagnostics themselves.
func problemsError(problems []Problem) error {
	parts := make([]string, 0, len(problems))
	for _, p := range problems {
		parts = append(parts, p.Summary+": "+p.Detail)
	}
	return errors.New("invalid Partner Center authentication configuration: " + strings.Join(parts, "\n"))
}

// staticToken is a pre-acquired token, used as is: refreshing it is the
// caller's responsibility.
type staticToken string

// Token returns the configured access token.
func (t staticToken) Token(context.Context) (string, error) {
	return string(t), nil
}
