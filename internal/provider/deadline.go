// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"os"
	"time"
)

// Every API call has a deadline, so a throttled refresh fails with a clear
// error instead of blocking for hours. The transfer resource sets its own
// in timeouts; the data sources and the webhook registration use
// defaultCallTimeout, which PARTNERCENTER_CALL_TIMEOUT (a Go duration such
// as "15m") overrides.
const (
	defaultCallTimeout = 5 * time.Minute
	envCallTimeout     = "PARTNERCENTER_CALL_TIMEOUT"
)

// withCallDeadline bounds one data source read or webhook operation.
func withCallDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, callTimeout(os.Getenv))
}

func callTimeout(getenv func(string) string) time.Duration {
	if d, err := time.ParseDuration(getenv(envCallTimeout)); err == nil && d > 0 {
		return d
	}
	return defaultCallTimeout
}
