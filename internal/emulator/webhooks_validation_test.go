// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

const validationPath = "/webhooks/v1/registration/validationEvents"

// validate asks for a test event as the target partner.
func (h *harness) validate() (string, response) {
	h.t.Helper()
	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: validationPath})
	var body struct {
		CorrelationID string `json:"correlationId"`
	}
	if res.status == http.StatusOK {
		if err := json.Unmarshal(res.body, &body); err != nil || body.CorrelationID == "" {
			h.t.Fatalf("validation answer %s: %v", res.body, err)
		}
	}
	return body.CorrelationID, res
}

func (h *harness) validationState(tenant, cid string) (validationState, response) {
	h.t.Helper()
	res := h.do(call{tenant: tenant, method: http.MethodGet, path: validationPath + "/" + cid})
	var st validationState
	if res.status == http.StatusOK {
		if err := json.Unmarshal(res.body, &st); err != nil {
			h.t.Fatal(err)
		}
	}
	return st, res
}

func TestValidationEventIsDeliveredSignedAndReadable(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 0)
	rcv := newWebhookReceiver(t, nil)
	h.register(targetTenant, rcv.srv.URL+"/hook?key=secret", "complete-transfer", testEventName)

	cid, res := h.validate()
	if res.status != 200 {
		t.Fatalf("validate: %d %s", res.status, res.body)
	}
	waitDeliveries(t, h.e, 1)
	got := rcv.received()
	if len(got) != 1 {
		t.Fatalf("receiver got %d posts", len(got))
	}
	var raw map[string]any
	if err := json.Unmarshal(got[0].body, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["EventName"] != testEventName || raw["ResourceName"] != "test" || raw["AuditUri"] != nil ||
		raw["ResourceUri"] != h.srv.URL+validationPath+"/"+cid {
		t.Errorf("test envelope: %s", got[0].body)
	}
	cert, err := ParseWebhookCertificate(mustPEM(t, h.e))
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyWebhookSignature(got[0].body, got[0].header.Get("Authorization"), cert); err != nil {
		t.Errorf("test event signature: %v", err)
	}

	st, res := h.validationState(targetTenant, cid)
	if res.status != 200 || st.Status != ValidationCompleted || st.CorrelationID != cid || st.PartnerID != targetTenant ||
		len(st.Results) != 1 || st.Results[0].ResponseCode != "OK" || st.Results[0].SystemError {
		t.Errorf("validation state: %d %s", res.status, res.body)
	}
	if strings.Contains(st.CallbackURL, "secret") {
		t.Errorf("callbackUrl shows the query string: %s", st.CallbackURL)
	}
	if _, res := h.validationState(sourceTenant, cid); res.status != 404 {
		t.Errorf("another partner read the validation: %d", res.status)
	}
	h.e.Advance(8 * 24 * time.Hour)
	if _, res := h.validationState(targetTenant, cid); res.status != 404 {
		t.Errorf("a validation older than 7 days is still served: %d", res.status)
	}
}

func TestValidationEventReportsFailedAttempts(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 2)
	rcv := newWebhookReceiver(t, func(int) int { return http.StatusInternalServerError })
	h.register(targetTenant, rcv.srv.URL, testEventName)
	cid, _ := h.validate()
	waitDeliveries(t, h.e, 1)
	st, _ := h.validationState(targetTenant, cid)
	if st.Status != ValidationFailed || len(st.Results) != 2 || st.Results[0].ResponseCode != "InternalServerError" {
		t.Errorf("failed validation state: %s", describe(st))
	}
}

func TestValidationEventThrottleAndPreconditions(t *testing.T) {
	h := newHarness(t)
	fastWebhooks(t, h.e, 0)
	if _, res := h.validate(); res.status != 404 {
		t.Errorf("validation without a registration: %d", res.status)
	}
	rcv := newWebhookReceiver(t, nil)
	h.register(targetTenant, rcv.srv.URL, "complete-transfer")
	_, res := h.validate()
	res.expectError(t, 400, codeInvalidInput, testEventName)

	h.do(call{tenant: targetTenant, method: http.MethodPut, path: webhookPath,
		body: map[string]any{"WebhookUrl": rcv.srv.URL, "WebhookEvents": []string{testEventName}}})
	for i := range 2 {
		if _, res := h.validate(); res.status != 200 {
			t.Fatalf("validation %d: %d %s", i+1, res.status, res.body)
		}
	}
	_, res = h.validate()
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("third validation within a minute: %d %v", res.status, res.header)
	}
	h.e.Advance(time.Minute)
	if _, res := h.validate(); res.status != 200 {
		t.Errorf("validation a minute later: %d %s", res.status, res.body)
	}
	if err := h.e.SetValidationEventLimit(0, 0); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, res := h.validate(); res.status != 200 {
			t.Errorf("validation with the limit off: %d", res.status)
		}
	}
}

func mustPEM(t *testing.T, e *Emulator) []byte {
	t.Helper()
	b, err := e.WebhookCertificatePEM()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
