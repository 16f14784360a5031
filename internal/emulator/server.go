// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is an Emulator listening on a real socket.
type Server struct {
	// URL is the base URL, e.g. https://127.0.0.1:43123 (no trailing slash):
	// the API endpoint and the authority host.
	URL      string
	CA       *CA
	Emulator *Emulator

	srv  *http.Server
	done chan error
	// fresh holds connections that have not sent a request yet. Shutdown
	// would wait 5 s before treating them as idle (clients open spare
	// connections they never use), so Close closes them at once.
	freshMu   sync.Mutex
	fresh     map[net.Conn]struct{}
	closeOnce sync.Once
	closeErr  error
}

// shutdownGrace bounds how long Close waits for in-flight requests.
const shutdownGrace = 5 * time.Second

// Start listens on listen ("127.0.0.1:0" picks a free port) and serves e.
// With a CA it serves HTTPS (HTTP/1.1 only, so fault injection can hijack
// connections) with a certificate for the listen host and localhost; with
// ca nil, plain HTTP.
func Start(e *Emulator, listen string, ca *CA) (*Server, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", listen, err)
	}
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		_ = ln.Close()
		return nil, fmt.Errorf("listener address %s is not TCP", ln.Addr())
	}
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	scheme := "http"
	if ca != nil {
		listenHost, _, _ := net.SplitHostPort(listen)
		cert, err := ca.ServerCertificate(host, listenHost)
		if err != nil {
			_ = ln.Close()
			return nil, err
		}
		ln = tls.NewListener(ln, &tls.Config{
			Certificates: []tls.Certificate{cert},
			MinVersion:   tls.VersionTLS12,
			NextProtos:   []string{"http/1.1"},
		})
		scheme = "https"
	}
	s := &Server{
		URL:      scheme + "://" + net.JoinHostPort(host, fmt.Sprint(addr.Port)),
		CA:       ca,
		Emulator: e,
		srv:      &http.Server{Handler: e.Handler(), ReadHeaderTimeout: 30 * time.Second},
		done:     make(chan error, 1),
		fresh:    map[net.Conn]struct{}{},
	}
	s.srv.ConnState = s.trackConn
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	return s, nil
}

// Client returns an HTTP client that trusts the server's CA.
func (s *Server) Client() *http.Client {
	tr := &http.Transport{}
	if base, ok := http.DefaultTransport.(*http.Transport); ok {
		tr = base.Clone()
	}
	if s.CA != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: s.CA.CertPool(), MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr}
}

// Close shuts down gracefully (in-flight requests get a few seconds), then
// forcibly. Calling it again returns the first result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.freshMu.Lock()
		for c := range s.fresh {
			_ = c.Close()
		}
		s.freshMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		err := s.srv.Shutdown(ctx)
		if err != nil {
			err = errors.Join(err, s.srv.Close())
		}
		if serveErr := <-s.done; serveErr != nil {
			err = errors.Join(err, serveErr)
		}
		s.closeErr = err
	})
	return s.closeErr
}

// trackConn remembers connections that have not sent a request yet.
func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.freshMu.Lock()
	defer s.freshMu.Unlock()
	if state == http.StateNew {
		s.fresh[c] = struct{}{}
	} else {
		delete(s.fresh, c)
	}
}
