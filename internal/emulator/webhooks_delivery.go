// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"cmp"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

const (
	// WebhookPending is waiting for its first or next attempt.
	WebhookPending = "pending"
	// WebhookDelivered got a 2xx answer.
	WebhookDelivered = "delivered"
	// WebhookFailed got no 2xx answer in MaxAttempts attempts.
	WebhookFailed = "failed"
	// WebhookDropped was abandoned because the registration was deleted,
	// replaced or unsubscribed from the event, or the emulator was reset.
	WebhookDropped = "dropped"
)

// Delivery defaults. Partner Center makes 10 attempts before parking an
// event (REFERENCE.md §7.1); its schedule is not documented.
const (
	DefaultWebhookMaxAttempts    = 10
	DefaultWebhookInitialBackoff = time.Second
	DefaultWebhookMaxBackoff     = time.Minute
	DefaultWebhookTimeout        = 10 * time.Second
)

// defaultWebhookBaseURL is the base of envelope links for a registration
// made through the Go API before any webhook request showed the server's
// address.
const defaultWebhookBaseURL = "https://api.partnercenter.microsoft.com"

// maxWebhookRecords bounds the delivery history kept for the admin API; the
// oldest finished deliveries are forgotten first.
const maxWebhookRecords = 10_000

// WebhookDeliveryOptions tunes webhook delivery. Zero fields mean the
// defaults; tests shorten the backoff so retries take milliseconds.
type WebhookDeliveryOptions struct {
	// MaxAttempts is how many times one envelope is sent before it is
	// marked failed (default 10).
	MaxAttempts int
	// InitialBackoff is the wait after the first failed attempt; it
	// doubles after each further failure (default 1s).
	InitialBackoff time.Duration
	// MaxBackoff caps the wait between attempts (default 1m).
	MaxBackoff time.Duration
	// Timeout bounds one attempt (default 10s).
	Timeout time.Duration
	// BaseURL, when set, is the base of ResourceUri, AuditUri and
	// X-MS-Certificate-Url. By default it is the scheme and host the
	// registration was made through, i.e. this emulator as its client saw it.
	BaseURL string
	// RootCAs verifies https receivers; nil means the system roots.
	RootCAs *x509.CertPool
}

func (o WebhookDeliveryOptions) withDefaults() (WebhookDeliveryOptions, error) {
	if o.MaxAttempts < 0 || o.InitialBackoff < 0 || o.MaxBackoff < 0 || o.Timeout < 0 {
		return o, errors.New("webhook delivery options must not be negative")
	}
	o.MaxAttempts = cmp.Or(o.MaxAttempts, DefaultWebhookMaxAttempts)
	o.InitialBackoff = cmp.Or(o.InitialBackoff, DefaultWebhookInitialBackoff)
	o.MaxBackoff = cmp.Or(o.MaxBackoff, DefaultWebhookMaxBackoff)
	if o.MaxBackoff < o.InitialBackoff {
		o.MaxBackoff = o.InitialBackoff
	}
	o.Timeout = cmp.Or(o.Timeout, DefaultWebhookTimeout)
	if o.BaseURL != "" {
		u, err := url.Parse(o.BaseURL)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return o, fmt.Errorf("webhook base URL %q is not an absolute URL", o.BaseURL)
		}
		o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	}
	return o, nil
}

// webhookOptionsJSON is the admin API form: durations as Go duration strings.
type webhookOptionsJSON struct {
	MaxAttempts    int          `json:"maxAttempts"`
	InitialBackoff jsonDuration `json:"initialBackoff"`
	MaxBackoff     jsonDuration `json:"maxBackoff"`
	Timeout        jsonDuration `json:"timeout"`
	BaseURL        string       `json:"baseUrl"`
}

// MarshalJSON writes durations as Go duration strings ("1s").
func (o WebhookDeliveryOptions) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"maxAttempts": o.MaxAttempts, "initialBackoff": o.InitialBackoff.String(),
		"maxBackoff": o.MaxBackoff.String(), "timeout": o.Timeout.String(), "baseUrl": o.BaseURL,
	})
}

// UnmarshalJSON reads durations as strings ("250ms") or nanoseconds and
// rejects unknown properties, so an admin typo fails loudly.
func (o *WebhookDeliveryOptions) UnmarshalJSON(b []byte) error {
	var v webhookOptionsJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*o = WebhookDeliveryOptions{MaxAttempts: v.MaxAttempts, InitialBackoff: time.Duration(v.InitialBackoff),
		MaxBackoff: time.Duration(v.MaxBackoff), Timeout: time.Duration(v.Timeout), BaseURL: v.BaseURL}
	return nil
}

// WebhookDelivery is one envelope for one registered partner and what
// happened to it.
type WebhookDelivery struct {
	ID              int64  `json:"id"`
	PartnerTenantID string `json:"partnerTenantId"`
	SubscriberID    string `json:"subscriberId"`
	CustomerID      string `json:"customerId"`
	TransferID      string `json:"transferId"`
	// CorrelationID is set on test-created (validation) events.
	CorrelationID string          `json:"correlationId,omitempty"`
	Envelope      WebhookEnvelope `json:"envelope"`
	// State is WebhookPending, WebhookDelivered, WebhookFailed or WebhookDropped.
	State    string           `json:"state"`
	Attempts []WebhookAttempt `json:"attempts"`
}

// WebhookAttempt is one POST of an envelope.
type WebhookAttempt struct {
	// At is when the attempt finished (real time).
	At time.Time `json:"at"`
	// URL is the receiver, without its query string (it may hold a key).
	URL string `json:"url"`
	// Status is the receiver's HTTP status; 0 when there was no answer.
	Status int `json:"status,omitempty"`
	// Error says why there was no answer.
	Error string `json:"error,omitempty"`
}

// webhookDelivery is a WebhookDelivery with what is needed to send it.
type webhookDelivery struct {
	rec     WebhookDelivery // guarded by webhookService.mu
	baseURL string
	body    []byte
}

// webhookQueue holds one partner's pending deliveries, sent one at a time
// in order by a goroutine that exists only while the queue is not empty.
type webhookQueue struct {
	pending []*webhookDelivery
	running bool
}

// onEvent queues an envelope for every partner of the transfer that
// registered for the event. It runs on the request goroutine, so it only
// queues; sending happens on the partner's delivery goroutine.
func (s *webhookService) onEvent(ev Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	auditID := s.e.audit.idForEvent(ev)
	queued := false
	for i, partner := range ev.PartnerTenantIDs {
		reg := s.regs[partner]
		if reg == nil || !slices.Contains(reg.WebhookEvents, ev.Name) || slices.Contains(ev.PartnerTenantIDs[:i], partner) {
			continue
		}
		base := s.baseLocked(reg)
		if s.queueLocked(partner, reg, base, transferEnvelope(base, auditID, ev), ev.CustomerID, ev.TransferID) != nil {
			queued = true
		}
	}
	if queued {
		s.trimRecordsLocked()
		s.notifyLocked()
	}
}

// queueLocked adds one envelope to partner's queue and starts its delivery
// goroutine if needed; nil if the envelope could not be encoded.
func (s *webhookService) queueLocked(partner string, reg *webhookRegistration, base string, envelope WebhookEnvelope, customerID, transferID string) *webhookDelivery {
	body, err := envelopeBody(envelope)
	if err != nil {
		return nil // A struct of strings always encodes.
	}
	s.nextID++
	d := &webhookDelivery{
		rec: WebhookDelivery{ID: s.nextID, PartnerTenantID: partner, SubscriberID: reg.SubscriberID,
			CustomerID: customerID, TransferID: transferID, Envelope: envelope, State: WebhookPending, Attempts: []WebhookAttempt{}},
		baseURL: base,
		body:    body,
	}
	s.records = append(s.records, d)
	q := s.queues[partner]
	if q == nil {
		q = &webhookQueue{}
		s.queues[partner] = q
	}
	q.pending = append(q.pending, d)
	if !q.running {
		q.running = true
		go s.run(s.ctx, q)
	}
	return d
}

func (s *webhookService) baseLocked(reg *webhookRegistration) string {
	switch {
	case s.opts.BaseURL != "":
		return s.opts.BaseURL
	case reg.baseURL != "":
		return reg.baseURL
	case s.lastBase != "":
		return s.lastBase
	}
	return defaultWebhookBaseURL
}

// transferEnvelope is the envelope in the form the live service was seen
// sending (REFERENCE.md §7.2): ResourceUri names the customer only, and AuditUri
// links the audit record of the change, whose id's third "_" part is the
// transfer id. Without a record (none was written) AuditUri is null.
func transferEnvelope(base, auditID string, ev Event) WebhookEnvelope {
	at := ev.Time.UTC()
	env := WebhookEnvelope{
		EventName:             ev.Name,
		ResourceURI:           base + "/v1/customers/" + ev.CustomerID,
		ResourceName:          "Transfer",
		ResourceChangeUtcDate: at.Format("2006-01-02T15:04:05.0000000+00:00"),
	}
	if auditID != "" {
		env.AuditURI = base + "/auditactivity/v1/auditrecords/" + auditID
	}
	return env
}

// wireEnvelope is the body POSTed to receivers: PascalCase, and AuditUri
// null when the event has no audit record (test-created, REFERENCE.md §7.1).
type wireEnvelope struct {
	EventName             string  `json:"EventName"`
	ResourceURI           string  `json:"ResourceUri"`
	ResourceName          string  `json:"ResourceName"`
	AuditURI              *string `json:"AuditUri"`
	ResourceChangeUtcDate string  `json:"ResourceChangeUtcDate"`
}

func envelopeBody(env WebhookEnvelope) ([]byte, error) {
	w := wireEnvelope{EventName: env.EventName, ResourceURI: env.ResourceURI, ResourceName: env.ResourceName,
		ResourceChangeUtcDate: env.ResourceChangeUtcDate}
	if env.AuditURI != "" {
		w.AuditURI = &env.AuditURI
	}
	return json.Marshal(w)
}

// run sends q's deliveries in order until the queue is empty or the world
// it belongs to is reset.
func (s *webhookService) run(ctx context.Context, q *webhookQueue) {
	for {
		s.mu.Lock()
		if len(q.pending) == 0 || ctx.Err() != nil {
			q.running = false
			s.mu.Unlock()
			return
		}
		d := q.pending[0]
		s.mu.Unlock()
		s.deliver(ctx, d)
		s.mu.Lock()
		q.pending = q.pending[1:]
		s.mu.Unlock()
	}
}

// deliver makes up to MaxAttempts attempts with doubling backoff. Before
// each it checks that the partner still wants the event from this
// registration and sends to the registration's current URL.
func (s *webhookService) deliver(ctx context.Context, d *webhookDelivery) {
	for attempt := 1; ; attempt++ {
		s.mu.Lock()
		reg := s.regs[d.rec.PartnerTenantID]
		if ctx.Err() != nil || reg == nil || reg.SubscriberID != d.rec.SubscriberID || !slices.Contains(reg.WebhookEvents, d.rec.Envelope.EventName) {
			s.finishLocked(d, WebhookDropped)
			s.mu.Unlock()
			return
		}
		target, opts, client := reg.WebhookURL, s.opts, s.client
		s.mu.Unlock()

		status, err := s.post(ctx, client, opts.Timeout, target, d)
		s.mu.Lock()
		a := WebhookAttempt{At: s.e.opts.RealClock().UTC(), URL: redactURL(target), Status: status}
		if err != nil {
			a.Error = redactError(err, target)
		}
		d.rec.Attempts = append(d.rec.Attempts, a)
		switch {
		case err == nil && status >= 200 && status < 300:
			s.finishLocked(d, WebhookDelivered)
			s.mu.Unlock()
			return
		case attempt >= opts.MaxAttempts:
			s.finishLocked(d, WebhookFailed)
			s.mu.Unlock()
			return
		}
		s.notifyLocked()
		s.mu.Unlock()
		// A canceled wait ends at the check above on the next turn.
		_ = s.sleep(ctx, backoff(opts, attempt))
	}
}

func (s *webhookService) finishLocked(d *webhookDelivery, state string) {
	d.rec.State = state
	s.notifyLocked()
}

// post sends one signed attempt and returns the receiver's status.
func (s *webhookService) post(ctx context.Context, client *http.Client, timeout time.Duration, target string, d *webhookDelivery) (int, error) {
	signer, err := s.getSigner()
	if err != nil {
		return 0, err
	}
	authorization, err := signer.authorization(d.body)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(d.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Authorization", authorization)
	req.Header.Set(WebhookCertificateURLHeader, d.baseURL+"/_emulator/webhooks/certificate")
	req.Header.Set(WebhookAlgorithmHeader, WebhookSignatureAlgorithm)
	req.Header.Set("User-Agent", "partnercenter-emulator-webhooks")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	// Drain a little so the connection can be reused; the answer is ignored.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

func (s *webhookService) getSigner() (*webhookSigner, error) {
	// The RSA key is made on first use, not in New: most emulators in tests
	// never deliver a webhook.
	s.signerOnce.Do(func() { s.signer, s.signerErr = newWebhookSigner() })
	return s.signer, s.signerErr
}

// backoff is the wait after the attempt-th failure: InitialBackoff doubled
// per further failure, at most MaxBackoff.
func backoff(opts WebhookDeliveryOptions, attempt int) time.Duration {
	d := opts.InitialBackoff
	for i := 1; i < attempt && d < opts.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, opts.MaxBackoff)
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// trimRecordsLocked forgets the oldest finished deliveries beyond the bound.
func (s *webhookService) trimRecordsLocked() {
	excess := len(s.records) - maxWebhookRecords
	if excess <= 0 {
		return
	}
	kept := s.records[:0]
	for _, d := range s.records {
		if excess > 0 && d.rec.State != WebhookPending {
			excess--
			continue
		}
		kept = append(kept, d)
	}
	clear(s.records[len(kept):])
	s.records = kept
}

// snapshotLocked copies the delivery history, optionally of one partner.
func (s *webhookService) snapshotLocked(partner string) []WebhookDelivery {
	out := []WebhookDelivery{}
	for _, d := range s.records {
		if partner != "" && d.rec.PartnerTenantID != partner {
			continue
		}
		rec := d.rec
		rec.Attempts = slices.Clone(d.rec.Attempts)
		out = append(out, rec)
	}
	return out
}
