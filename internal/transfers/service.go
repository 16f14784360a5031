// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"sync"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

// Defaults of a Service.
const (
	// DefaultClockSkew is how much earlier than this machine's clock the
	// service may stamp a request this machine just sent.
	DefaultClockSkew = 5 * time.Minute
	// DefaultQuietWindow is how long the calls about resources in state
	// must have been quiet before a create's check concludes.
	DefaultQuietWindow = 500 * time.Millisecond
	// DefaultRecoveryTimeout bounds the check made after an interrupt, on
	// a context that is no longer cancelled.
	DefaultRecoveryTimeout = 30 * time.Second
	// maxSends bounds how often one write is sent after checks found it
	// missing.
	maxSends = 8
)

// Service runs transfer operations for one configured partner. Its claims
// belong to it: two provider instances never share them. It is safe for
// concurrent use.
type Service struct {
	client *partnercenter.Client
	// tenantID is the configured partner's tenant, "" when unknown.
	tenantID string
	poller   wait.Poller
	now      func() time.Time
	// sleep waits between re-sends; tests make it instant.
	sleep func(ctx context.Context, d time.Duration) error

	ClockSkew       time.Duration
	QuietWindow     time.Duration
	RecoveryTimeout time.Duration

	claims   *claims
	holdings holdings
	mu       sync.Mutex
	lists    map[string]*customerList // lower-case customer ID
	// customers caches CheckCustomer per lower-case customer ID.
	customers map[string]*customerCheck
	// submits is what each planned submit claims (ClaimSubmit).
	submits SubmitClaims

	stats statsRecorder
}

// New returns a Service for the partner tenantID over client.
func New(client *partnercenter.Client, tenantID string, poller wait.Poller) *Service {
	return &Service{
		client:          client,
		tenantID:        tenantID,
		poller:          poller,
		now:             time.Now,
		sleep:           wait.RealClock{}.Sleep,
		ClockSkew:       DefaultClockSkew,
		QuietWindow:     DefaultQuietWindow,
		RecoveryTimeout: DefaultRecoveryTimeout,
		claims:          newClaims(),
		holdings:        holdings{ids: map[string]bool{}, last: time.Now()},
		lists:           map[string]*customerList{},
	}
}

// detached returns a context that survives the cancellation of ctx (an
// interrupt or an expired timeout) for a short recovery call.
func (s *Service) detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), s.RecoveryTimeout)
}

// backoff is the pause before re-send number n (1-based) of a write found
// missing: short, since the check has just shown nothing was applied.
func backoff(n int) time.Duration {
	return min(time.Duration(n)*250*time.Millisecond, 2*time.Second)
}
