// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// Every API call has a deadline, so a throttled refresh fails with a clear
// error instead of blocking for hours. The transfer resource sets its own
// in timeouts; the data sources and the webhook registration use the
// provider's call_timeout (PARTNERCENTER_CALL_TIMEOUT), default
// defaultCallTimeout.
const (
	defaultCallTimeout = 5 * time.Minute
	envCallTimeout     = "PARTNERCENTER_CALL_TIMEOUT"
	// envRefreshFinal is refresh_final_transfers' environment variable.
	envRefreshFinal = "PARTNERCENTER_REFRESH_FINAL"
)

// withCallDeadline bounds one data source read or webhook operation by the
// provider's call timeout (the default when it is not configured).
func withCallDeadline(ctx context.Context, data *providerData) (context.Context, context.CancelFunc) {
	timeout := defaultCallTimeout
	if data != nil && data.callTimeout > 0 {
		timeout = data.callTimeout
	}
	return context.WithTimeout(ctx, timeout)
}

// callTimeoutFrom is call_timeout, else PARTNERCENTER_CALL_TIMEOUT, else
// the default. An invalid variable is an error naming it (the attribute's
// validator checks the attribute).
func callTimeoutFrom(m providerModel, getenv func(string) string) (time.Duration, diag.Diagnostics) {
	var diags diag.Diagnostics
	v, from := m.CallTimeout.ValueString(), "call_timeout"
	if v == "" {
		v, from = strings.TrimSpace(getenv(envCallTimeout)), envCallTimeout
	}
	if v == "" {
		return defaultCallTimeout, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Second || d > 24*time.Hour {
		diags.AddAttributeError(path.Root("call_timeout"), "Invalid "+from,
			fmt.Sprintf("%s is %q; it must be a Go duration between 1s and 24h, such as \"15m\".", from, v))
		return 0, diags
	}
	return d, nil
}

// refreshFinalFrom is refresh_final_transfers, else
// PARTNERCENTER_REFRESH_FINAL, else false.
func refreshFinalFrom(m providerModel, getenv func(string) string) (bool, diag.Diagnostics) {
	if !m.RefreshFinalTransfers.IsNull() {
		return m.RefreshFinalTransfers.ValueBool(), nil
	}
	v := strings.TrimSpace(getenv(envRefreshFinal))
	if v == "" {
		return false, nil
	}
	// The spellings the authentication guide lists for boolean variables.
	switch strings.ToLower(v) {
	case "1", "t", "true", "yes", "y", "on":
		return true, nil
	case "0", "f", "false", "no", "n", "off":
		return false, nil
	}
	var diags diag.Diagnostics
	diags.AddAttributeError(path.Root("refresh_final_transfers"), "Invalid "+envRefreshFinal,
		fmt.Sprintf("%s is %q; it must be true or false.", envRefreshFinal, v))
	return false, diags
}

// detached returns a context that survives the cancellation of ctx (an
// interrupt or an expired timeout) for a short recovery call.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recoveryTimeout)
}
