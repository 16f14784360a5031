// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// stubCredential hands out numbered tokens with a fixed lifetime on the test
// clock, optionally blocking until released.
type stubCredential struct {
	clock     *testClock
	lifetime  time.Duration
	refreshIn time.Duration
	release   chan struct{}

	mu     sync.Mutex
	calls  int
	scopes []string
}

func (s *stubCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if s.release != nil {
		select {
		case <-s.release:
		case <-ctx.Done():
			return azcore.AccessToken{}, ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	s.scopes = opts.Scopes
	now := s.clock.Now()
	tok := azcore.AccessToken{Token: "token-" + strconv.Itoa(s.calls), ExpiresOn: now.Add(s.lifetime)}
	if s.refreshIn > 0 {
		tok.RefreshOn = now.Add(s.refreshIn)
	}
	return tok, nil
}

func (s *stubCredential) callCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func TestCacheRefreshSchedule(t *testing.T) {
	tests := []struct {
		name        string
		lifetime    time.Duration
		refreshIn   time.Duration
		stillCached time.Duration
		refreshed   time.Duration
	}{
		{"one hour token refreshes five minutes early", time.Hour, 0, 54*time.Minute + 59*time.Second, 55 * time.Minute},
		{"short token refreshes at half its lifetime", 4 * time.Minute, 0, 119 * time.Second, 2 * time.Minute},
		{"refresh_in hint from Entra wins when earlier", 24 * time.Hour, 12 * time.Hour, 12*time.Hour - time.Second, 12 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newTestClock()
			cred := &stubCredential{clock: clock, lifetime: tt.lifetime, refreshIn: tt.refreshIn}
			p := newCachingProvider(cred, MethodClientSecret, clock.Now)
			first, err := p.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(cred.scopes) != 1 || cred.scopes[0] != Scope {
				t.Errorf("scopes = %v", cred.scopes)
			}
			clock.Advance(tt.stillCached)
			if tok, _ := p.Token(t.Context()); tok != first || cred.callCount() != 1 {
				t.Fatalf("refreshed before %v", tt.stillCached)
			}
			clock.Advance(tt.refreshed - tt.stillCached)
			if tok, _ := p.Token(t.Context()); tok == first || cred.callCount() != 2 {
				t.Fatalf("not refreshed at %v", tt.refreshed)
			}
		})
	}
}

func TestCacheWaitingCallerCanGiveUp(t *testing.T) {
	clock := newTestClock()
	cred := &stubCredential{clock: clock, lifetime: time.Hour, release: make(chan struct{})}
	p := newCachingProvider(cred, MethodClientSecret, clock.Now)

	impatient, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := p.Token(impatient); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}

	// The refresh the impatient caller started keeps going for everyone else.
	result := make(chan error, 1)
	go func() {
		_, err := p.Token(t.Context())
		result <- err
	}()
	close(cred.release)
	if err := <-result; err != nil {
		t.Fatal(err)
	}
	if got := cred.callCount(); got != 1 {
		t.Errorf("credential called %d times, want 1", got)
	}
}
