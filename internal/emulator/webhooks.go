// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// The webhook registration API (REFERENCE.md §1.3), the delivery of transfer
// events (REFERENCE.md §7) to registered partners and the validation (test)
// events. New wires it in with newWebhookService; see README.md "Webhooks".
//
// Files: webhooks_registration.go (the API), webhooks_urlpolicy.go (which
// receivers are allowed, redaction, the redirect-limiting client),
// webhooks_delivery.go (queues, retries, signing), webhooks_admin.go
// (admin routes and the Go test API), webhook_signing.go (keys).

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
	// validations are the test events by correlation id; validationTimes
	// are each partner's recent test-event requests, for the limit.
	validations      map[string]*webhookValidation
	validationTimes  map[string][]time.Time
	validationLimit  int
	validationPeriod time.Duration
	// sleep waits between attempts; tests replace it to record backoffs.
	sleep func(ctx context.Context, d time.Duration) error
}

// newWebhookService builds e's webhook service and adds its routes, admin
// routes, event subscription and reset hook. New calls it once.
func newWebhookService(e *Emulator) *webhookService {
	opts, _ := WebhookDeliveryOptions{}.withDefaults() // Defaults are valid.
	ctx, cancel := context.WithCancel(context.Background())
	s := &webhookService{
		e: e, opts: opts, client: newWebhookClient(opts),
		regs: map[string]*webhookRegistration{}, queues: map[string]*webhookQueue{},
		ctx: ctx, cancel: cancel, changed: make(chan struct{}), sleep: sleepContext,
		validations: map[string]*webhookValidation{}, validationTimes: map[string][]time.Time{},
		validationLimit: DefaultValidationEventLimit, validationPeriod: DefaultValidationEventPeriod,
	}
	s.addRoutes()
	s.addValidationRoutes()
	s.addAdminRoutes()
	e.Subscribe(s.onEvent)
	e.onReset(s.reset)
	return s
}

// webhooksOf returns e's webhook service.
func webhooksOf(e *Emulator) *webhookService {
	if e.webhooks == nil {
		panic("emulator: no webhook service; create Emulators with New")
	}
	return e.webhooks
}

func (s *webhookService) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
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
	s.validations = map[string]*webhookValidation{}
	s.validationTimes = map[string][]time.Time{}
	s.lastBase = ""
	s.notifyLocked()
}
