// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// A Pending request this partner made with the inputs of a new resource is
// either held by a resource in Terraform state or held by nothing here: the
// leftover of an apply killed between the request and the state write, or a
// request another workspace manages. Terraform shows a provider no other
// resource's state; what a provider process learns is what Terraform asks
// it about: while planning, every resource in state is refreshed (Read) and
// planned through the same process. Terraform runs these calls in parallel
// with the plans of new resources, in no fixed order, and plans every
// change a second time during the apply, in a new process that refreshes
// nothing. So the check waits for the calls under way to settle, and only a
// process that refreshed resources (a plan with refresh) can conclude.

// customerList is one list of a customer's transfers, taken once per
// Service before any create of this Service posts for the customer.
type customerList struct {
	ready chan struct{}
	err   error
	// pending are this partner's Pending requests (incoming), newest first.
	pending []partnercenter.Transfer
	// ids holds every transfer the list returned: they predate this
	// Service's creates, so a lost create never finds one of them.
	ids map[string]bool
}

// listed returns the customer's list, taking it on first use; concurrent
// callers wait for the one listing.
func (s *Service) listed(ctx context.Context, customerID string) *customerList {
	key := strings.ToLower(customerID)
	s.mu.Lock()
	l, exists := s.lists[key]
	if !exists {
		l = &customerList{ready: make(chan struct{}), ids: map[string]bool{}}
		s.lists[key] = l
	}
	s.mu.Unlock()
	if exists {
		select {
		case <-l.ready:
		case <-ctx.Done():
			return &customerList{err: ctx.Err(), ids: map[string]bool{}}
		}
		return l
	}
	defer close(l.ready)
	l.err = s.client.ListTransfers(ctx, customerID, func(t partnercenter.Transfer) error {
		l.ids[strings.ToLower(t.ID)] = true
		if s.ownPendingRequest(&t) {
			l.pending = append(l.pending, t)
		}
		return nil
	})
	newestFirst(l.pending)
	return l
}

// preexisting reports a transfer the customer's list returned, when this
// Service took one: it existed before this Service's creates.
func (s *Service) preexisting(customerID, transferID string) bool {
	s.mu.Lock()
	l := s.lists[strings.ToLower(customerID)]
	s.mu.Unlock()
	if l == nil {
		return false
	}
	select {
	case <-l.ready:
	default:
		return false
	}
	return l.ids[strings.ToLower(transferID)]
}

// holdings is what this process learnt of the transfers Terraform state
// holds: the IDs of the resources it was asked about, whether it refreshed
// any, and whether such calls are still under way.
type holdings struct {
	mu        sync.Mutex
	ids       map[string]bool // lower-case transfer IDs
	refreshed bool
	busy      int       // calls about resources in state under way
	last      time.Time // when the last such call started or ended
	changed   chan struct{}
}

func (h *holdings) notifyLocked(now time.Time) {
	h.last = now
	if h.changed != nil {
		close(h.changed)
		h.changed = nil
	}
}

// InState notes that a resource in Terraform state holds transferID while
// the provider serves a call about it: a refresh (refresh = true), or the
// plan of a resource in state. The returned func ends the call. A create's
// check never reports a request held this way.
func (s *Service) InState(transferID string, refresh bool) (done func()) {
	h := &s.holdings
	h.mu.Lock()
	if transferID != "" {
		h.ids[strings.ToLower(transferID)] = true
	}
	h.refreshed = h.refreshed || refresh
	h.busy++
	h.notifyLocked(s.now())
	h.mu.Unlock()
	return sync.OnceFunc(func() {
		h.mu.Lock()
		h.busy--
		h.notifyLocked(s.now())
		h.mu.Unlock()
	})
}

func (s *Service) heldInState(transferID string) bool {
	s.holdings.mu.Lock()
	defer s.holdings.mu.Unlock()
	return s.holdings.ids[strings.ToLower(transferID)]
}

// CreateCheck is what a create's plan found on Partner Center.
type CreateCheck struct {
	// Unheld are the customer's Pending requests this partner made from
	// the same inputs that no resource this process was asked about holds,
	// newest first.
	Unheld []*Transfer
	// Conclusive is set when this process refreshed resources in state (a
	// plan with refresh): an unheld request is then held by no resource of
	// this state. Without a refresh (an empty state, -refresh=false, or the
	// apply, which Terraform plans again in a process that refreshes
	// nothing) the check cannot tell.
	Conclusive bool
}

// CheckCreate lists the customer's transfers (once per Service, shared by
// every check and create of the customer) and returns the Pending requests
// this partner made from req that no resource in state is known to hold.
// While any are left it waits until the calls about resources in state have
// been quiet for QuietWindow: the refresh of the resource that holds one
// may still be on its way.
func (s *Service) CheckCreate(ctx context.Context, customerID string, req partnercenter.CreateTransferRequest) (*CreateCheck, error) {
	l := s.listed(ctx, customerID)
	if l.err != nil {
		return nil, l.err
	}
	for {
		h := &s.holdings
		h.mu.Lock()
		var unheld []*Transfer
		for i := range l.pending {
			t := &l.pending[i]
			if matches(t, req) && !h.ids[strings.ToLower(t.ID)] && !s.claims.isHeld(t.ID) {
				unheld = append(unheld, Wrap(t))
			}
		}
		quietFor := s.now().Sub(h.last)
		if len(unheld) == 0 || (h.busy == 0 && quietFor >= s.QuietWindow) {
			out := &CreateCheck{Unheld: unheld, Conclusive: h.refreshed}
			h.mu.Unlock()
			return out, nil
		}
		if h.changed == nil {
			h.changed = make(chan struct{})
		}
		changed := h.changed
		h.mu.Unlock()
		timer := time.NewTimer(max(s.QuietWindow-quietFor, time.Millisecond))
		select {
		case <-changed:
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		}
		timer.Stop()
	}
}

// adopt claims the newest request of the customer's list made from req
// that no resource in state and no create of this Service holds.
func (s *Service) adopt(l *customerList, req partnercenter.CreateTransferRequest) *partnercenter.Transfer {
	for i := range l.pending {
		t := l.pending[i]
		if matches(&t, req) && !s.heldInState(t.ID) && s.claims.claim(t.ID) {
			return &t
		}
	}
	return nil
}

// ownPendingRequest reports a Pending request this partner made (as the
// target: incoming, and not addressed to another partner's tenant).
func (s *Service) ownPendingRequest(t *partnercenter.Transfer) bool {
	if t.Status != partnercenter.StatusPending || t.TransferDirection == partnercenter.DirectionOutgoing {
		return false
	}
	return s.tenantID == "" || t.TargetPartnerTenantID == "" || strings.EqualFold(t.TargetPartnerTenantID, s.tenantID)
}

// ownPending reports a Pending request this partner made from req.
func (s *Service) ownPending(t *partnercenter.Transfer, req partnercenter.CreateTransferRequest) bool {
	return s.ownPendingRequest(t) && matches(t, req)
}

// UnheldExplanation is the text of a plan that found unheld: what each
// request is, why it can exist, and the import block that adopts it.
func UnheldExplanation(customerID string, req partnercenter.CreateTransferRequest, unheld []*Transfer) string {
	var b strings.Builder
	for _, t := range unheld {
		fmt.Fprintf(&b, "  - transfer %s, created %s, Pending\n", t.ID, createdText(&t.Transfer))
	}
	inputs := []string{"source_partner_tenant_id = " + req.SourcePartnerTenantID}
	for _, f := range [][2]string{
		{"source_partner_name", req.SourcePartnerName}, {"customer_email", req.CustomerEmailID},
		{"target_partner_email", req.TargetPartnerEmailID}, {"partner_of_record", req.PartnerOnRecord},
	} {
		if f[1] != "" {
			inputs = append(inputs, f[0]+" = "+f[1])
		}
	}
	first := unheld[0].ID
	return fmt.Sprintf("This partner already has %d Pending transfer request(s) for customer %s made with the same inputs (%s), "+
		"and no resource in this Terraform state is known to hold it:\n%s\n"+
		"This happens when another workspace or configuration manages the request, or when an earlier apply was killed "+
		"between the request and the state write. Creating another request would e-mail the customer again.\n\n"+
		"If this resource should manage the request, adopt it with an import block (use this resource's address):\n\n"+
		"import {\n  to = <this resource's address, e.g. partnercenter_transfer.example>\n  id = \"%s/%s\"\n}\n\n"+
		"If another workspace manages it, leave it to that workspace and change this configuration. "+
		"(adopt_orphaned_request = true adopts such a request automatically: only for automation that is the only manager "+
		"of this customer's requests.)",
		len(unheld), customerID, strings.Join(inputs, ", "), b.String(), customerID, first)
}

func newestFirst(ts []partnercenter.Transfer) {
	slices.SortStableFunc(ts, func(a, b partnercenter.Transfer) int {
		if a.CreatedTime == nil || b.CreatedTime == nil {
			return 0
		}
		return b.CreatedTime.Compare(*a.CreatedTime)
	})
}

func createdText(t *partnercenter.Transfer) string {
	if t.CreatedTime == nil {
		return "at an unknown time"
	}
	return t.CreatedTime.UTC().Format(time.RFC3339)
}
