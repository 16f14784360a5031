// SPDX-License-Identifier: MPL-2.0

package transfers

import "github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"

// Status is a transfer's status and the rules that follow from it. The
// client's decoder already gives every documented spelling one form
// ("Completed" is Complete, "Cancelled" and "Cancel" are Canceled, any
// letter case), so nothing here compares spellings.
type Status string

// The statuses Partner Center documents.
const (
	Pending    Status = partnercenter.StatusPending
	InProgress Status = partnercenter.StatusInProgress
	Complete   Status = partnercenter.StatusComplete
	Failed     Status = partnercenter.StatusFailed
	Expired    Status = partnercenter.StatusExpired
	Canceled   Status = partnercenter.StatusCanceled
)

// Statuses lists every documented status, in lifecycle order.
func Statuses() []Status { return []Status{Pending, InProgress, Complete, Failed, Expired, Canceled} }

// Final reports a status Partner Center never changes again: Complete,
// Expired or Canceled. Failed is not final: Partner Center retries
// line-item failures until they succeed.
func (s Status) Final() bool { return s == Complete || s == Expired || s == Canceled }

// EndsWait reports a status that ends a wait for completion: a final one,
// or Failed. An unknown status never ends a wait early.
func (s Status) EndsWait() bool { return s.Final() || s == Failed }

// CanSubmit reports whether the source partner may submit line items: only
// to a Pending request.
func (s Status) CanSubmit() bool { return s == Pending }

// CanCancel reports whether the target partner may cancel: only a Pending
// request.
func (s Status) CanCancel() bool { return s == Pending }

// Dead reports a request the target can no longer use, which only a new
// request replaces: it expired or was cancelled.
func (s Status) Dead() bool { return s == Expired || s == Canceled }
