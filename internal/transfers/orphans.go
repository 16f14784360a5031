// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// orphanList is the customer's Pending requests made by this partner that
// existed before this Service sent its first create for the customer:
// candidates for adoption, never results of this Service's own POSTs.
type orphanList struct {
	ready chan struct{}
	mu    sync.Mutex
	items []partnercenter.Transfer
	ids   map[string]bool
}

// orphanList returns the customer's list, taking it on first use while
// every other create of the customer waits, so no POST of this Service
// lands in it. Without list, a create only waits for a listing under way.
func (s *Service) orphanList(ctx context.Context, customerID string, list bool) *orphanList {
	key := strings.ToLower(customerID)
	s.mu.Lock()
	o, exists := s.orphans[key]
	if !exists && !list {
		s.mu.Unlock()
		return nil
	}
	if !exists {
		o = &orphanList{ready: make(chan struct{}), ids: map[string]bool{}}
		s.orphans[key] = o
	}
	s.mu.Unlock()
	if exists {
		select {
		case <-o.ready:
		case <-ctx.Done():
		}
		return o
	}
	defer close(o.ready)
	since := s.now().Add(-s.OrphanWindow)
	inState := s.Seen.Since(since)
	_ = s.client.ListTransfers(ctx, customerID, func(t partnercenter.Transfer) error {
		if inState[strings.ToLower(t.ID)] {
			o.ids[strings.ToLower(t.ID)] = true // predates this Service, but held
			return nil
		}
		if t.Status != partnercenter.StatusPending || t.TransferDirection == partnercenter.DirectionOutgoing ||
			(t.CreatedTime != nil && t.CreatedTime.Before(since)) ||
			(s.tenantID != "" && t.TargetPartnerTenantID != "" && !strings.EqualFold(t.TargetPartnerTenantID, s.tenantID)) {
			return nil
		}
		o.items = append(o.items, t)
		o.ids[strings.ToLower(t.ID)] = true
		return nil
	})
	// A failed listing leaves nothing to adopt; the create goes ahead.
	// Read after the listing: a create noted before the listing saw its
	// request is seen here. While the Terraform process that ran it is
	// alive (this apply, with another provider configuration, or another
	// apply), its request is in that run's state, though it looks just
	// like an orphan: then nothing is adopted.
	other := s.Seen.OtherCreatorRunning(customerID, s.id, s.now().Add(-creatorWindow))
	if other {
		o.items = nil
	}
	newestFirst(o.items)
	return o
}

// creatorWindow is how long a noted create counts as under way.
const creatorWindow = 30 * time.Minute

// adopt claims the newest orphan made from req that no create holds.
func (o *orphanList) adopt(c *claims, req partnercenter.CreateTransferRequest) *partnercenter.Transfer {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := range o.items {
		if matches(&o.items[i], req) && c.claim(o.items[i].ID) {
			t := o.items[i]
			return &t
		}
	}
	return nil
}

// known reports a transfer that predates this Service's creates.
func (o *orphanList) known(id string) bool {
	if o == nil {
		return false
	}
	select {
	case <-o.ready:
	default:
		return false
	}
	return o.ids[strings.ToLower(id)]
}
