// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// CreateOptions tunes one Create.
type CreateOptions struct {
	// AdoptOrphans lets the create adopt, instead of posting, a Pending
	// request this partner made for the customer with the same inputs that
	// no create of this Service and no resource this process was asked
	// about holds. Only for automation that knows it is the only manager of
	// the customer's requests: the request may belong to another workspace.
	AdoptOrphans bool
}

// Created is the outcome of a Create.
type Created struct {
	Transfer *Transfer
	// Adopted is set when the transfer is an existing request adopted
	// under AdoptOrphans.
	Adopted bool
	// Recovered is set when a POST's answer was lost and the check found
	// the request it made.
	Recovered bool
	// Warnings explain adoptions, recoveries and cancelled extras.
	Warnings []string
}

// Create makes a transfer request for customerID, exactly once: after an
// attempt whose outcome is unknown it lists the customer's transfers and
// adopts the request that attempt made, if any, before sending again; after
// a create that needed more than one attempt it cancels any further request
// the service made from it. Without AdoptOrphans it never takes a request
// it did not make.
func (s *Service) Create(ctx context.Context, customerID string, req partnercenter.CreateTransferRequest, opts CreateOptions) (*Created, error) {
	s.claims.begin(customerID)
	heldID := ""
	finish := sync.OnceFunc(func() { s.claims.done(customerID, heldID) })
	defer finish()

	if opts.AdoptOrphans {
		if l := s.listed(ctx, customerID); l.err == nil {
			if t := s.adopt(l, req); t != nil {
				heldID = t.ID
				s.stats.add(func(st *Stats) { st.Adopted++ })
				return &Created{Transfer: Wrap(t), Adopted: true, Warnings: []string{fmt.Sprintf(
					"Adopted transfer %s (Pending, created %s by this partner for customer %s with the same inputs) instead of creating a second "+
						"request, because adopt_orphaned_request = true. No resource this run was asked about holds it; if another workspace "+
						"manages it, both now hold the same request.", t.ID, createdText(t), customerID)}}, nil
			}
		}
	}

	started := s.now()
	requestID := uuid.NewString()
	postCtx := partnercenter.StopOnUnknownOutcome(partnercenter.WithRequestID(ctx, requestID))
	out := &Created{}
	var lastErr error
	for send := 1; ; send++ {
		s.claims.posted(customerID, +1, "")
		t, err := s.client.CreateTransfer(postCtx, customerID, req)
		id := ""
		if err == nil {
			id = t.ID
		}
		s.claims.posted(customerID, -1, id)
		if err == nil {
			out.Transfer = Wrap(t)
			heldID = t.ID
			break
		}
		lastErr = err
		if partnercenter.Refused(err) && !isProcessedElsewhere(err) {
			return nil, err
		}
		// The outcome is unknown: ask the service before sending again.
		found, searchErr := s.findCreated(ctx, customerID, req, started)
		if found != nil {
			heldID = found.ID
			out.Transfer, out.Recovered = Wrap(found), true
			out.Warnings = append(out.Warnings, fmt.Sprintf(
				"Creating the request was not confirmed (%s), but transfer %s made by it was found on Partner Center and is used, so it is not created twice.",
				err, found.ID))
			break
		}
		if searchErr != nil {
			return nil, fmt.Errorf("%w; checking whether it was created failed too, so it was not sent again "+
				"(a request may exist: look for it in the customer's transfers before applying again): %w", err, searchErr)
		}
		if ctx.Err() != nil || send >= maxSends {
			return nil, err
		}
		if isProcessedElsewhere(err) {
			// The server refuses to process this MS-RequestId again, yet
			// nothing it made is there: only a new one can go through.
			requestID = uuid.NewString()
			postCtx = partnercenter.StopOnUnknownOutcome(partnercenter.WithRequestID(ctx, requestID))
		}
		if sleepErr := s.sleep(ctx, backoff(send)); sleepErr != nil {
			return nil, err
		}
		s.stats.add(func(st *Stats) { st.Resent++ })
	}
	if lastErr != nil {
		finish() // this create holds its transfer; the extras check waits for the others
		out.Warnings = append(out.Warnings, s.cancelExtras(ctx, customerID, req, started, heldID)...)
	}
	return out, nil
}

// findCreated looks for the request a create with an unknown outcome made:
// Pending, this partner's, the same inputs, created since started (less
// the clock skew), held by no create and not in the customer's list taken
// before this Service's creates. It first lets the creates still awaiting
// an answer claim their own requests.
func (s *Service) findCreated(ctx context.Context, customerID string, req partnercenter.CreateTransferRequest, started time.Time) (*partnercenter.Transfer, error) {
	s.stats.add(func(st *Stats) { st.Reconciled++ })
	ctx, cancel := s.detached(ctx)
	defer cancel()
	settleCtx, cancelSettle := context.WithTimeout(ctx, s.RecoveryTimeout/3)
	defer cancelSettle()
	noPost := func(_, posting int) bool { return posting == 0 }
	for {
		s.claims.settle(settleCtx, customerID, noPost)
		candidates, err := s.listMatching(ctx, customerID, req, started.Add(-s.ClockSkew))
		if err != nil {
			return nil, err
		}
		quiet := noPost
		if settleCtx.Err() != nil {
			quiet = func(int, int) bool { return true } // waited long enough: take what is free
		}
		id, ok := s.claims.claimFirstIfQuiet(customerID, ids(candidates), quiet)
		if !ok {
			continue // a POST started after the settle: its answer may hold a candidate
		}
		for i := range candidates {
			if candidates[i].ID == id && id != "" {
				s.stats.add(func(st *Stats) { st.Recovered++ })
				return &candidates[i], nil
			}
		}
		return nil, nil
	}
}

func ids(ts []partnercenter.Transfer) []string {
	out := make([]string, len(ts))
	for i := range ts {
		out[i] = ts[i].ID
	}
	return out
}

// cancelExtras cancels further requests the service made from one create
// (a server that processes a repeated request again): matching, Pending,
// created since started, and held by no create once every create of the
// customer holds its transfer. It returns one warning per extra.
func (s *Service) cancelExtras(ctx context.Context, customerID string, req partnercenter.CreateTransferRequest, started time.Time, keep string) []string {
	ctx, cancel := s.detached(ctx)
	defer cancel()
	// This create holds its transfer already; the others must too, or one
	// of theirs would look like an extra.
	quiet := s.claims.settle(ctx, customerID, func(pending, posting int) bool { return pending == 0 && posting == 0 })
	if !quiet {
		return []string{fmt.Sprintf("Could not check whether Partner Center made more than one request for customer %s "+
			"(other creates were still running); look for duplicate Pending requests in its transfers.", customerID)}
	}
	candidates, err := s.listMatching(ctx, customerID, req, started.Add(-s.ClockSkew))
	if err != nil {
		return []string{fmt.Sprintf("Could not check whether Partner Center made more than one request for customer %s: %s", customerID, err)}
	}
	var warnings []string
	for i := range candidates {
		extra := Wrap(&candidates[i])
		if strings.EqualFold(extra.ID, keep) {
			continue
		}
		if id, ok := s.claims.claimFirstIfQuiet(customerID, []string{extra.ID}, func(pending, posting int) bool { return pending == 0 && posting == 0 }); !ok || id == "" {
			continue // held by a create, or a create started meanwhile
		}
		if _, err := s.Cancel(ctx, customerID, extra); err != nil {
			warnings = append(warnings, fmt.Sprintf("Partner Center made a second request %s from one create of transfer %s; cancelling it failed: %s. Cancel it in Partner Center.", extra.ID, keep, err))
			continue
		}
		s.stats.add(func(st *Stats) { st.ExtrasCanceled++ })
		warnings = append(warnings, fmt.Sprintf("Partner Center made a second request %s from one create of transfer %s (the create's answer was lost and it was processed again); the extra request has been cancelled.", extra.ID, keep))
	}
	return warnings
}

// listMatching lists the customer's Pending requests made by this partner
// from req since `since`, newest first, leaving out the requests that
// existed before this Service's creates.
func (s *Service) listMatching(ctx context.Context, customerID string, req partnercenter.CreateTransferRequest, since time.Time) ([]partnercenter.Transfer, error) {
	var out []partnercenter.Transfer
	err := s.client.ListTransfers(ctx, customerID, func(t partnercenter.Transfer) error {
		if !s.ownPending(&t, req) || (t.CreatedTime != nil && t.CreatedTime.Before(since)) || s.preexisting(customerID, t.ID) {
			return nil
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	newestFirst(out)
	return out, nil
}

// isProcessedElsewhere reports 409 with code 900104: the service is (or
// was) processing a request with the same MS-RequestId, so the first
// attempt may have been applied.
func isProcessedElsewhere(err error) bool {
	apiErr, ok := partnercenter.AsAPIError(err)
	return ok && apiErr.StatusCode == 409 && apiErr.Code == "900104"
}
