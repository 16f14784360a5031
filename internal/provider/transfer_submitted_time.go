// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

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
