// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Validation (test) events: POST /webhooks/v1/registration/validationEvents
// sends a signed "test-created" envelope to the registered URL, and GET
// .../validationEvents/{correlationId} reports each delivery attempt
// (Microsoft's "partner-center-webhooks" page).

// Route names of the validation API, for stats and faults.
const (
	routeWebhookValidate      = "webhook-validate"
	routeWebhookValidationGet = "webhook-validation-get"
)

// Documented limits: 2 test events per minute, state kept 7 days.
const (
	DefaultValidationEventLimit  = 2
	DefaultValidationEventPeriod = time.Minute
	validationRetention          = 7 * 24 * time.Hour
	testEventName                = "test-created"
)

// webhookValidation is one requested test event.
type webhookValidation struct {
	correlationID string
	partner       string
	callbackURL   string
	created       time.Time // virtual
	delivery      *webhookDelivery
}

// validationState is the GET body (documented example).
type validationState struct {
	CorrelationID string             `json:"correlationId"`
	PartnerID     string             `json:"partnerId"`
	Status        string             `json:"status"`
	CallbackURL   string             `json:"callbackUrl"`
	Results       []validationResult `json:"results"`
}

// validationResult is one delivery attempt.
type validationResult struct {
	ResponseCode    string `json:"responseCode"`
	ResponseMessage string `json:"responseMessage"`
	SystemError     bool   `json:"systemError"`
	DateTimeUtc     string `json:"dateTimeUtc"`
}

// Validation statuses: "completed" is documented; "pending" and "failed"
// are the emulator's choice [UNK].
const (
	ValidationPending   = "pending"
	ValidationCompleted = "completed"
	ValidationFailed    = "failed"
)

func (s *webhookService) addValidationRoutes() {
	s.e.addRoute(http.MethodPost, "/webhooks/v1/registration/validationEvents", routeWebhookValidate, s.handleValidate)
	s.e.addRoute(http.MethodGet, "/webhooks/v1/registration/validationEvents/{correlationId}", routeWebhookValidationGet, s.handleValidationGet)
}

// handleValidate queues a test-created event for the caller's registration.
func (s *webhookService) handleValidate(req *apiRequest) apiResponse {
	now := s.e.Now()
	return s.withRegistration(req, func(reg *webhookRegistration) apiResponse {
		if !slices.Contains(reg.WebhookEvents, testEventName) {
			return errInvalidInput("The webhook registration does not include the %q event; add it to WebhookEvents before sending a validation event.", testEventName)
		}
		if wait, ok := s.allowValidationLocked(req.partner, now); !ok {
			return throttleResponse(wait)
		}
		cid := uuid.NewString()
		base := s.baseLocked(reg)
		env := WebhookEnvelope{
			EventName:             testEventName,
			ResourceURI:           base + "/webhooks/v1/registration/validationEvents/" + cid,
			ResourceName:          "test",
			ResourceChangeUtcDate: now.UTC().Format("2006-01-02T15:04:05.0000000+00:00"),
		}
		d := s.queueLocked(req.partner, reg, base, env, "", "")
		if d == nil {
			return errorResponse(http.StatusInternalServerError, "500", "The test event could not be encoded.")
		}
		d.rec.CorrelationID = cid
		s.validations[cid] = &webhookValidation{correlationID: cid, partner: req.partner, callbackURL: redactURL(reg.WebhookURL), created: now, delivery: d}
		s.trimRecordsLocked()
		s.notifyLocked()
		return jsonResponse(http.StatusOK, map[string]string{"correlationId": cid})
	})
}

// allowValidationLocked applies the per-partner limit on the virtual clock
// and returns the seconds to wait when it is reached.
func (s *webhookService) allowValidationLocked(partner string, now time.Time) (int, bool) {
	kept := s.validationTimes[partner][:0]
	for _, t := range s.validationTimes[partner] {
		if now.Sub(t) < s.validationPeriod {
			kept = append(kept, t)
		}
	}
	s.validationTimes[partner] = kept
	if s.validationLimit > 0 && len(kept) >= s.validationLimit {
		wait := kept[0].Add(s.validationPeriod).Sub(now)
		return max(1, int((wait+time.Second-1)/time.Second)), false
	}
	s.validationTimes[partner] = append(kept, now)
	return 0, true
}

// handleValidationGet reports a test event of the caller's, with one result
// per delivery attempt. Other partners' ids and ids older than 7 days are
// not found.
func (s *webhookService) handleValidationGet(req *apiRequest) apiResponse {
	id, _ := canonicalGUID(req.params["correlationId"])
	now := s.e.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.validations[id]
	if v == nil || v.partner != req.partner || now.Sub(v.created) > validationRetention {
		return errorResponse(http.StatusNotFound, "404", fmt.Sprintf("No validation event with correlation id %s exists for this partner (they are kept 7 days).",
			truncate(req.params["correlationId"])))
	}
	st := validationState{CorrelationID: v.correlationID, PartnerID: v.partner, CallbackURL: v.callbackURL, Results: []validationResult{}}
	for _, a := range v.delivery.rec.Attempts {
		r := validationResult{DateTimeUtc: a.At.UTC().Format("2006-01-02T15:04:05.0000000")}
		if a.Status == 0 {
			r.SystemError, r.ResponseMessage = true, a.Error
		} else {
			r.ResponseCode = strings.ReplaceAll(http.StatusText(a.Status), " ", "")
			if r.ResponseCode == "" {
				r.ResponseCode = strconv.Itoa(a.Status)
			}
		}
		st.Results = append(st.Results, r)
	}
	switch v.delivery.rec.State {
	case WebhookPending:
		st.Status = ValidationPending
	case WebhookDelivered:
		st.Status = ValidationCompleted
	default:
		st.Status = ValidationFailed
	}
	return jsonResponse(http.StatusOK, st)
}

// SetValidationEventLimit changes the test-event limit (default 2 per
// minute of virtual time); limit 0 turns it off. It survives Reset.
func (e *Emulator) SetValidationEventLimit(limit int, period time.Duration) error {
	if limit < 0 || (limit > 0 && period <= 0) {
		return fmt.Errorf("validation event limit %d per %s: want limit >= 0 and a positive period", limit, period)
	}
	s := webhooksOf(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.validationLimit, s.validationPeriod = limit, period
	return nil
}
