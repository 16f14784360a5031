// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

// errorHints tells the user what to do about the Partner Center error codes
// a transfer can hit. The troubleshooting guide lists the same codes.
var errorHints = map[string]string{
	"900100": "The transfer does not exist for this partner. Check customer_id and the transfer ID, and that the provider authenticates as the source or target partner of the transfer.",
	"900101": "A subscription in this request is already part of another transfer that is in progress. Wait for that transfer to finish, or remove the subscription from line_items.",
	"900102": "The transfer is no longer in a state that allows this operation (for example it was already submitted, completed, expired or cancelled). Refresh to see its status.",
	"900103": "Partner Center could not create the order at the target partner. Retry later; if it persists, open a Partner Center support request with the MS-CorrelationId.",
	"900104": "Another request is processing this transfer right now. Wait a minute and apply again.",
	"800078": "A line item names a subscription that cannot be transferred: it does not exist, is not owned by the source partner, belongs to another customer, or has another product type. Check the subscription IDs and product_type values.",
	"900131": "The customer still has legacy Azure subscriptions; move them to an Azure plan first.",
	"900132": "The customer's Azure plan is not active at the target partner.",
	"900133": "The target partner has not purchased an Azure plan for this customer; buy one before transferring Azure items.",
	"900135": "Partner Center could not start the transfer. Retry later.",
	"900136": "Source partner details are missing: check source_partner_tenant_id and source_partner_name.",
	"900137": "This partner is not enabled for partner-to-partner transfers.",
	"900145": "Azure reservations do not transfer with subscriptions here; cancel or exclude them.",
	"900146": "Third-party marketplace products cannot be transferred; remove them from line_items.",
	"900148": "The source partner is the partner making the request. Set source_partner_tenant_id to the partner that currently owns the subscriptions.",
	"900149": "The partner's program status is not active.",
	"900150": "The signed-in user or app lacks the rights for transfers; it needs the Admin agent role.",
	"20002":  "The partner has no reseller relationship with this customer. The customer must accept a reseller relationship request from the target partner first.",
	"900123": "The indirect reseller has not accepted the Microsoft Partner Agreement.",
	"900124": "The partner has not accepted the Microsoft Partner Agreement.",
}

// statusHints covers HTTP answers that carry no helpful code.
var statusHints = map[int]string{
	401: "Partner Center rejected the credentials: check tenant_id, client_id and the secret or certificate, and that the app is registered for Partner Center API access.",
	403: "The caller is authenticated but not allowed: check that the app or user has the Admin agent role and that this partner is the source or target of the transfer.",
	404: "Partner Center did not find it: check customer_id and the transfer ID. (A wrong endpoint path, such as one ending in /v1, fails earlier, in the provider's configuration check.)",
	429: "Partner Center kept throttling until this operation's timeout ran out; the provider waited as asked (Retry-After) on every refusal and paced all its workers to the rate Partner Center accepted. Raise the timeout, set max_requests_per_second if other tools share the partner's budget, or try again later.",
}

// addAPIError adds an error diagnostic for err, with the service's code, the
// request ids support will ask for, and what to do.
func addAPIError(diags *diag.Diagnostics, at path.Path, summary string, err error) {
	detail := describeError(err)
	if at.Equal(path.Empty()) {
		diags.AddError(summary, detail)
		return
	}
	diags.AddAttributeError(at, summary, detail)
}

func describeError(err error) string {
	var b strings.Builder
	b.WriteString(err.Error())
	if apiErr, ok := partnercenter.AsAPIError(err); ok {
		if hint := errorHints[apiErr.Code]; hint != "" {
			b.WriteString("\n\nWhat to do: " + hint)
		} else if hint := statusHints[apiErr.StatusCode]; hint != "" {
			b.WriteString("\n\nWhat to do: " + hint)
		}
	}
	return b.String()
}

// addSubmitError reports a rejected submit, on the line item the service
// names when it names one.
func addSubmitError(diags *diag.Diagnostics, err error, items []partnercenter.SubmitLineItem) {
	if err == nil {
		err = errors.New("the submission could not be confirmed")
	}
	text := strings.ToLower(err.Error())
	for _, item := range items {
		if strings.Contains(text, strings.ToLower(item.SubscriptionID)) {
			addAPIError(diags, path.Root("line_items").AtMapKey(item.SubscriptionID), "Cannot submit the transfer", err)
			return
		}
	}
	addAPIError(diags, path.Root("line_items"), "Cannot submit the transfer", err)
}

// addFailedLineItems reports every failed item of a failed transfer on its
// own attribute path.
func addFailedLineItems(diags *diag.Diagnostics, t *partnercenter.Transfer, keys []string) {
	reported := false
	for _, li := range t.LineItems {
		if li.TransferError == "" && !strings.EqualFold(li.Status, partnercenter.StatusFailed) {
			continue
		}
		reported = true
		code := li.TransferErrorCode
		if code == "" {
			code = "none given"
		}
		diags.AddAttributeError(path.Root("line_items").AtMapKey(matchKey(li.SubscriptionID, keys)), "Line item failed to transfer",
			fmt.Sprintf("Subscription %s (%s) was not transferred: %s (Partner Center code %s). Transfer %s is Failed; the other items show their own status in state.",
				li.SubscriptionID, li.FriendlyName, li.TransferError, code, t.ID))
	}
	if !reported {
		diags.AddError("Transfer failed", fmt.Sprintf("Partner Center reports transfer %s as Failed without per-item errors. Check it in Partner Center.", t.ID))
	}
}

// addNotInvolvedError reports a provider configured for a partner that is
// neither side of the transfer: its answers say nothing about the
// transfer, so the state is kept.
func addNotInvolvedError(diags *diag.Diagnostics, tenant string, t *transfers.Transfer) {
	diags.AddError("Transfer belongs to other partners",
		fmt.Sprintf("The provider is configured for partner tenant %s, which is neither the source (%s) nor the target (%s) of transfer %s. "+
			"Check the provider configuration (alias, tenant_id) of this resource; the state is kept.",
			tenant, t.SourcePartnerTenantID, t.TargetPartnerTenantID, t.ID))
}

// addWaitError reports a wait for completion that did not reach a final
// status: timed out, interrupted, or a poll failed.
func addWaitError(ctx context.Context, diags *diag.Diagnostics, err error, transferID, status string, timeout time.Duration) {
	switch {
	case errors.Is(err, wait.ErrTimeout):
		diags.AddError("Timed out waiting for the transfer to complete",
			fmt.Sprintf("Transfer %s is still %s after %s (timeouts.update). It was submitted and Partner Center keeps processing it (this can take up to 72 hours). "+
				"Its current status is saved in state; run terraform apply again to resume waiting (nothing is submitted twice), raise timeouts.update, "+
				"or set wait_for_completion = false to return without waiting.", transferID, status, timeout))
	case ctx.Err() != nil:
		diags.AddError("Wait for the transfer was interrupted",
			fmt.Sprintf("Transfer %s was submitted and is %s. Its current status is saved in state; run terraform apply again to resume waiting "+
				"(nothing is submitted twice).", transferID, status))
	default:
		addAPIError(diags, path.Empty(), fmt.Sprintf("Cannot poll transfer %s (status %s); run terraform apply again to resume waiting", transferID, status), err)
	}
}
