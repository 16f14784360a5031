// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// The webhook registration API (reference 1.3) and the delivery of transfer
// events (reference 7) to registered partners. It plugs into the emulator
// through the extensions hook; see README.md "Webhooks".

func init() { extensions = append(extensions, registerWebhooks) }

// Route names of the webhook registration API, for stats and faults.
const (
	routeWebhookEvents = "webhook-events"
	routeWebhookGet    = "webhook-get"
	routeWebhookCreate = "webhook-create"
	routeWebhookUpdate = "webhook-update"
	routeWebhookDelete = "webhook-delete"
)

// otherWebhookEvents are documented Partner Center events the emulator
// accepts in registrations besides the transfer events. It never raises them.
var otherWebhookEvents = []string{"test-created", "subscription-updated", "usagerecords-thresholdExceeded", "invoice-ready"}

// WebhookEventNames returns the event names GET
// /webhooks/v1/registration/events offers: the transfer events first.
func WebhookEventNames() []string {
	return append(slices.Clone(transferEvents), otherWebhookEvents...)
}

// States of a WebhookDelivery.
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
// event (reference 7.1); its schedule is not documented.
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

// maxRedirects bounds redirects between loopback receivers.
const maxRedirects = 5

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
	if o.MaxAttempts == 0 {
		o.MaxAttempts = DefaultWebhookMaxAttempts
	}
	if o.InitialBackoff == 0 {
		o.InitialBackoff = DefaultWebhookInitialBackoff
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = DefaultWebhookMaxBackoff
	}
	if o.MaxBackoff < o.InitialBackoff {
		o.MaxBackoff = o.InitialBackoff
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultWebhookTimeout
	}
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
	ID              int64        `json:"id"`
	PartnerTenantID string       `json:"partnerTenantId"`
	SubscriberID    string       `json:"subscriberId"`
	CustomerID      string       `json:"customerId"`
	TransferID      string       `json:"transferId"`
	Envelope        WebhookEvent `json:"envelope"`
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

// webhookRegistration is a partner's registration plus where the emulator
// was reached when it was made (the base of envelope links).
type webhookRegistration struct {
	WebhookRegistration
	baseURL string
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

// webhookService is the webhook state of one Emulator.
type webhookService struct {
	e *Emulator

	signerOnce sync.Once
	signer     *webhookSigner
	signerErr  error

	mu       sync.Mutex
	opts     WebhookDeliveryOptions
	client   *http.Client
	regs     map[string]*webhookRegistration // by partner tenant
	queues   map[string]*webhookQueue
	records  []*webhookDelivery // oldest first
	nextID   int64
	lastBase string
	// ctx is canceled by Reset so delivery goroutines of the old world stop.
	ctx    context.Context
	cancel context.CancelFunc
	// changed is closed and replaced whenever a delivery changes, so
	// WaitForWebhookDeliveries waits without polling.
	changed chan struct{}
	// sleep waits between attempts; tests replace it to record backoffs.
	sleep func(ctx context.Context, d time.Duration) error
}

func registerWebhooks(e *Emulator) {
	opts, _ := WebhookDeliveryOptions{}.withDefaults() // Defaults are valid.
	ctx, cancel := context.WithCancel(context.Background())
	s := &webhookService{
		e: e, opts: opts, client: newWebhookClient(opts),
		regs: map[string]*webhookRegistration{}, queues: map[string]*webhookQueue{},
		ctx: ctx, cancel: cancel, changed: make(chan struct{}), sleep: sleepContext,
	}
	e.webhooks = s

	e.addRoute(http.MethodGet, "/webhooks/v1/registration/events", routeWebhookEvents, s.handleEvents)
	e.addRoute(http.MethodGet, "/webhooks/v1/registration", routeWebhookGet, s.handleGet)
	e.addRoute(http.MethodPost, "/webhooks/v1/registration", routeWebhookCreate, s.handleCreate)
	e.addRoute(http.MethodPut, "/webhooks/v1/registration", routeWebhookUpdate, s.handleUpdate)
	e.addRoute(http.MethodDelete, "/webhooks/v1/registration", routeWebhookDelete, s.handleDelete)
	s.addAdminRoutes()
	e.Subscribe(s.onEvent)
	e.onReset(s.reset)
}

// webhooksOf returns e's webhook service.
func webhooksOf(e *Emulator) *webhookService {
	if e.webhooks == nil {
		panic("emulator: no webhook service; create Emulators with New")
	}
	return e.webhooks
}

// newWebhookClient builds the delivery client: no proxy (receivers in tests
// and demos listen on loopback) and redirects followed only to loopback
// hosts, so a receiver cannot bounce the emulator to another machine.
func newWebhookClient(opts WebhookDeliveryOptions) *http.Client {
	tr := &http.Transport{}
	if base, ok := http.DefaultTransport.(*http.Transport); ok {
		tr = base.Clone()
	}
	tr.Proxy = nil
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: opts.RootCAs}
	return &http.Client{Transport: tr, CheckRedirect: followLoopbackRedirects}
}

func followLoopbackRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if !isLoopbackHost(req.URL.Hostname()) {
		return fmt.Errorf("refusing to follow a redirect to non-loopback host %q", req.URL.Hostname())
	}
	return nil
}

// isLoopbackHost reports whether host names this machine: localhost or a
// loopback IP address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkWebhookURL enforces https, allowing http only for loopback receivers.
func checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Hostname() == "" {
		return fmt.Errorf("WebhookUrl %q is not an absolute URL", redactURL(raw))
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("WebhookUrl %q must use https; http is accepted only for loopback receivers (localhost, 127.0.0.1, ::1)", redactURL(raw))
	default:
		return fmt.Errorf("WebhookUrl %q must use https", redactURL(raw))
	}
}

// redactURL drops a password and the query string, where receivers often
// carry a key, from a URL shown in errors and the delivery history.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	if u.RawQuery != "" {
		u.RawQuery = "REDACTED"
	}
	return u.String()
}

// registrationBody is the POST/PUT body; names match case-insensitively.
type registrationBody struct {
	WebhookURL    *string  `json:"WebhookUrl"`
	WebhookEvents []string `json:"WebhookEvents"`
}

// parseRegistration validates a registration body and reports every
// problem at once.
func parseRegistration(body []byte) (WebhookRegistration, error) {
	var b registrationBody
	if err := decodeBody(body, &b); err != nil {
		return WebhookRegistration{}, err
	}
	return validateRegistration(deref(b.WebhookURL), b.WebhookEvents)
}

func validateRegistration(webhookURL string, events []string) (WebhookRegistration, error) {
	var problems []string
	if strings.TrimSpace(webhookURL) == "" {
		problems = append(problems, "WebhookUrl is required.")
	} else if err := checkWebhookURL(webhookURL); err != nil {
		problems = append(problems, err.Error()+".")
	}
	known := WebhookEventNames()
	var unique, unknown []string
	for _, name := range events {
		switch {
		case !slices.Contains(known, name):
			unknown = append(unknown, fmt.Sprintf("%q", name))
		case !slices.Contains(unique, name):
			unique = append(unique, name)
		}
	}
	switch {
	case len(unknown) > 0:
		problems = append(problems, fmt.Sprintf("WebhookEvents contains unknown events %s; GET /webhooks/v1/registration/events lists the names (%s).",
			strings.Join(unknown, ", "), strings.Join(known, ", ")))
	case len(unique) == 0:
		problems = append(problems, "WebhookEvents must name at least one event, e.g. \"complete-transfer\".")
	}
	if len(problems) > 0 {
		return WebhookRegistration{}, errors.New(strings.Join(problems, " "))
	}
	return WebhookRegistration{WebhookURL: webhookURL, WebhookEvents: unique}, nil
}

// requestBase is the scheme and host the client used to reach the emulator.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func errNoWebhookRegistration() apiResponse {
	return errorResponse(http.StatusNotFound, "404", "No webhook registration exists for this partner. Register with POST /webhooks/v1/registration.")
}

func (s *webhookService) handleEvents(*apiRequest) apiResponse {
	return jsonResponse(http.StatusOK, WebhookEventNames())
}

func (s *webhookService) handleGet(req *apiRequest) apiResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastBase = requestBase(req.r)
	reg := s.regs[req.partner]
	if reg == nil {
		return errNoWebhookRegistration()
	}
	return jsonResponse(http.StatusOK, reg.WebhookRegistration)
}

func (s *webhookService) handleCreate(req *apiRequest) apiResponse {
	want, err := parseRegistration(req.body)
	if err != nil {
		return errInvalidInput("%s", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastBase = requestBase(req.r)
	if existing := s.regs[req.partner]; existing != nil {
		return errorResponse(http.StatusConflict, "409", fmt.Sprintf(
			"A webhook registration (SubscriberId %s) already exists for this partner; there is one per partner. Update it with PUT or delete it first.",
			existing.SubscriberID))
	}
	want.SubscriberID = uuid.NewString()
	s.regs[req.partner] = &webhookRegistration{WebhookRegistration: want, baseURL: s.lastBase}
	return jsonResponse(http.StatusOK, want)
}

func (s *webhookService) handleUpdate(req *apiRequest) apiResponse {
	want, err := parseRegistration(req.body)
	if err != nil {
		return errInvalidInput("%s", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastBase = requestBase(req.r)
	reg := s.regs[req.partner]
	if reg == nil {
		return errNoWebhookRegistration()
	}
	reg.WebhookURL, reg.WebhookEvents, reg.baseURL = want.WebhookURL, want.WebhookEvents, s.lastBase
	return jsonResponse(http.StatusOK, reg.WebhookRegistration)
}

func (s *webhookService) handleDelete(req *apiRequest) apiResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastBase = requestBase(req.r)
	if s.regs[req.partner] == nil {
		return errNoWebhookRegistration()
	}
	delete(s.regs, req.partner)
	return apiResponse{Status: http.StatusNoContent, Header: http.Header{}}
}

// onEvent queues an envelope for every partner of the transfer that
// registered for the event. It runs on the request goroutine, so it only
// queues; sending happens on the partner's delivery goroutine.
func (s *webhookService) onEvent(ev Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	queued := false
	for i, partner := range ev.PartnerTenantIDs {
		reg := s.regs[partner]
		if reg == nil || !slices.Contains(reg.WebhookEvents, ev.Name) || slices.Contains(ev.PartnerTenantIDs[:i], partner) {
			continue
		}
		base := s.baseLocked(reg)
		envelope := transferEnvelope(base, partner, ev)
		body, err := json.Marshal(envelope)
		if err != nil {
			continue // A struct of strings always encodes.
		}
		s.nextID++
		d := &webhookDelivery{
			rec: WebhookDelivery{ID: s.nextID, PartnerTenantID: partner, SubscriberID: reg.SubscriberID,
				CustomerID: ev.CustomerID, TransferID: ev.TransferID, Envelope: envelope, State: WebhookPending, Attempts: []WebhookAttempt{}},
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
		queued = true
	}
	if queued {
		s.trimRecordsLocked()
		s.notifyLocked()
	}
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

// dotNetUnixEpochTicks is 1970-01-01 in .NET ticks (100 ns since year 1),
// the unit of the last AuditUri segment.
const dotNetUnixEpochTicks = 621_355_968_000_000_000

// transferEnvelope is the envelope in the form the live service was seen
// sending (reference 7.2): ResourceUri names the customer only, and the
// transfer id is the third "_" part of the AuditUri's last segment.
func transferEnvelope(base, partner string, ev Event) WebhookEvent {
	at := ev.Time.UTC()
	auditID := fmt.Sprintf("%s_%s_%s_%s_%d", partner, ev.CustomerID, ev.TransferID,
		strings.ReplaceAll(ev.Name, "-", ""), at.UnixNano()/100+dotNetUnixEpochTicks)
	return WebhookEvent{
		EventName:             ev.Name,
		ResourceURI:           base + "/v1/customers/" + ev.CustomerID,
		ResourceName:          "Transfer",
		AuditURI:              base + "/auditactivity/v1/auditrecords/" + auditID,
		ResourceChangeUtcDate: at.Format("2006-01-02T15:04:05.0000000+00:00"),
	}
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

// redactError is err's text with the receiver URL's query string hidden.
func redactError(err error, target string) string {
	text := err.Error()
	if u, perr := url.Parse(target); perr == nil && u.RawQuery != "" {
		text = strings.ReplaceAll(text, u.RawQuery, "REDACTED")
	}
	return text
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

func (s *webhookService) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
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

// reset drops registrations, queues and history; delivery goroutines of the
// old world stop at their next step.
func (s *webhookService) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.regs = map[string]*webhookRegistration{}
	s.queues = map[string]*webhookQueue{}
	s.records = nil
	s.lastBase = ""
	s.notifyLocked()
}

// webhookRegistrationView is a registration in the admin API.
type webhookRegistrationView struct {
	PartnerTenantID string `json:"partnerTenantId"`
	WebhookRegistration
}

func (s *webhookService) addAdminRoutes() {
	e := s.e
	e.addAdminRoute(http.MethodGet, "webhooks", func(*http.Request, []byte) (int, any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		out := []webhookRegistrationView{}
		for partner, reg := range s.regs {
			out = append(out, webhookRegistrationView{PartnerTenantID: partner, WebhookRegistration: reg.WebhookRegistration})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].PartnerTenantID < out[j].PartnerTenantID })
		return http.StatusOK, out
	})
	e.addAdminRoute(http.MethodGet, "webhooks/deliveries", func(r *http.Request, _ []byte) (int, any) {
		partner := r.URL.Query().Get("partner")
		if partner != "" {
			canonical, ok := canonicalGUID(partner)
			if !ok {
				return adminBad(fmt.Errorf("partner %q is not a GUID", partner))
			}
			partner = canonical
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return http.StatusOK, s.snapshotLocked(partner)
	})
	e.addAdminRoute(http.MethodGet, "webhooks/certificate", func(*http.Request, []byte) (int, any) {
		signer, err := s.getSigner()
		if err != nil {
			return http.StatusInternalServerError, adminError{Error: err.Error()}
		}
		return http.StatusOK, webhookCertificateView{CertificatePEM: string(signer.certPEM), Algorithm: WebhookSignatureAlgorithm}
	})
	e.addAdminRoute(http.MethodGet, "webhooks/delivery", func(*http.Request, []byte) (int, any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return http.StatusOK, s.opts
	})
	e.addAdminRoute(http.MethodPost, "webhooks/delivery", func(_ *http.Request, body []byte) (int, any) {
		var o WebhookDeliveryOptions
		if err := decodeAdmin(body, &o); err != nil {
			return adminBad(err)
		}
		if err := e.SetWebhookDelivery(o); err != nil {
			return adminBad(err)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return http.StatusOK, s.opts
	})
}

// SetWebhookDelivery replaces the delivery options (zero fields: defaults).
// They apply from the next attempt on and survive Reset.
func (e *Emulator) SetWebhookDelivery(o WebhookDeliveryOptions) error {
	o, err := o.withDefaults()
	if err != nil {
		return err
	}
	s := webhooksOf(e)
	s.mu.Lock()
	old := s.client
	s.opts, s.client = o, newWebhookClient(o)
	s.mu.Unlock()
	old.CloseIdleConnections()
	return nil
}

// WebhookRegistration returns a partner's webhook registration.
func (e *Emulator) WebhookRegistration(partnerTenantID string) (WebhookRegistration, bool) {
	tenant, _ := canonicalGUID(partnerTenantID)
	s := webhooksOf(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	reg := s.regs[tenant]
	if reg == nil {
		return WebhookRegistration{}, false
	}
	out := reg.WebhookRegistration
	out.WebhookEvents = slices.Clone(out.WebhookEvents)
	return out, true
}

// SetWebhookRegistration creates or replaces a partner's registration out
// of band, as another tool would, with the API's validation. A replaced
// registration keeps its SubscriberId; a new one gets a new one.
func (e *Emulator) SetWebhookRegistration(partnerTenantID string, r WebhookRegistration) (WebhookRegistration, error) {
	tenant, ok := canonicalGUID(partnerTenantID)
	if !ok || !e.isPartner(tenant) {
		return WebhookRegistration{}, fmt.Errorf("partner %q is not known to the emulator", partnerTenantID)
	}
	want, err := validateRegistration(r.WebhookURL, r.WebhookEvents)
	if err != nil {
		return WebhookRegistration{}, err
	}
	s := webhooksOf(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	if reg := s.regs[tenant]; reg != nil {
		reg.WebhookURL, reg.WebhookEvents = want.WebhookURL, want.WebhookEvents
		return reg.WebhookRegistration, nil
	}
	want.SubscriberID = uuid.NewString()
	s.regs[tenant] = &webhookRegistration{WebhookRegistration: want}
	return want, nil
}

// DeleteWebhookRegistration removes a partner's registration; false when
// there was none. Its pending deliveries are dropped.
func (e *Emulator) DeleteWebhookRegistration(partnerTenantID string) bool {
	tenant, _ := canonicalGUID(partnerTenantID)
	s := webhooksOf(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.regs[tenant] == nil {
		return false
	}
	delete(s.regs, tenant)
	return true
}

// WebhookDeliveries returns every remembered delivery, oldest first.
func (e *Emulator) WebhookDeliveries() []WebhookDelivery {
	s := webhooksOf(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshotLocked("")
}

// WaitForWebhookDeliveries waits until done, called with the delivery
// history after every change, returns true, or until ctx ends. Tests use it
// instead of sleeping.
func (e *Emulator) WaitForWebhookDeliveries(ctx context.Context, done func([]WebhookDelivery) bool) ([]WebhookDelivery, error) {
	s := webhooksOf(e)
	for {
		s.mu.Lock()
		list := s.snapshotLocked("")
		changed := s.changed
		s.mu.Unlock()
		if done(list) {
			return list, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return list, fmt.Errorf("waiting for webhook deliveries: %w", ctx.Err())
		}
	}
}

// WebhookCertificatePEM returns the certificate whose key signs deliveries,
// as served at /_emulator/webhooks/certificate.
func (e *Emulator) WebhookCertificatePEM() ([]byte, error) {
	signer, err := webhooksOf(e).getSigner()
	if err != nil {
		return nil, err
	}
	return slices.Clone(signer.certPEM), nil
}
