// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

const (
	// refreshMargin is how long before expiry a token is replaced, so a request
	// started with it does not reach the API after it expired.
	refreshMargin = 5 * time.Minute
	// refreshTimeout bounds a refresh that no caller is waiting for any more.
	refreshTimeout = 2 * time.Minute
)

// cachingProvider shares one token between all callers and refreshes it
// shortly before expiry, with at most one refresh in flight.
type cachingProvider struct {
	credential azcore.TokenCredential
	method     string
	now        func() time.Time

	mu       sync.Mutex
	current  cachedToken
	inflight *refreshCall
}

type cachedToken struct {
	value     string
	expiresOn time.Time
	refreshAt time.Time
}

// refreshCall is one token request that any number of callers wait for.
type refreshCall struct {
	done  chan struct{}
	token cachedToken
	err   error
}

func newCachingProvider(credential azcore.TokenCredential, method string, now func() time.Time) *cachingProvider {
	return &cachingProvider{credential: credential, method: method, now: now}
}

// Token returns the cached token, or waits for a refresh when the token is
// missing or inside its refresh window.
func (p *cachingProvider) Token(ctx context.Context) (string, error) {
	p.mu.Lock()
	if p.current.value != "" && p.now().Before(p.current.refreshAt) {
		token := p.current.value
		p.mu.Unlock()
		return token, nil
	}
	call := p.inflight
	if call == nil {
		call = &refreshCall{done: make(chan struct{})}
		p.inflight = call
		// The refresh is detached from this caller's cancellation so that one
		// impatient caller cannot fail the refresh for everyone else waiting.
		go p.refresh(context.WithoutCancel(ctx), call)
	}
	p.mu.Unlock()

	select {
	case <-call.done:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if call.err == nil {
		return call.token.value, nil
	}
	// A failed early refresh is not fatal while the old token is still valid;
	// the next call tries again.
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.current.value != "" && p.now().Before(p.current.expiresOn) {
		return p.current.value, nil
	}
	return "", call.err
}

func (p *cachingProvider) refresh(ctx context.Context, call *refreshCall) {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	tok, err := p.credential.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{Scope}})

	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		call.err = fmt.Errorf("acquiring a Partner Center token using %s: %w", p.method, err)
	} else {
		call.token = p.newCachedToken(tok)
		p.current = call.token
	}
	p.inflight = nil
	close(call.done)
}

// newCachedToken schedules the refresh refreshMargin before expiry, or halfway
// through the lifetime for tokens shorter than twice the margin, and earlier
// if the identity platform suggested it.
func (p *cachingProvider) newCachedToken(tok azcore.AccessToken) cachedToken {
	margin := refreshMargin
	if lifetime := tok.ExpiresOn.Sub(p.now()); lifetime < 2*refreshMargin {
		margin = lifetime / 2
	}
	refreshAt := tok.ExpiresOn.Add(-margin)
	if !tok.RefreshOn.IsZero() && tok.RefreshOn.Before(refreshAt) {
		refreshAt = tok.RefreshOn
	}
	return cachedToken{value: tok.Token, expiresOn: tok.ExpiresOn, refreshAt: refreshAt}
}
