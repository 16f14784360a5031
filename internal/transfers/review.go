// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// The rules a plan review rests on: what applying a change to a transfer
// already in state does, the summary of an irreversible submit, and the
// checks Partner Center would otherwise only make at apply.

// ResumesWait reports whether applying a change to t waits for it to finish:
// the source partner submitted it, asked to wait, and it has not ended. Only
// the submitter waits; the target's request changes under it without any
// apply of its own.
func (t *Transfer) ResumesWait(waitForCompletion bool) bool {
	return waitForCompletion && t.Direction() == Outgoing && t.Submitted() && !t.State().EndsWait()
}

// SubmitItem is one line item of a planned submit as the review shows it.
type SubmitItem struct {
	SubscriptionID string
	// Seats is the subscription's quantity; 0 when the plan could not read it.
	Seats  int64
	AddOns int
}

// SubmitSummary is the one sentence a reviewer must not miss before a
// submit: what moves, to whom, and that it cannot be undone.
func SubmitSummary(items []SubmitItem, customerName, targetName, targetTenant string) string {
	var seats int64
	addOns := 0
	for _, it := range items {
		seats += it.Seats
		addOns += it.AddOns
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Moves %d subscription%s", len(items), plural(len(items)))
	if addOns > 0 {
		fmt.Fprintf(&b, " and %d add-on%s", addOns, plural(addOns))
	}
	if seats > 0 {
		fmt.Fprintf(&b, " (%d seat%s)", seats, plural(int(seats)))
	}
	if customerName != "" {
		fmt.Fprintf(&b, " of %s", customerName)
	}
	to := targetName
	switch {
	case to == "" && targetTenant != "":
		to = "tenant " + targetTenant
	case to == "":
		to = "the target partner"
	case targetTenant != "":
		to += " (tenant " + targetTenant + ")"
	}
	fmt.Fprintf(&b, " to %s. Submitting cannot be undone.", to)
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ErrNoRelationship is the plan-time form of Partner Center's 20002: the
// calling partner has no relationship with the customer, so a request for
// it would be refused.
var ErrNoRelationship = errors.New("no reseller relationship with the customer")

// CheckCustomer asks Partner Center whether the calling partner has a
// relationship with customerID (GET /v1/customers/{id}), once per customer
// for the life of the Service. It returns ErrNoRelationship when the
// answer is 404 or 403, or a customer whose relationshipToPartner is
// "none"; any other failure is returned as is (the caller decides whether
// an unchecked customer blocks the plan).
func (s *Service) CheckCustomer(ctx context.Context, customerID string) error {
	s.mu.Lock()
	if s.customers == nil {
		s.customers = map[string]*customerCheck{}
	}
	key := strings.ToLower(customerID)
	c := s.customers[key]
	if c == nil {
		c = &customerCheck{}
		s.customers[key] = c
	}
	s.mu.Unlock()
	c.once.Do(func() { c.err = s.checkCustomer(ctx, customerID) })
	return c.err
}

type customerCheck struct {
	once sync.Once
	err  error
}

func (s *Service) checkCustomer(ctx context.Context, customerID string) error {
	cust, err := s.client.GetCustomer(ctx, customerID)
	var apiErr *partnercenter.APIError
	if errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusNotFound || apiErr.StatusCode == http.StatusForbidden) {
		return ErrNoRelationship
	}
	if err != nil {
		return err
	}
	if strings.EqualFold(cust.RelationshipToPartner, "none") {
		return ErrNoRelationship
	}
	return nil
}

// SubmitClaims records, for one plan, which transfer each subscription is
// planned to be submitted with, so that two requests of the same customer
// submitting the same subscription fail at plan instead of at apply (the
// second submit would fail, or move nothing). Safe for concurrent use.
type SubmitClaims struct {
	mu     sync.Mutex
	claims map[string]string // lower-case customer/subscription -> transfer ID
}

// Claim records that transferID submits subscriptionIDs of customerID and
// returns, per subscription already claimed by another transfer, that
// transfer's ID.
func (c *SubmitClaims) Claim(customerID, transferID string, subscriptionIDs []string) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.claims == nil {
		c.claims = map[string]string{}
	}
	conflicts := map[string]string{}
	for _, sub := range subscriptionIDs {
		key := strings.ToLower(customerID + "/" + sub)
		if other, ok := c.claims[key]; ok && !strings.EqualFold(other, transferID) {
			conflicts[sub] = other
			continue
		}
		c.claims[key] = transferID
	}
	return conflicts
}

// ClaimSubmit records, for the life of the Service (one plan or one apply),
// that transferID is planned to submit subscriptionIDs of customerID, and
// returns the subscriptions another transfer already claimed, with its ID.
func (s *Service) ClaimSubmit(customerID, transferID string, subscriptionIDs []string) map[string]string {
	return s.submits.Claim(customerID, transferID, subscriptionIDs)
}

// SubmitConflict explains a subscription claimed by two transfers.
func SubmitConflict(subscriptionID, transferID, otherTransferID string) string {
	ids := []string{transferID, otherTransferID}
	slices.Sort(ids)
	return fmt.Sprintf("Subscription %s is planned to be submitted with two transfer requests of the same customer: %s and %s. "+
		"A subscription moves once: keep it in the line_items of one of them.", subscriptionID, ids[0], ids[1])
}
