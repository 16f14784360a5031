// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// Built-in seed values (examples/emulator/seed.json).
const (
	targetTenant = "b2b2b2b2-0000-4000-8000-000000000002"
	targetClient = "b2b2b2b2-0000-4000-8000-0000000000b2"
	targetSecret = "fabrikam-emulator-secret"
	sourceTenant = "a1a1a1a1-0000-4000-8000-000000000001"
	customerID   = "c3c3c3c3-0000-4000-8000-000000000003"
)

// started is a receiver running in the background.
type started struct {
	url   string
	lines chan string
	done  chan error
}

func startReceiver(t *testing.T, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	s := &started{lines: make(chan string, 100), done: make(chan error, 1)}
	// Lines are read as they are written: the receiver prints before it
	// answers, so an unread pipe would stall a delivery.
	go func() {
		scanner := bufio.NewScanner(pr)
		for scanner.Scan() {
			s.lines <- scanner.Text()
		}
		close(s.lines)
	}()
	go func() {
		err := run(ctx, append([]string{"-listen", "127.0.0.1:0"}, args...), pw, io.Discard)
		_ = pw.Close()
		s.done <- err
	}()
	t.Cleanup(func() {
		cancel()
		_ = pr.Close()
	})
	first := s.next(t)
	s.url = strings.TrimPrefix(first, "PARTNERCENTER_WEBHOOK_URL=")
	if s.url == first || s.next(t) != "PARTNERCENTER_WEBHOOK_RECEIVER_READY=1" {
		t.Fatalf("start-up lines: %q", first)
	}
	return s
}

// next returns the next stdout line.
func (s *started) next(t *testing.T) string {
	t.Helper()
	select {
	case line, ok := <-s.lines:
		if !ok {
			t.Fatal("the receiver's output ended")
		}
		return line
	case <-time.After(10 * time.Second):
		t.Fatal("no output line within 10s")
	}
	return ""
}

// emulatorWithTarget starts an emulator over HTTP and returns it with an
// HTTP client carrying the target partner's token.
func emulatorWithTarget(t *testing.T) (*emulator.Emulator, *httptest.Server, func(method, path, body string) int) {
	t.Helper()
	e, err := emulator.New(emulator.Options{Seed: emulator.DefaultSeed()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	if err := e.SetWebhookDelivery(emulator.WebhookDeliveryOptions{BaseURL: srv.URL, InitialBackoff: time.Millisecond, MaxAttempts: 2}); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {targetClient}, "client_secret": {targetSecret}, "scope": {fakeentra.Scope}}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	status := do(t, srv, http.MethodPost, "/"+targetTenant+"/oauth2/v2.0/token", "application/x-www-form-urlencoded", "", form.Encode(), &tok)
	if status != http.StatusOK || tok.AccessToken == "" {
		t.Fatalf("token: HTTP %d", status)
	}
	call := func(method, path, body string) int {
		return do(t, srv, method, path, "application/json", tok.AccessToken, body, nil)
	}
	return e, srv, call
}

func do(t *testing.T, srv *httptest.Server, method, path, contentType, token, body string, out any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func TestReceiverPrintsVerifiedTransferEventsInOrder(t *testing.T) {
	e, _, call := emulatorWithTarget(t)
	rcv := startReceiver(t, "-exit-after", "2")
	if _, err := e.SetWebhookRegistration(targetTenant, emulator.WebhookRegistration{WebhookURL: rcv.url, WebhookEvents: partnercenter.TransferEvents}); err != nil {
		t.Fatal(err)
	}
	create := fmt.Sprintf(`{"sourcePartnerTenantId":%q,"customerEmailId":"it-admin@northwind.example","transferType":3}`, sourceTenant)
	if st := call(http.MethodPost, "/v1/customers/"+customerID+"/transfers", create); st != http.StatusCreated {
		t.Fatalf("create: HTTP %d", st)
	}
	transferID := e.Transfers()[0].ID
	if st := call(http.MethodPatch, "/v1/customers/"+customerID+"/transfers/"+transferID, `{"status":"Cancel"}`); st != http.StatusOK {
		t.Fatalf("cancel: HTTP %d", st)
	}

	for _, want := range []string{"create-transfer", "update-transfer"} {
		line := rcv.next(t)
		prefix := fmt.Sprintf("%s customer=%s transfer=%s at=", want, customerID, transferID)
		if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, " signature=verified") {
			t.Errorf("line %q, want %q... signature=verified", line, prefix)
		}
	}
	select {
	case err := <-rcv.done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("-exit-after 2 did not stop the receiver")
	}
	// The receiver prints an event before the emulator has read its answer,
	// so wait for the emulator to record both deliveries.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	deliveries, err := e.WaitForWebhookDeliveries(ctx, func(ds []emulator.WebhookDelivery) bool {
		for _, d := range ds {
			if d.State == emulator.WebhookPending {
				return false
			}
		}
		return len(ds) == 2
	})
	if err != nil {
		t.Fatalf("deliveries did not settle: %v (%+v)", err, deliveries)
	}
	for _, d := range deliveries {
		if d.State != emulator.WebhookDelivered {
			t.Errorf("delivery %d is %s: %+v", d.ID, d.State, d.Attempts)
		}
	}
}

func TestReceiverRejectsForgedDeliveries(t *testing.T) {
	_, srv, _ := emulatorWithTarget(t) // The emulator serves the certificate.
	rcv := startReceiver(t, "-json")
	certURL := srv.URL + "/_emulator/webhooks/certificate"
	envelope := `{"EventName":"complete-transfer","ResourceUri":"x","ResourceName":"Transfer","AuditUri":"https://h/auditactivity/v1/auditrecords/p_c_t_completetransfer_1","ResourceChangeUtcDate":"2025-03-01T10:15:30.0000000+00:00"}`
	tests := []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"signature of another body", map[string]string{"Authorization": "Signature " + strings.Repeat("QUJD", 86), emulator.WebhookCertificateURLHeader: certURL, emulator.WebhookAlgorithmHeader: "rsa-sha256"}, "does not match"},
		{"certificate from a remote host", map[string]string{"Authorization": "Signature QUJD", emulator.WebhookCertificateURLHeader: "https://certs.example/pc.cer", emulator.WebhookAlgorithmHeader: "rsa-sha256"}, "not a loopback URL"},
		{"other algorithm", map[string]string{"Authorization": "Signature QUJD", emulator.WebhookCertificateURLHeader: certURL, emulator.WebhookAlgorithmHeader: "rsa-sha1"}, "unsupported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, rcv.url, strings.NewReader(envelope))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("HTTP %d, want 401", resp.StatusCode)
			}
			var line struct {
				Envelope  partnercenter.WebhookEvent `json:"envelope"`
				Transfer  string                     `json:"transferId"`
				Signature string                     `json:"signature"`
			}
			if err := json.Unmarshal([]byte(rcv.next(t)), &line); err != nil {
				t.Fatal(err)
			}
			if line.Envelope.EventName != "complete-transfer" || line.Transfer != "t" || !strings.HasPrefix(line.Signature, "INVALID") || !strings.Contains(line.Signature, tc.want) {
				t.Errorf("printed %+v, want an INVALID verdict mentioning %q", line, tc.want)
			}
		})
	}
}

func TestParseFlagsRefusesNonLoopbackListeners(t *testing.T) {
	for _, args := range [][]string{{"-listen", "0.0.0.0:8080"}, {"-listen", "192.0.2.1:80"}, {"-path", "hook"}, {"-exit-after", "-1"}, {"extra"}} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	if c, err := parseFlags([]string{"-listen", "localhost:0"}, io.Discard); err != nil || !c.verify || c.path != "/partnercenter" {
		t.Errorf("defaults: %+v %v", c, err)
	}
}
