// SPDX-License-Identifier: MPL-2.0

// Command partnercenter-webhook-receiver is a tiny Partner Center webhook
// receiver for demos and rehearsals against the local emulator. It listens
// on loopback, verifies each delivery's signature with the certificate named
// in X-MS-Certificate-Url, and prints one line per envelope to stdout:
//
//	PARTNERCENTER_WEBHOOK_URL=http://127.0.0.1:40123/partnercenter
//	PARTNERCENTER_WEBHOOK_RECEIVER_READY=1
//	create-transfer customer=c3c3... transfer=2f6b... at=2025-03-01T10:15:30.1234567+00:00 signature=verified
//
// Register the printed URL with partnercenter_webhook_registration. The
// certificate is downloaded only from loopback hosts (the emulator); trust
// the emulator's HTTPS CA with SSL_CERT_FILE, as for the provider.
package main

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/cmdmain"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/loopback"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

func main() {
	cmdmain.Run("partnercenter-webhook-receiver", run)
}

// maxEnvelopeBytes bounds a delivery; envelopes are a few hundred bytes.
const maxEnvelopeBytes = 1 << 20

// config is the parsed command line.
type config struct {
	listen     string
	path       string
	certFile   string
	verify     bool
	jsonOutput bool
	exitAfter  int
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("partnercenter-webhook-receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "loopback address to listen on; port 0 picks a free port")
	fs.StringVar(&c.path, "path", "/partnercenter", "URL path that accepts deliveries")
	fs.StringVar(&c.certFile, "certificate", "", "PEM or DER signing certificate to verify with (default: download it from X-MS-Certificate-Url, loopback hosts only)")
	fs.BoolVar(&c.verify, "verify", true, "verify signatures; unverified deliveries are answered 401")
	fs.BoolVar(&c.jsonOutput, "json", false, "print each delivery as a JSON object instead of a summary line")
	fs.IntVar(&c.exitAfter, "exit-after", 0, "exit after this many accepted deliveries (0: run until SIGINT/SIGTERM)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if !strings.HasPrefix(c.path, "/") {
		return c, fmt.Errorf("-path %q must start with /", c.path)
	}
	if c.exitAfter < 0 {
		return c, errors.New("-exit-after must not be negative")
	}
	host, _, err := net.SplitHostPort(c.listen)
	if err != nil {
		return c, fmt.Errorf("-listen %q: %w", c.listen, err)
	}
	if !loopback.Host(host) {
		// A receiver that skips production checks must not face a network.
		return c, fmt.Errorf("-listen %q: only loopback addresses are allowed", c.listen)
	}
	return c, nil
}

// run listens, prints the URL and serves deliveries until ctx ends or
// -exit-after deliveries were accepted.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := log.New(stderr, "partnercenter-webhook-receiver: ", log.LstdFlags)
	r := &receiver{cfg: c, out: stdout, logger: logger, certs: map[string]*x509.Certificate{},
		fetch: &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if c.certFile != "" {
		b, err := os.ReadFile(c.certFile)
		if err != nil {
			return fmt.Errorf("-certificate: %w", err)
		}
		if r.fixedCert, err = emulator.ParseWebhookCertificate(b); err != nil {
			return fmt.Errorf("-certificate %s: %w", c.certFile, err)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.done = cancel

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", c.listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", c.listen, err)
	}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	if _, err := fmt.Fprintf(stdout, "PARTNERCENTER_WEBHOOK_URL=http://%s%s\nPARTNERCENTER_WEBHOOK_RECEIVER_READY=1\n", ln.Addr(), c.path); err != nil {
		_ = srv.Close()
		return fmt.Errorf("writing the URL: %w", err)
	}
	select {
	case <-ctx.Done():
	case err := <-served:
		return fmt.Errorf("serving: %w", err)
	}
	shutdownCtx, cancelShutdown := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancelShutdown()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return errors.Join(err, srv.Close())
	}
	return nil
}

// receiver handles deliveries.
type receiver struct {
	cfg       config
	out       io.Writer
	logger    *log.Logger
	fetch     *http.Client
	fixedCert *x509.Certificate
	done      func()

	mu       sync.Mutex
	certs    map[string]*x509.Certificate // downloaded, by URL
	accepted int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path != r.cfg.path {
		http.NotFound(w, req)
		return
	}
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxEnvelopeBytes))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	var env partnercenter.WebhookEvent
	if err := json.Unmarshal(body, &env); err != nil || env.EventName == "" {
		r.logger.Printf("rejected a delivery that is not a webhook envelope")
		http.Error(w, "not a Partner Center webhook envelope", http.StatusBadRequest)
		return
	}
	verdict := "unchecked"
	status := http.StatusOK
	if r.cfg.verify {
		if err := r.verify(req.Context(), req.Header, body); err != nil {
			verdict = "INVALID (" + err.Error() + ")"
			status = http.StatusUnauthorized
		} else {
			verdict = "verified"
		}
	}
	r.print(env, verdict)
	w.WriteHeader(status)
	if status == http.StatusOK {
		r.mu.Lock()
		r.accepted++
		finished := r.cfg.exitAfter > 0 && r.accepted >= r.cfg.exitAfter
		r.mu.Unlock()
		if finished {
			r.done()
		}
	}
}

// verify checks the signature with the fixed or downloaded certificate.
func (r *receiver) verify(ctx context.Context, h http.Header, body []byte) error {
	if alg := h.Get(emulator.WebhookAlgorithmHeader); !strings.EqualFold(alg, emulator.WebhookSignatureAlgorithm) {
		return fmt.Errorf("unsupported %s %q", emulator.WebhookAlgorithmHeader, alg)
	}
	cert := r.fixedCert
	if cert == nil {
		var err error
		if cert, err = r.certificate(ctx, h.Get(emulator.WebhookCertificateURLHeader)); err != nil {
			return err
		}
	}
	return emulator.VerifyWebhookSignature(body, h.Get("Authorization"), cert)
}

// certificate downloads (once per URL) the certificate a delivery names.
// Only loopback hosts are contacted: the header comes from the sender, and
// a receiver must not be made to fetch arbitrary URLs.
func (r *receiver) certificate(ctx context.Context, certURL string) (*x509.Certificate, error) {
	u, err := url.Parse(certURL)
	if err != nil || !u.IsAbs() || !loopback.Host(u.Hostname()) {
		return nil, fmt.Errorf("%s %q is not a loopback URL", emulator.WebhookCertificateURLHeader, certURL)
	}
	r.mu.Lock()
	cert := r.certs[certURL]
	r.mu.Unlock()
	if cert != nil {
		return cert, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil) //nolint:gosec // G704: u is a loopback URL (checked above); fetching it is the protocol.
	if err != nil {
		return nil, err
	}
	resp, err := r.fetch.Do(req) //nolint:gosec // G704: as above, loopback only.
	if err != nil {
		return nil, fmt.Errorf("downloading the certificate: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading the certificate: HTTP %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxEnvelopeBytes))
	if err != nil {
		return nil, fmt.Errorf("downloading the certificate: %w", err)
	}
	if cert, err = emulator.ParseWebhookCertificate(b); err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.certs[certURL] = cert
	r.mu.Unlock()
	return cert, nil
}

// print writes one line per delivery, whole, so concurrent deliveries
// never interleave.
func (r *receiver) print(env partnercenter.WebhookEvent, verdict string) {
	customer, transfer := transferOf(env)
	var line string
	if r.cfg.jsonOutput {
		b, _ := json.Marshal(struct {
			Envelope  partnercenter.WebhookEvent `json:"envelope"`
			Customer  string                     `json:"customerId"`
			Transfer  string                     `json:"transferId"`
			Signature string                     `json:"signature"`
		}{env, customer, transfer, verdict})
		line = string(b)
	} else {
		line = fmt.Sprintf("%s customer=%s transfer=%s at=%s signature=%s", env.EventName, orDash(customer), orDash(transfer), orDash(env.ResourceChangeUtcDate), verdict)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	bw := bufio.NewWriter(r.out)
	_, _ = bw.WriteString(line + "\n")
	if err := bw.Flush(); err != nil {
		r.logger.Printf("writing to stdout: %v", err)
	}
}

// transferOf reads the customer and transfer ids the way receivers of the
// live service do: from the AuditUri's last segment,
// <partner>_<customer>_<transfer>_<operation>_<ticks>.
func transferOf(env partnercenter.WebhookEvent) (customer, transfer string) {
	segment := env.AuditURI[strings.LastIndex(env.AuditURI, "/")+1:]
	parts := strings.Split(segment, "_")
	if len(parts) == 5 {
		return parts[1], parts[2]
	}
	return "", ""
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
