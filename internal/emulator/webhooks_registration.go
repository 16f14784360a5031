// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Route names of the webhook registration API, for stats and faults.
const (
	routeWebhookEvents = "webhook-events"
	routeWebhookGet    = "webhook-get"
	routeWebhookCreate = "webhook-create"
	routeWebhookUpdate = "webhook-update"
	routeWebhookDelete = "webhook-delete"
)

// WebhookRegistration is a partner's registration in its wire form
// (PascalCase, as Microsoft's examples write it).
type WebhookRegistration struct {
	SubscriberID  string   `json:"SubscriberId,omitempty"`
	WebhookURL    string   `json:"WebhookUrl"`
	WebhookEvents []string `json:"WebhookEvents"`
}

// WebhookEnvelope is the event notification POSTed to a receiver
// (REFERENCE.md §7.1). An empty AuditURI is sent as null.
type WebhookEnvelope struct {
	EventName             string `json:"EventName"`
	ResourceURI           string `json:"ResourceUri"`
	ResourceName          string `json:"ResourceName"`
	AuditURI              string `json:"AuditUri"`
	ResourceChangeUtcDate string `json:"ResourceChangeUtcDate"`
}

// transferWebhookEvents are the transfer event names (REFERENCE.md §3.6), the
// names Event.Name carries.
var transferWebhookEvents = []string{eventCreateTransfer, eventUpdateTransfer, eventCompleteTransfer, eventFailTransfer}

// otherWebhookEvents are documented Partner Center events the emulator
// accepts in registrations besides the transfer events. It never raises them.
var otherWebhookEvents = []string{"test-created", "subscription-updated", "usagerecords-thresholdExceeded", "invoice-ready"}

// WebhookEventNames returns the event names GET
// /webhooks/v1/registration/events offers: the transfer events first.
func WebhookEventNames() []string {
	return append(slices.Clone(transferWebhookEvents), otherWebhookEvents...)
}

// webhookRegistration is a partner's registration plus where the emulator
// was reached when it was made (the base of envelope links).
type webhookRegistration struct {
	WebhookRegistration
	baseURL string
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

// addRoutes registers the registration API.
func (s *webhookService) addRoutes() {
	e := s.e
	e.addRoute(http.MethodGet, "/webhooks/v1/registration/events", routeWebhookEvents, s.handleEvents)
	e.addRoute(http.MethodGet, "/webhooks/v1/registration", routeWebhookGet, s.handleGet)
	e.addRoute(http.MethodPost, "/webhooks/v1/registration", routeWebhookCreate, s.handleCreate)
	e.addRoute(http.MethodPut, "/webhooks/v1/registration", routeWebhookUpdate, s.handleUpdate)
	e.addRoute(http.MethodDelete, "/webhooks/v1/registration", routeWebhookDelete, s.handleDelete)
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
	return s.withRegistration(req, func(reg *webhookRegistration) apiResponse {
		return jsonResponse(http.StatusOK, reg.WebhookRegistration)
	})
}

func (s *webhookService) handleCreate(req *apiRequest) apiResponse {
	want, err := parseRegistration(req.body)
	if err != nil {
		return errInvalidInput("%s", err)
	}
	s.lockFor(req)
	defer s.mu.Unlock()
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
	return s.withRegistration(req, func(reg *webhookRegistration) apiResponse {
		reg.WebhookURL, reg.WebhookEvents, reg.baseURL = want.WebhookURL, want.WebhookEvents, s.lastBase
		return jsonResponse(http.StatusOK, reg.WebhookRegistration)
	})
}

func (s *webhookService) handleDelete(req *apiRequest) apiResponse {
	return s.withRegistration(req, func(*webhookRegistration) apiResponse {
		delete(s.regs, req.partner)
		return apiResponse{Status: http.StatusNoContent, Header: http.Header{}}
	})
}

// lockFor takes the service lock for one API request and records the base
// URL the caller used, from which delivered resource URIs are built. The
// caller unlocks.
func (s *webhookService) lockFor(req *apiRequest) {
	s.mu.Lock()
	s.lastBase = requestBase(req.r)
}

// withRegistration runs fn under the lock with the caller's registration,
// or answers 404 when the partner has none.
func (s *webhookService) withRegistration(req *apiRequest, fn func(*webhookRegistration) apiResponse) apiResponse {
	s.lockFor(req)
	defer s.mu.Unlock()
	reg := s.regs[req.partner]
	if reg == nil {
		return errNoWebhookRegistration()
	}
	return fn(reg)
}
