// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const webhookPath = "/webhooks/v1/registration"

// receivedWebhook is one POST a test receiver got.
type receivedWebhook struct {
	header   http.Header
	body     []byte
	envelope WebhookEnvelope // read from the raw JSON by documented names (decodeEnvelope)
}

// documentedTransferEvents are the transfer webhook event names
// (REFERENCE.md §3.6), written out here rather than taken from the
// emulator's constants or the client, so that a misnamed event fails.
var documentedTransferEvents = []string{"create-transfer", "update-transfer", "complete-transfer", "fail-transfer"}

// decodeEnvelope reads a delivered envelope by the documented PascalCase
// member names (REFERENCE.md §7.1), from the raw JSON: every member must be
// there, no other may be, and AuditUri is a string or null.
func decodeEnvelope(body []byte) (WebhookEnvelope, error) {
	var raw map[string]*string
	if err := json.Unmarshal(body, &raw); err != nil {
		return WebhookEnvelope{}, fmt.Errorf("envelope %s: %w", body, err)
	}
	members := []string{"EventName", "ResourceUri", "ResourceName", "AuditUri", "ResourceChangeUtcDate"}
	for name := range raw {
		if !slices.Contains(members, name) {
			return WebhookEnvelope{}, fmt.Errorf("envelope %s has an undocumented member %q", body, name)
		}
	}
	text := func(name string, nullable bool) (string, error) {
		v, ok := raw[name]
		switch {
		case !ok:
			return "", fmt.Errorf("envelope %s lacks %q", body, name)
		case v == nil && !nullable:
			return "", fmt.Errorf("envelope %s: %q is null", body, name)
		case v == nil:
			return "", nil
		}
		return *v, nil
	}
	var env WebhookEnvelope
	var err error
	for _, m := range []struct {
		name     string
		to       *string
		nullable bool
	}{
		{"EventName", &env.EventName, false}, {"ResourceUri", &env.ResourceURI, false}, {"ResourceName", &env.ResourceName, false},
		{"AuditUri", &env.AuditURI, true}, {"ResourceChangeUtcDate", &env.ResourceChangeUtcDate, false},
	} {
		if *m.to, err = text(m.name, m.nullable); err != nil {
			return WebhookEnvelope{}, err
		}
	}
	return env, nil
}

// registrationOnWire is a registration read by its documented PascalCase
// names (REFERENCE.md §1.3) from the raw JSON.
type registrationOnWire struct {
	SubscriberID  string
	WebhookURL    string
	WebhookEvents []string
}

// webhookReceiver is a local httptest receiver that records every POST and
// answers with status(n) for the n-th one (1-based).
type webhookReceiver struct {
	srv    *httptest.Server
	status func(n int) int
	mu     sync.Mutex
	got    []receivedWebhook
}

func newWebhookReceiver(t *testing.T, status func(n int) int) *webhookReceiver {
	t.Helper()
	r := &webhookReceiver{status: status}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		env, err := decodeEnvelope(body)
		if err != nil {
			t.Error(err)
		}
		r.mu.Lock()
		r.got = append(r.got, receivedWebhook{header: req.Header.Clone(), body: body, envelope: env})
		n := len(r.got)
		r.mu.Unlock()
		code := http.StatusOK
		if r.status != nil {
			code = r.status(n)
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *webhookReceiver) received() []receivedWebhook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

func (r *webhookReceiver) eventNames() []string {
	var names []string
	for _, w := range r.received() {
		names = append(names, w.envelope.EventName)
	}
	return names
}

// fastWebhooks makes retries immediate and records the backoffs asked for.
func fastWebhooks(t *testing.T, e *Emulator, maxAttempts int) func() []time.Duration {
	t.Helper()
	if err := e.SetWebhookDelivery(WebhookDeliveryOptions{MaxAttempts: maxAttempts, Timeout: 5 * time.Second}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var waits []time.Duration
	s := webhooksOf(e)
	s.mu.Lock()
	s.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	s.mu.Unlock()
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(waits)
	}
}

// register registers tenant's webhook through the API and returns it.
func (h *harness) register(tenant, webhookURL string, events ...string) registrationOnWire {
	h.t.Helper()
	res := h.do(call{tenant: tenant, method: http.MethodPost, path: webhookPath,
		body: map[string]any{"WebhookUrl": webhookURL, "WebhookEvents": events}})
	if res.status != http.StatusOK {
		h.t.Fatalf("register: HTTP %d %s", res.status, res.body)
	}
	var raw struct {
		SubscriberID  *string   `json:"SubscriberId"`
		WebhookURL    *string   `json:"WebhookUrl"`
		WebhookEvents *[]string `json:"WebhookEvents"`
	}
	// encoding/json matches names case-insensitively: check the exact
	// documented casing in the raw body as well.
	for _, name := range []string{`"SubscriberId"`, `"WebhookUrl"`, `"WebhookEvents"`} {
		if !strings.Contains(string(res.body), name) {
			h.t.Fatalf("register: the answer lacks %s: %s", name, res.body)
		}
	}
	if err := json.Unmarshal(res.body, &raw); err != nil || raw.SubscriberID == nil || raw.WebhookURL == nil || raw.WebhookEvents == nil {
		h.t.Fatalf("register: %v in %s", err, res.body)
	}
	return registrationOnWire{SubscriberID: *raw.SubscriberID, WebhookURL: *raw.WebhookURL, WebhookEvents: *raw.WebhookEvents}
}

// waitDeliveries waits until n deliveries have finished (any final state).
func waitDeliveries(t *testing.T, e *Emulator, n int) []WebhookDelivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	list, err := e.WaitForWebhookDeliveries(ctx, func(ds []WebhookDelivery) bool {
		finished := 0
		for _, d := range ds {
			if d.State != WebhookPending {
				finished++
			}
		}
		return finished >= n
	})
	if err != nil {
		t.Fatalf("%v; deliveries so far: %s", err, describe(list))
	}
	return list
}

func (h *harness) cancelTransfer(id string) {
	h.t.Helper()
	res := h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, id), body: `{"status":"Cancel"}`})
	if res.status != http.StatusOK {
		h.t.Fatalf("cancel: HTTP %d %s", res.status, res.body)
	}
}

func TestWebhookRegistrationLifecycle(t *testing.T) {
	h := newHarness(t)
	var names []string
	if err := json.Unmarshal(h.do(call{tenant: targetTenant, method: http.MethodGet, path: webhookPath + "/events"}).body, &names); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names[:4], documentedTransferEvents) || !slices.Contains(names, "test-created") {
		t.Fatalf("events = %v, want the transfer events first, then others", names)
	}

	h.do(call{tenant: targetTenant, method: http.MethodGet, path: webhookPath}).expectError(t, http.StatusNotFound, "404", "No webhook registration")
	h.do(call{tenant: targetTenant, method: http.MethodPut, path: webhookPath,
		body: map[string]any{"WebhookUrl": "https://hooks.example/pc", "WebhookEvents": []string{"create-transfer"}}}).
		expectError(t, http.StatusNotFound, "404")

	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: webhookPath,
		body: `{"WebhookUrl":"https://hooks.example/pc","WebhookEvents":["create-transfer","complete-transfer","create-transfer"]}`})
	raw := res.raw(t)
	sub, _ := raw["SubscriberId"].(string)
	if res.status != http.StatusOK || !isGUIDString(sub) || raw["WebhookUrl"] != "https://hooks.example/pc" {
		t.Fatalf("POST: HTTP %d %s", res.status, res.body)
	}
	if got := mustJSON(t, raw["WebhookEvents"]); got != `["create-transfer","complete-transfer"]` {
		t.Errorf("events stored as %s, want duplicates removed in order", got)
	}

	h.do(call{tenant: targetTenant, method: http.MethodPost, path: webhookPath,
		body: map[string]any{"WebhookUrl": "https://other.example/", "WebhookEvents": []string{"fail-transfer"}}}).
		expectError(t, http.StatusConflict, "409", sub, "PUT")

	// camelCase clients bind too (names match case-insensitively).
	res = h.do(call{tenant: targetTenant, method: http.MethodPut, path: webhookPath,
		body: `{"webhookUrl":"http://127.0.0.1:9/hook","webhookEvents":["fail-transfer"]}`})
	if res.status != http.StatusOK {
		t.Fatalf("PUT: HTTP %d %s", res.status, res.body)
	}
	reg, ok := h.e.WebhookRegistration(targetTenant)
	if !ok || reg.SubscriberID != sub || reg.WebhookURL != "http://127.0.0.1:9/hook" || !slices.Equal(reg.WebhookEvents, []string{"fail-transfer"}) {
		t.Fatalf("after PUT: %+v", reg)
	}

	// Registrations are per partner: the source sees none.
	h.do(call{tenant: sourceTenant, method: http.MethodGet, path: webhookPath}).expectError(t, http.StatusNotFound, "404")

	if res := h.do(call{tenant: targetTenant, method: http.MethodDelete, path: webhookPath}); res.status != http.StatusNoContent || len(res.body) != 0 {
		t.Fatalf("DELETE: HTTP %d %q", res.status, res.body)
	}
	h.do(call{tenant: targetTenant, method: http.MethodDelete, path: webhookPath}).expectError(t, http.StatusNotFound, "404")
	if _, ok := h.e.WebhookRegistration(targetTenant); ok {
		t.Error("registration still there after DELETE")
	}
	if n := h.e.Stats().Count(routeWebhookCreate, http.MethodPost); n != 2 {
		t.Errorf("webhook-create POST counted %d times, want 2", n)
	}
	// A new registration gets a new subscriber id.
	if again := h.register(targetTenant, "https://hooks.example/pc", "create-transfer"); again.SubscriberID == sub {
		t.Error("re-registration reused the deleted SubscriberId")
	}
}

func isGUIDString(s string) bool { _, ok := canonicalGUID(s); return ok }

func TestWebhookRegistrationValidation(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name     string
		body     string
		mentions []string
	}{
		{"http to a remote host", `{"WebhookUrl":"http://hooks.example/pc","WebhookEvents":["create-transfer"]}`, []string{"https", "loopback"}},
		{"other scheme", `{"WebhookUrl":"ftp://hooks.example/pc","WebhookEvents":["create-transfer"]}`, []string{"must use https"}},
		{"relative URL", `{"WebhookUrl":"/pc/hook","WebhookEvents":["create-transfer"]}`, []string{"not an absolute URL"}},
		{"missing URL", `{"WebhookEvents":["create-transfer"]}`, []string{"WebhookUrl is required"}},
		{"unknown event", `{"WebhookUrl":"https://hooks.example/pc","WebhookEvents":["create-transfer","transfer-created"]}`, []string{`"transfer-created"`, "complete-transfer"}},
		{"no events", `{"WebhookUrl":"https://hooks.example/pc","WebhookEvents":[]}`, []string{"at least one event"}},
		{"both wrong at once", `{"WebhookUrl":"http://hooks.example/pc?code=s3cr3t","WebhookEvents":["nope"]}`, []string{"loopback", `"nope"`, "pc?REDACTED"}},
		{"not JSON", `WebhookUrl=https://hooks.example`, []string{"JSON object"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, method := range []string{http.MethodPost, http.MethodPut} {
				eb := h.do(call{tenant: targetTenant, method: method, path: webhookPath, body: tc.body}).
					expectError(t, http.StatusBadRequest, codeInvalidInput, tc.mentions...)
				if strings.Contains(eb.Description, "s3cr3t") {
					t.Errorf("the error echoes the URL's query string: %s", eb.Description)
				}
			}
		})
	}
	for _, ok := range []string{"http://localhost:8080/hook", "http://127.0.0.1/hook", "http://[::1]:9000/hook", "HTTPS://hooks.example/pc?code=x"} {
		if _, err := validateRegistration(ok, []string{"create-transfer"}); err != nil {
			t.Errorf("%s rejected: %v", ok, err)
		}
	}
	if _, ok := h.e.WebhookRegistration(targetTenant); ok {
		t.Error("a rejected request stored a registration")
	}
}

func TestWebhookDeliveryCreateSubmitComplete(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 0)
	rcv := newWebhookReceiver(t, nil)
	h.register(targetTenant, rcv.srv.URL+"/hook", documentedTransferEvents...)

	tr := h.create()
	h.submit(tr.ID, item(subBusiness, nce))
	h.e.Advance(DefaultCompletionDelay)
	waitDeliveries(t, h.e, 3)

	got := rcv.received()
	if names := rcv.eventNames(); !slices.Equal(names, []string{"create-transfer", "update-transfer", "complete-transfer"}) {
		t.Fatalf("receiver got %v", names)
	}
	base := h.srv.URL
	for _, w := range got {
		env := w.envelope
		if env.ResourceURI != base+"/v1/customers/"+customerID || env.ResourceName != "Transfer" {
			t.Errorf("envelope links: %+v", env)
		}
		auditID := strings.TrimPrefix(env.AuditURI, base+"/auditactivity/v1/auditrecords/")
		parts := strings.Split(auditID, "_")
		wantOp, wantActor := "updatetransfer", targetTenant
		switch env.EventName {
		case "create-transfer":
			wantOp = "createtransfer"
		case "update-transfer":
			wantActor = sourceTenant // The submit.
		}
		if len(parts) != 5 || parts[0] != wantActor || parts[1] != customerID || parts[2] != tr.ID || parts[3] != wantOp {
			t.Errorf("AuditUri %q, want <partner>_<customer>_<transfer>_<operation>_<ticks>", env.AuditURI)
		}
		if res := h.do(call{tenant: targetTenant, method: http.MethodGet, path: "/auditactivity/v1/auditrecords/" + auditID}); res.status != 200 {
			t.Errorf("AuditUri %q does not resolve: %d %s", env.AuditURI, res.status, res.body)
		}
		at, err := time.Parse("2006-01-02T15:04:05.0000000-07:00", env.ResourceChangeUtcDate)
		ticks, _ := strconv.ParseInt(parts[len(parts)-1], 10, 64)
		if err != nil || !strings.HasSuffix(env.ResourceChangeUtcDate, "+00:00") || ticks != at.UnixNano()/100+dotNetUnixEpochTicks {
			t.Errorf("ResourceChangeUtcDate %q (ticks %d): %v", env.ResourceChangeUtcDate, ticks, err)
		}
		if w.header.Get(WebhookAlgorithmHeader) != "rsa-sha256" || w.header.Get(WebhookCertificateURLHeader) != base+"/_emulator/webhooks/certificate" {
			t.Errorf("headers: %v", w.header)
		}
		var keys map[string]any
		_ = json.Unmarshal(w.body, &keys)
		for _, k := range []string{"EventName", "ResourceUri", "ResourceName", "AuditUri", "ResourceChangeUtcDate"} {
			if _, ok := keys[k]; !ok {
				t.Errorf("envelope lacks PascalCase %q: %s", k, w.body)
			}
		}
	}
	if completed := got[2].envelope.ResourceChangeUtcDate; completed != testStart.Add(DefaultCompletionDelay).Format("2006-01-02T15:04:05.0000000+00:00") {
		t.Errorf("complete-transfer happened at %s, want the completion deadline", completed)
	}
}

func TestWebhookSignatureVerifiesWithServedCertificate(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 0)
	rcv := newWebhookReceiver(t, nil)
	h.register(targetTenant, rcv.srv.URL, "create-transfer")
	h.create()
	waitDeliveries(t, h.e, 1)
	w := rcv.received()[0]

	// Download the certificate from the URL the delivery named.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, w.header.Get(WebhookCertificateURLHeader), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	certBody, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	cert, err := ParseWebhookCertificate(certBody)
	if err != nil {
		t.Fatalf("certificate at %s: %v\n%s", w.header.Get(WebhookCertificateURLHeader), err, certBody)
	}
	if err := VerifyWebhookSignature(w.body, w.header.Get("Authorization"), cert); err != nil {
		t.Fatalf("signature: %v", err)
	}
	tampered := []byte(strings.Replace(string(w.body), "create-transfer", "fail-transfer", 1))
	if err := VerifyWebhookSignature(tampered, w.header.Get("Authorization"), cert); err == nil {
		t.Error("a tampered body verified")
	}
	if err := VerifyWebhookSignature(w.body, "Bearer "+strings.TrimPrefix(w.header.Get("Authorization"), "Signature "), cert); err == nil {
		t.Error("a Bearer scheme verified")
	}
	other, err := newWebhookSigner()
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyWebhookSignature(w.body, w.header.Get("Authorization"), other.cert); err == nil {
		t.Error("verified with another key's certificate")
	}
	if pemCert, err := h.e.WebhookCertificatePEM(); err != nil || string(pemCert) != string(webhooksOf(h.e).signer.certPEM) {
		t.Errorf("WebhookCertificatePEM: %v", err)
	}
	if strings.Contains(cert.Issuer.String(), "Microsoft") {
		t.Errorf("emulator certificate claims to be Microsoft's: %s", cert.Issuer)
	}
}

func TestWebhookDeliveryCreateCancel(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 0)
	rcv := newWebhookReceiver(t, nil)
	h.register(targetTenant, rcv.srv.URL, documentedTransferEvents...)
	tr := h.create()
	h.cancelTransfer(tr.ID)
	waitDeliveries(t, h.e, 2)
	if names := rcv.eventNames(); !slices.Equal(names, []string{"create-transfer", "update-transfer"}) {
		t.Fatalf("receiver got %v", names)
	}
}

func TestWebhookDeliveryRetriesInOrder(t *testing.T) {
	h := newHarness(t)
	waits := fastWebhooks(t, h.e, 0)
	// The first two POSTs fail; the rest succeed.
	rcv := newWebhookReceiver(t, func(n int) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	h.register(targetTenant, rcv.srv.URL, documentedTransferEvents...)
	tr := h.create()
	h.cancelTransfer(tr.ID) // Queued behind the failing create-transfer.
	list := waitDeliveries(t, h.e, 2)

	if names := rcv.eventNames(); !slices.Equal(names, []string{"create-transfer", "create-transfer", "create-transfer", "update-transfer"}) {
		t.Fatalf("receiver got %v, want create-transfer retried until accepted, then update-transfer", names)
	}
	first := list[0]
	if first.State != WebhookDelivered || len(first.Attempts) != 3 || first.Attempts[0].Status != 500 || first.Attempts[2].Status != 200 {
		t.Fatalf("first delivery: %s", describe(first))
	}
	if got := waits(); !slices.Equal(got, []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("backoffs = %v, want 1s then 2s", got)
	}
	// Every attempt carries the same signed body.
	got := rcv.received()
	if string(got[0].body) != string(got[2].body) || got[0].header.Get("Authorization") != got[2].header.Get("Authorization") {
		t.Error("a retry sent a different body or signature")
	}
}

func TestWebhookDeliveryGivesUpAfterMaxAttempts(t *testing.T) {
	h := newHarness(t)
	waits := fastWebhooks(t, h.e, 3)
	rcv := newWebhookReceiver(t, func(n int) int {
		if n <= 3 {
			return http.StatusServiceUnavailable
		}
		return http.StatusAccepted
	})
	h.register(targetTenant, rcv.srv.URL, documentedTransferEvents...)
	tr := h.create()
	h.cancelTransfer(tr.ID)
	list := waitDeliveries(t, h.e, 2)
	if list[0].State != WebhookFailed || len(list[0].Attempts) != 3 {
		t.Fatalf("first delivery: %s", describe(list[0]))
	}
	// A failed event does not block the ones behind it.
	if list[1].State != WebhookDelivered || list[1].Attempts[0].Status != http.StatusAccepted {
		t.Fatalf("second delivery: %s", describe(list[1]))
	}
	if n := len(waits()); n != 2 {
		t.Errorf("%d waits between 3 attempts, want 2", n)
	}
}

func TestWebhookBackoffDoublesUpToTheCap(t *testing.T) {
	opts := WebhookDeliveryOptions{InitialBackoff: time.Second, MaxBackoff: 5 * time.Second}
	var got []time.Duration
	for attempt := 1; attempt <= 5; attempt++ {
		got = append(got, backoff(opts, attempt))
	}
	if want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("backoffs %v, want %v", got, want)
	}
}

func TestWebhookOnlySubscribedEventsAreSent(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 0)
	rcv := newWebhookReceiver(t, nil)
	h.register(targetTenant, rcv.srv.URL, "complete-transfer")
	tr := h.create()
	h.submit(tr.ID, item(subBusiness, nce))
	h.e.Advance(DefaultCompletionDelay)
	list := waitDeliveries(t, h.e, 1)
	if len(list) != 1 || list[0].Envelope.EventName != "complete-transfer" {
		t.Fatalf("deliveries: %s", describe(list))
	}
	// Deliveries are queued synchronously with the change, so nothing else
	// can still be on its way.
	if names := rcv.eventNames(); !slices.Equal(names, []string{"complete-transfer"}) {
		t.Fatalf("receiver got %v", names)
	}
}

func TestWebhookBothPartnersButNotOutsiders(t *testing.T) {
	h := newHarness(t)
	h.addOutsider()
	fastWebhooks(t, h.e, 0)
	target := newWebhookReceiver(t, nil)
	source := newWebhookReceiver(t, nil)
	outsider := newWebhookReceiver(t, nil)
	h.register(targetTenant, target.srv.URL, documentedTransferEvents...)
	h.register(sourceTenant, source.srv.URL, documentedTransferEvents...)
	h.register(outsiderTenant, outsider.srv.URL, documentedTransferEvents...)

	tr := h.create()
	h.submit(tr.ID, item(subBusiness, nce))
	h.e.Advance(DefaultCompletionDelay)
	list := waitDeliveries(t, h.e, 6)

	want := []string{"create-transfer", "update-transfer", "complete-transfer"}
	for name, rcv := range map[string]*webhookReceiver{"target": target, "source": source} {
		if names := rcv.eventNames(); !slices.Equal(names, want) {
			t.Errorf("%s got %v, want %v", name, names, want)
		}
	}
	for _, w := range source.received() {
		path := strings.TrimPrefix(w.envelope.AuditURI, h.srv.URL)
		if res := h.do(call{tenant: sourceTenant, method: http.MethodGet, path: path}); res.status != 200 {
			t.Errorf("the source cannot read its AuditUri %q: %d %s", w.envelope.AuditURI, res.status, res.body)
		}
		if res := h.do(call{tenant: outsiderTenant, method: http.MethodGet, path: path}); res.status != 404 {
			t.Errorf("an outsider read %q: %d", w.envelope.AuditURI, res.status)
		}
	}
	for _, d := range list {
		if d.PartnerTenantID == outsiderTenant {
			t.Errorf("an outsider's delivery was queued: %s", describe(d))
		}
	}
	if n := len(outsider.received()); n != 0 {
		t.Errorf("the outsider received %d envelopes of a transfer it is not part of", n)
	}
}

func TestWebhookDeliveryNeverBlocksTheAPI(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 0)
	release := make(chan struct{})
	arrived := make(chan struct{}, 10)
	blocking := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
	}))
	t.Cleanup(blocking.Close)
	t.Cleanup(func() { close(release) }) // Runs before blocking.Close.
	h.register(targetTenant, blocking.URL, documentedTransferEvents...)

	tr := h.create()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the receiver never got the first envelope")
	}
	// The receiver is stuck on create-transfer; the API still answers.
	h.cancelTransfer(tr.ID)
	h.get(targetTenant, tr.ID)
	list := h.e.WebhookDeliveries()
	if len(list) != 2 || list[1].State != WebhookPending || len(list[1].Attempts) != 0 {
		t.Fatalf("deliveries while blocked: %s", describe(list))
	}
}

func TestWebhookRedirectsStayOnLoopback(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 2)
	final := newWebhookReceiver(t, nil)
	hop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := final.srv.URL
		if r.URL.Path == "/away" {
			target = "http://hooks.example/stolen"
		}
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(hop.Close)

	h.register(targetTenant, hop.URL+"/local", "create-transfer")
	h.create()
	list := waitDeliveries(t, h.e, 1)
	if list[0].State != WebhookDelivered || len(final.received()) != 1 {
		t.Fatalf("a loopback redirect was not followed: %s", describe(list))
	}
	if got := final.received()[0]; got.header.Get("Authorization") == "" || got.envelope.EventName != "create-transfer" {
		t.Errorf("redirected delivery lost its body: %+v", got)
	}

	if _, err := h.e.SetWebhookRegistration(targetTenant, WebhookRegistration{WebhookURL: hop.URL + "/away", WebhookEvents: []string{"update-transfer"}}); err != nil {
		t.Fatal(err)
	}
	tr := h.e.Transfers()[0]
	h.cancelTransfer(tr.ID)
	list = waitDeliveries(t, h.e, 2)
	second := list[1]
	if second.State != WebhookFailed || len(second.Attempts) != 2 || !strings.Contains(second.Attempts[0].Error, "non-loopback") {
		t.Fatalf("redirect to a remote host: %s", describe(second))
	}
	if len(final.received()) != 1 {
		t.Error("the receiver got the envelope through a remote redirect")
	}
}

// holdRetries makes the wait before each retry block until release is
// called, so a test can change the registration between two attempts.
func holdRetries(t *testing.T, e *Emulator) (release func()) {
	t.Helper()
	proceed := make(chan struct{})
	s := webhooksOf(e)
	s.mu.Lock()
	s.sleep = func(ctx context.Context, _ time.Duration) error {
		select {
		case <-proceed:
		case <-ctx.Done():
		}
		return nil
	}
	s.mu.Unlock()
	var once sync.Once
	release = func() { once.Do(func() { close(proceed) }) }
	t.Cleanup(release)
	return release
}

// waitFirstAttempt waits until the n-th delivery has had one attempt.
func waitFirstAttempt(t *testing.T, e *Emulator, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := e.WaitForWebhookDeliveries(ctx, func(ds []WebhookDelivery) bool { return len(ds) >= n && len(ds[n-1].Attempts) == 1 }); err != nil {
		t.Fatal(err)
	}
}

func TestWebhookRetryFollowsAnUpdatedURL(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 0)
	release := holdRetries(t, h.e)
	old := newWebhookReceiver(t, func(int) int { return http.StatusInternalServerError })
	moved := newWebhookReceiver(t, nil)
	h.register(targetTenant, old.srv.URL, documentedTransferEvents...)
	h.create()
	waitFirstAttempt(t, h.e, 1)

	res := h.do(call{tenant: targetTenant, method: http.MethodPut, path: webhookPath,
		body: map[string]any{"WebhookUrl": moved.srv.URL + "/?code=k3y", "WebhookEvents": documentedTransferEvents}})
	if res.status != http.StatusOK {
		t.Fatalf("PUT: %d %s", res.status, res.body)
	}
	release()
	list := waitDeliveries(t, h.e, 1)
	if list[0].State != WebhookDelivered || len(moved.received()) != 1 || len(list[0].Attempts) != 2 {
		t.Fatalf("the retry did not go to the new URL: %s", describe(list))
	}
	if u := list[0].Attempts[1].URL; !strings.HasSuffix(u, "/?REDACTED") || strings.Contains(describe(list), "k3y") {
		t.Errorf("the history shows the URL's key: %s", u)
	}
}

func TestWebhookDeletedRegistrationDropsPendingDeliveries(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 0)
	release := holdRetries(t, h.e)
	failing := newWebhookReceiver(t, func(int) int { return http.StatusBadGateway })
	h.register(targetTenant, failing.srv.URL, documentedTransferEvents...)
	tr := h.create()
	h.cancelTransfer(tr.ID)
	waitFirstAttempt(t, h.e, 1)

	h.do(call{tenant: targetTenant, method: http.MethodDelete, path: webhookPath})
	release()
	list := waitDeliveries(t, h.e, 2)
	for _, d := range list {
		if d.State != WebhookDropped {
			t.Errorf("delivery %d is %s, want dropped", d.ID, d.State)
		}
	}
	if n := len(failing.received()); n != 1 {
		t.Errorf("the receiver got %d POSTs after the registration was deleted, want only the first attempt", n)
	}
	h.create() // No registration: nothing is queued.
	if n := len(h.e.WebhookDeliveries()); n != 2 {
		t.Errorf("%d deliveries, want still 2", n)
	}
}

func TestWebhookAdminAPIAndReset(t *testing.T) {
	h := newHarness(t)
	var opts map[string]any
	if st := h.admin(http.MethodPost, "webhooks/delivery", map[string]any{"maxAttempts": 2, "initialBackoff": "5ms", "timeout": "2s"}, &opts); st != http.StatusOK {
		t.Fatalf("POST webhooks/delivery: HTTP %d", st)
	}
	if opts["maxAttempts"] != float64(2) || opts["initialBackoff"] != "5ms" || opts["maxBackoff"] != "1m0s" || opts["timeout"] != "2s" {
		t.Errorf("options = %v", opts)
	}
	if st := h.admin(http.MethodPost, "webhooks/delivery", map[string]any{"maxAttempt": 2}, nil); st != http.StatusBadRequest {
		t.Errorf("a typo in the options: HTTP %d, want 400", st)
	}
	if st := h.admin(http.MethodPost, "webhooks/delivery", map[string]any{"timeout": "-1s"}, nil); st != http.StatusBadRequest {
		t.Errorf("a negative timeout: HTTP %d, want 400", st)
	}

	rcv := newWebhookReceiver(t, nil)
	reg := h.register(targetTenant, rcv.srv.URL, "create-transfer")
	h.create()
	waitDeliveries(t, h.e, 1)

	var regs []map[string]any
	h.admin(http.MethodGet, "webhooks", nil, &regs)
	if len(regs) != 1 || regs[0]["partnerTenantId"] != targetTenant || regs[0]["SubscriberId"] != reg.SubscriberID {
		t.Errorf("admin registrations: %v", regs)
	}
	var deliveries []WebhookDelivery
	h.admin(http.MethodGet, "webhooks/deliveries?partner="+strings.ToUpper(targetTenant), nil, &deliveries)
	if len(deliveries) != 1 || deliveries[0].State != WebhookDelivered || deliveries[0].Attempts[0].Status != 200 || deliveries[0].Envelope.EventName != "create-transfer" {
		t.Errorf("admin deliveries: %s", describe(deliveries))
	}
	h.admin(http.MethodGet, "webhooks/deliveries?partner="+sourceTenant, nil, &deliveries)
	if len(deliveries) != 0 {
		t.Errorf("the source's deliveries: %s", describe(deliveries))
	}
	var cert webhookCertificateView
	if st := h.admin(http.MethodGet, "webhooks/certificate", nil, &cert); st != 200 || !strings.HasPrefix(cert.CertificatePEM, "-----BEGIN CERTIFICATE-----") || cert.Algorithm != "rsa-sha256" {
		t.Errorf("certificate: HTTP %d %+v", st, cert)
	}

	h.e.Reset()
	if _, ok := h.e.WebhookRegistration(targetTenant); ok || len(h.e.WebhookDeliveries()) != 0 {
		t.Error("Reset kept webhook registrations or history")
	}
	h.create()
	if n := len(h.e.WebhookDeliveries()); n != 0 {
		t.Errorf("%d deliveries after Reset without a registration", n)
	}
	h.admin(http.MethodGet, "webhooks/delivery", nil, &opts)
	if opts["maxAttempts"] != float64(2) {
		t.Errorf("delivery options after Reset: %v, want them kept", opts)
	}
}

func TestWebhookFaultsAndReplayApplyToTheRegistrationAPI(t *testing.T) {
	h := newHarness(t)
	h.e.SetFaults(Fault{Route: routeWebhookCreate, Kind: FaultStatus, Status: 503, Count: 1})
	body := map[string]any{"WebhookUrl": "https://hooks.example/pc", "WebhookEvents": []string{"create-transfer"}}
	rid := map[string]string{"MS-RequestId": "6f1c3f0e-1d55-4a43-9d7e-3b1f6f0d2c11"}
	h.do(call{tenant: targetTenant, method: http.MethodPost, path: webhookPath, body: body, headers: rid}).expectError(t, 503, "503")
	first := h.do(call{tenant: targetTenant, method: http.MethodPost, path: webhookPath, body: body, headers: rid})
	again := h.do(call{tenant: targetTenant, method: http.MethodPost, path: webhookPath, body: body, headers: rid})
	if first.status != 200 || again.status != 200 || string(first.body) != string(again.body) {
		t.Fatalf("replay: %d %s / %d %s", first.status, first.body, again.status, again.body)
	}
	if st := h.e.Stats(); st.Replayed != 1 || st.Count(routeWebhookCreate, "") != 3 {
		t.Errorf("stats: %+v", st)
	}
}

func TestWebhookEnvelopeUsesTheConfiguredBaseURL(t *testing.T) {
	ev := Event{Name: "fail-transfer", CustomerID: customerID, TransferID: "t1",
		Time: time.Date(2024, 12, 12, 14, 44, 18, 627854000, time.UTC)}
	auditID := fmt.Sprintf("%s_%s_t1_updatetransfer_638696114586278540", targetTenant, customerID)
	env := transferEnvelope("https://api.partnercenter.microsoft.com", auditID, ev)
	want := WebhookEnvelope{
		EventName:             "fail-transfer",
		ResourceURI:           "https://api.partnercenter.microsoft.com/v1/customers/" + customerID,
		ResourceName:          "Transfer",
		AuditURI:              "https://api.partnercenter.microsoft.com/auditactivity/v1/auditrecords/" + auditID,
		ResourceChangeUtcDate: "2024-12-12T14:44:18.6278540+00:00",
	}
	if env != want {
		t.Errorf("envelope\n got %+v\nwant %+v", env, want)
	}

	h := newHarness(t)
	fastWebhooks(t, h.e, 0)
	if err := h.e.SetWebhookDelivery(WebhookDeliveryOptions{BaseURL: "https://pc.example/"}); err != nil {
		t.Fatal(err)
	}
	if err := h.e.SetWebhookDelivery(WebhookDeliveryOptions{BaseURL: "not a url"}); err == nil {
		t.Error("a relative base URL was accepted")
	}
	rcv := newWebhookReceiver(t, nil)
	if _, err := h.e.SetWebhookRegistration(targetTenant, WebhookRegistration{WebhookURL: rcv.srv.URL, WebhookEvents: []string{"create-transfer"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.e.SetWebhookRegistration(outsiderTenant, WebhookRegistration{WebhookURL: rcv.srv.URL, WebhookEvents: []string{"create-transfer"}}); err == nil {
		t.Error("registered a partner the emulator does not know")
	}
	h.create()
	waitDeliveries(t, h.e, 1)
	if got := rcv.received()[0]; got.header.Get(WebhookCertificateURLHeader) != "https://pc.example/_emulator/webhooks/certificate" ||
		!strings.HasPrefix(got.envelope.ResourceURI, "https://pc.example/v1/") {
		t.Errorf("base URL not applied: %v %+v", got.header, got.envelope)
	}
}
