// SPDX-License-Identifier: MPL-2.0

// Package snapshot reads a partner's customers, their subscriptions and
// transfer requests through the Partner Center client (GET only) and turns
// them into the emulator's seed format (internal/emulator, "Snapshot
// files"), optionally anonymized, so a migration can be rehearsed on a copy
// of the partner. cmd/partnercenter-snapshot is its command line.
package snapshot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// DefaultConcurrency is how many customers are read at a time. Every
// request goes through the client's shared rate limiter, so more workers
// only fill the budget the limiter allows.
const DefaultConcurrency = 8

// Options configures Take.
type Options struct {
	// Client reads the partner's data; its rate limiter paces every request.
	Client *partnercenter.Client
	// PartnerTenantID is the partner the client signs in as.
	PartnerTenantID string
	// ClientID is recorded in the header (the emulator serves it).
	ClientID string
	// PartnerName names the partner when no request names it.
	PartnerName string
	// Concurrency is the number of customers read at a time (default
	// DefaultConcurrency).
	Concurrency int
	// Anonymizer, when set, replaces names, domains, addresses and text.
	Anonymizer *Anonymizer
	// Resume is an unfinished snapshot (complete=false) of the same partner
	// and anonymization: its customers are not read again.
	Resume *emulator.Seed
	// Checkpoint receives the unfinished snapshot every CheckpointInterval
	// (default 5s) and when the run stops early, for the caller to save.
	Checkpoint         func(emulator.Seed) error
	CheckpointInterval time.Duration
	// Progress receives a progress line every ProgressInterval (default
	// 2s) and a last one at the end.
	Progress         io.Writer
	ProgressInterval time.Duration
	// Now is the wall clock (default time.Now).
	Now func() time.Time
}

// Take reads the partner's customers (pages of 500), then for each one its
// subscriptions and its transfers (one list each), and returns the
// complete snapshot. When ctx ends or a request fails it returns the error
// after a last Checkpoint with what was read.
func Take(ctx context.Context, o Options) (emulator.Seed, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	self := strings.ToLower(o.PartnerTenantID)
	if self == "" {
		return emulator.Seed{}, errors.New("the partner's tenant id is unknown")
	}
	header := &emulator.SnapshotInfo{Format: emulator.SnapshotFormat, PartnerTenantID: self, ClientID: strings.ToLower(o.ClientID),
		StartedAt: now().UTC().Truncate(time.Second), Anonymized: o.Anonymizer != nil}
	done := map[string]customerRead{}
	if o.Resume != nil && o.Resume.Snapshot != nil {
		header.StartedAt = o.Resume.Snapshot.StartedAt
		byCustomer := map[string][]emulator.Transfer{}
		for _, t := range o.Resume.Transfers {
			byCustomer[t.CustomerTenantID] = append(byCustomer[t.CustomerTenantID], t)
		}
		for _, c := range o.Resume.Customers {
			done[c.ID] = customerRead{customer: c, transfers: byCustomer[c.ID]}
		}
		header.LeftOut = append(header.LeftOut, o.Resume.Snapshot.LeftOut...)
	}
	p := newProgress(o.Client, o.Progress, cmp.Or(o.ProgressInterval, 2*time.Second), now)
	defer p.stop()

	var customers []partnercenter.Customer
	err := o.Client.ListCustomers(ctx, partnercenter.MaxCustomerPageSize, func(c partnercenter.Customer) error {
		customers = append(customers, c)
		p.listed(len(customers))
		return nil
	})
	if err != nil {
		return emulator.Seed{}, fmt.Errorf("listing customers: %w", err)
	}
	header.CustomersTotal = len(customers)
	reads := make([]*customerRead, len(customers))
	var todo []int
	for i, c := range customers {
		if r, ok := done[strings.ToLower(c.TenantID())]; ok {
			reads[i] = &r
			continue
		}
		todo = append(todo, i)
	}
	p.start(len(customers), len(customers)-len(todo))

	assemble := func(complete bool) emulator.Seed {
		return assembleSeed(*header, self, o, reads, complete, now)
	}
	var mu sync.Mutex // guards reads
	readErr := readCustomers(ctx, o, todo, func(i int) error {
		c := customers[i]
		id := c.TenantID()
		var subs []partnercenter.Subscription
		if err := o.Client.ListSubscriptions(ctx, id, func(s partnercenter.Subscription) error {
			subs = append(subs, s)
			return nil
		}); err != nil {
			return fmt.Errorf("customer %s: listing subscriptions: %w", id, err)
		}
		var transfers []partnercenter.Transfer
		if err := o.Client.ListTransfers(ctx, id, func(t partnercenter.Transfer) error {
			transfers = append(transfers, t)
			return nil
		}); err != nil {
			return fmt.Errorf("customer %s: listing transfers: %w", id, err)
		}
		r := convertCustomer(self, c, subs, transfers)
		if a := o.Anonymizer; a != nil {
			r.customer = a.Customer(r.customer)
			for j, t := range r.transfers {
				r.transfers[j] = a.Transfer(t)
			}
		}
		mu.Lock()
		reads[i] = &r
		mu.Unlock()
		p.customerDone()
		return nil
	}, func() error {
		if o.Checkpoint == nil {
			return nil
		}
		mu.Lock()
		s := assemble(false)
		mu.Unlock()
		return o.Checkpoint(s)
	})
	p.stop()
	if readErr != nil {
		if o.Checkpoint != nil {
			mu.Lock()
			s := assemble(false)
			mu.Unlock()
			readErr = errors.Join(readErr, o.Checkpoint(s))
		}
		return emulator.Seed{}, readErr
	}
	return assemble(true), nil
}

// readCustomers runs read for every index with o.Concurrency workers and
// calls checkpoint every o.CheckpointInterval. The first error stops the
// other workers.
func readCustomers(ctx context.Context, o Options, todo []int, read func(int) error, checkpoint func() error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, cmp.Or(o.Concurrency, DefaultConcurrency)) {
		wg.Go(func() {
			for i := range jobs {
				if ctx.Err() != nil {
					continue
				}
				if err := read(i); err != nil {
					cancel(err)
				}
			}
		})
	}
	ticker := time.NewTicker(cmp.Or(o.CheckpointInterval, 5*time.Second))
	defer ticker.Stop()
	var checkpointErr error
feed:
	for _, i := range todo {
		for {
			select {
			case jobs <- i:
				continue feed
			case <-ctx.Done():
				break feed
			case <-ticker.C:
				if err := checkpoint(); err != nil && checkpointErr == nil {
					checkpointErr = fmt.Errorf("saving progress: %w", err)
					cancel(checkpointErr)
				}
			}
		}
	}
	close(jobs)
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil {
		return cause
	}
	return nil
}

// assembleSeed builds the snapshot from the customers read so far, in
// list order; complete marks a finished run.
func assembleSeed(header emulator.SnapshotInfo, self string, o Options, reads []*customerRead, complete bool, now func() time.Time) emulator.Seed {
	s := emulator.Seed{Snapshot: &header}
	header.LeftOut = append([]string(nil), header.LeftOut...)
	for _, r := range reads {
		if r == nil {
			continue
		}
		s.Customers = append(s.Customers, r.customer)
		s.Transfers = append(s.Transfers, r.transfers...)
		header.LeftOut = append(header.LeftOut, r.leftOut...)
	}
	header.CustomersRead = len(s.Customers)
	name := o.PartnerName
	if o.Anonymizer != nil {
		name = o.Anonymizer.PartnerName(name)
	}
	s.Partners = partners(self, name, s.Transfers)
	if complete && header.CustomersRead == header.CustomersTotal {
		header.Complete = true
		finished := now().UTC().Truncate(time.Second)
		header.FinishedAt = &finished
	}
	return s
}
