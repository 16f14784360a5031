// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

// Delivery validation of a webhook registration (validate_delivery): after
// a create or an update, Partner Center sends a signed test-created event to
// the URL, and the apply waits for the first attempt's answer.
//
// It is an opt-in attribute rather than a data source or an action because
// the check belongs to the moment the URL or events change: a data source
// would run on every plan (Partner Center allows 2 test events per minute,
// and a plan is no time to POST), and actions need Terraform 1.14.

// webhookValidationTimeout bounds the wait for the first delivery attempt
// (Partner Center's own attempt timeout is not documented; the emulator's
// is 10 s).
const webhookValidationTimeout = 2 * time.Minute

func (r *webhookRegistrationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m webhookRegistrationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !m.ValidateDelivery.ValueBool() || m.Events.IsUnknown() || m.Events.IsNull() {
		return
	}
	var events []string
	resp.Diagnostics.Append(m.Events.ElementsAs(ctx, &events, false)...)
	if !slices.Contains(events, partnercenter.EventTestCreated) {
		resp.Diagnostics.AddAttributeError(path.Root("validate_delivery"), "validate_delivery needs the test-created event",
			fmt.Sprintf("Partner Center sends validation (test) events only to registrations that include %q. Add it to events, "+
				"or set validate_delivery = false.", partnercenter.EventTestCreated))
	}
}

// validateDelivery sends a test event and waits for its first delivery
// attempt. It returns the correlation id (also on failure, for support) and
// adds an error when the URL did not answer 2xx.
func (r *webhookRegistrationResource) validateDelivery(ctx context.Context, diags *diag.Diagnostics) types.String {
	cid, err := r.data.client.SendWebhookValidationEvent(ctx)
	if err != nil {
		addAPIError(diags, path.Root("validate_delivery"), "Cannot send a webhook validation event", err)
		return types.StringNull()
	}
	ctx, cancel := context.WithTimeout(ctx, webhookValidationTimeout)
	defer cancel()
	poll := func(ctx context.Context) (wait.Observation[*partnercenter.WebhookValidation], error) {
		v, err := r.data.client.GetWebhookValidationEvent(ctx, cid)
		if err != nil {
			return wait.Observation[*partnercenter.WebhookValidation]{}, err
		}
		return wait.Observation[*partnercenter.WebhookValidation]{Value: v, Status: v.Status,
			Done: len(v.Results) > 0 || (v.Status != "" && !strings.EqualFold(v.Status, "pending"))}, nil
	}
	last, polls, err := wait.Until(ctx, r.data.poller, time.Now(), wait.Observation[*partnercenter.WebhookValidation]{}, poll, nil)
	tflog.Debug(ctx, "webhook validation", map[string]any{"correlation_id": cid, "polls": polls})
	if err != nil {
		diags.AddAttributeError(path.Root("validate_delivery"), "Webhook validation did not finish",
			fmt.Sprintf("Partner Center accepted the validation event (correlation id %s) but reported no delivery attempt within %s: %s. "+
				"Check that the URL is reachable from the internet, then apply again.", cid, webhookValidationTimeout, describeError(err)))
		return types.StringValue(cid)
	}
	v := last.Value
	if v == nil {
		v = &partnercenter.WebhookValidation{}
	}
	if len(v.Results) == 0 {
		if strings.EqualFold(v.Status, "completed") {
			return types.StringValue(cid)
		}
		diags.AddAttributeError(path.Root("validate_delivery"), "Webhook validation failed",
			fmt.Sprintf("Partner Center reports status %q for validation event %s and no delivery attempt.", v.Status, cid))
		return types.StringValue(cid)
	}
	first := v.Results[0]
	if !first.Delivered() {
		answer := first.ResponseCode
		if first.SystemError || answer == "" {
			answer = "no answer"
		}
		if first.ResponseMessage != "" {
			answer += " (" + first.ResponseMessage + ")"
		}
		diags.AddAttributeError(path.Root("validate_delivery"), "The webhook URL did not accept the test event",
			fmt.Sprintf("Partner Center sent a signed test-created event to %s and got %s (correlation id %s). The registration was saved, "+
				"but events will not arrive until the receiver answers 2xx. Fix the receiver, then run terraform apply -replace on this resource "+
				"to test again.", v.CallbackURL, answer, cid))
	}
	return types.StringValue(cid)
}
