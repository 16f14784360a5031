// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"

	"github.com/google/uuid"
)

type requestIDKey struct{}

type stopOnUnknownKey struct{}

// WithRequestID makes every call made with ctx send requestID as its
// MS-RequestId, so a caller that re-sends a request after checking what
// the service did keeps the idempotency key Microsoft asks for.
func WithRequestID(ctx context.Context, requestID string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, requestID)
}

// StopOnUnknownOutcome makes calls made with ctx return instead of
// retrying after an attempt whose outcome is unknown (no answer, or a
// 5xx): the caller checks what the service did before sending again.
// Answered refusals (429) are still retried.
func StopOnUnknownOutcome(ctx context.Context) context.Context {
	return context.WithValue(ctx, stopOnUnknownKey{}, true)
}

func requestIDFor(ctx context.Context) string {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok && id != "" {
		return id
	}
	return uuid.NewString()
}

func stopsOnUnknownOutcome(ctx context.Context) bool {
	stop, _ := ctx.Value(stopOnUnknownKey{}).(bool)
	return stop
}

type beforeNextPageKey struct{}

// BeforeNextPage makes a listing made with ctx call wait before it requests
// each page after the first, so a consumer that reads slower than the
// service answers decides when the next page is fetched (and, by stopping,
// that it never is). An error from wait stops the listing and is returned.
func BeforeNextPage(ctx context.Context, wait func(context.Context) error) context.Context {
	return context.WithValue(ctx, beforeNextPageKey{}, wait)
}

// waitBeforeNextPage runs the BeforeNextPage hook of ctx, if any.
func waitBeforeNextPage(ctx context.Context) error {
	if wait, ok := ctx.Value(beforeNextPageKey{}).(func(context.Context) error); ok {
		return wait(ctx)
	}
	return nil
}
