// SPDX-License-Identifier: MPL-2.0

package fakeentra

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Audience is the resource every issued access token is for.
const Audience = "https://api.partnercenter.microsoft.com"

// Scope is the only v2 scope the token endpoint grants.
const Scope = Audience + "/.default"

// DefaultTokenLifetime matches Entra's usual app-only token lifetime.
const DefaultTokenLifetime = time.Hour

// Options configures a Server.
type Options struct {
	// Apps are registered at start; more can be added with AddApp.
	Apps []App
	// TokenLifetime is how long issued access tokens are valid (default 1h).
	TokenLifetime time.Duration
	// Now is the clock for issuing and validating access tokens (default time.Now).
	Now func() time.Time
}

// Server is a fake Entra ID authority. It is safe for concurrent use.
type Server struct {
	signingKey    []byte
	tokenLifetime time.Duration
	now           func() time.Time

	mu   sync.RWMutex
	apps map[string]*registeredApp
	// tenants counts apps per tenant so unknown tenants get Entra's
	// "tenant not found" rather than "application not found".
	tenants map[string]int

	tokensIssued atomic.Int64
}

// New validates the apps and returns a Server with a fresh random signing key.
func New(opts Options) (*Server, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("generating token signing key: %w", err)
	}
	s := &Server{
		signingKey:    key,
		tokenLifetime: opts.TokenLifetime,
		now:           opts.Now,
		apps:          map[string]*registeredApp{},
		tenants:       map[string]int{},
	}
	if s.tokenLifetime <= 0 {
		s.tokenLifetime = DefaultTokenLifetime
	}
	if s.now == nil {
		s.now = time.Now
	}
	for i, a := range opts.Apps {
		if err := validateApp(a); err != nil {
			return nil, fmt.Errorf("app %d (clientId %q): %w", i, a.ClientID, err)
		}
		s.AddApp(a)
	}
	return s, nil
}

// AddApp registers an app, replacing any app with the same tenant and client id.
// An unparsable CertificatePEM does not fail here; certificate logins for that
// app are then rejected with an explanatory error.
func (s *Server) AddApp(a App) {
	ra := newRegisteredApp(a)
	key := appKey(a.TenantID, a.ClientID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, exists := s.apps[key]; !exists {
		s.tenants[normalizeTenant(a.TenantID)]++
	}
	s.apps[key] = ra
}

// TokensIssued counts access tokens issued since the server started.
func (s *Server) TokensIssued() int {
	return int(s.tokensIssued.Load())
}

// Handler serves the discovery and token endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/{tenant}/v2.0/.well-known/openid-configuration", s.serveOpenIDConfiguration)
	mux.HandleFunc("/{tenant}/.well-known/openid-configuration", s.serveOpenIDConfiguration)
	mux.HandleFunc("/{tenant}/oauth2/v2.0/token", s.serveTokenV2)
	mux.HandleFunc("/{tenant}/oauth2/token", s.serveTokenV1)
	mux.HandleFunc("/common/discovery/instance", s.serveInstanceDiscovery)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "invalid_request", 90027,
			fmt.Sprintf("The endpoint %q is not served by this fake Entra ID.", r.URL.Path))
	})
	return mux
}

func (s *Server) lookupApp(tenantID, clientID string) *registeredApp {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.apps[appKey(tenantID, clientID)]
}

func (s *Server) tenantKnown(tenantID string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tenants[normalizeTenant(tenantID)] > 0
}
