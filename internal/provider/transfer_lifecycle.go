// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

// lifecycle is the provider instance's transfer lifecycle.
func (d *providerData) lifecycle() *transfers.Service { return d.transfers }

// newLifecycle is the transfer lifecycle of one provider instance: what it
// learns of the transfers Terraform state holds lives in its memory, for
// the life of the provider process.
func newLifecycle(client *partnercenter.Client, tenantID string, poller wait.Poller) *transfers.Service {
	return transfers.New(client, tenantID, poller)
}

// refreshFinalForced reports PARTNERCENTER_REFRESH_FINAL set to a true value.
func refreshFinalForced() bool {
	v, err := strconv.ParseBool(os.Getenv(envRefreshFinal))
	return err == nil && v
}

// submittedTime is when the transfer was submitted: recorded in private
// state by this provider, else the service's last change of a submitted
// transfer, else now. A resumed wait measures its age from it.
func submittedTime(ctx context.Context, private privateGetter, state transferResourceModel) time.Time {
	if raw, d := private.GetKey(ctx, privateSubmittedAt); !d.HasError() && len(raw) > 2 {
		if at, err := time.Parse(time.RFC3339Nano, strings.Trim(string(raw), `"`)); err == nil {
			return at
		}
	}
	if at, err := time.Parse(time.RFC3339, state.LastModifiedTime.ValueString()); err == nil && len(state.LineItems.Elements()) > 0 {
		return at
	}
	return time.Now()
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// detached returns a context that survives the cancellation of ctx (an
// interrupt or an expired timeout) for a short recovery call.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recoveryTimeout)
}
