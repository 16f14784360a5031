// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

// guidPattern is the domain's GUID form (transfers.GUIDPattern).
var guidPattern = transfers.GUIDPattern

// isGUID reports whether s is a GUID in the 8-4-4-4-12 form Partner Center uses.
func isGUID(s string) bool { return transfers.IsGUID(s) }

// guidValidator checks a string attribute holds a GUID.
func guidValidator() validator.String { return guidStringValidator{} }

type guidStringValidator struct{}

func (guidStringValidator) Description(context.Context) string {
	return "value must be a GUID such as 11111111-2222-3333-4444-555555555555"
}

func (v guidStringValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (guidStringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !isGUID(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid GUID",
			fmt.Sprintf("%s: %q is not a GUID. Use the 36-character form 11111111-2222-3333-4444-555555555555 "+
				"(Partner Center shows tenant, customer and subscription IDs in this form).", req.Path, s))
	}
}

// durationValidator checks a Go duration string within [lo, hi].
func durationValidator(lo, hi time.Duration) validator.String { return durationStringValidator{lo, hi} }

type durationStringValidator struct{ lo, hi time.Duration }

func (v durationStringValidator) Description(context.Context) string {
	return fmt.Sprintf("value must be a Go duration between %s and %s, such as \"30s\", \"10m\" or \"2h\"", v.lo, v.hi)
}

func (v durationStringValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v durationStringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%s: %q is not a Go duration. Use a number with a unit: \"45s\", \"10m\", \"72h\" (days such as \"3d\" are not accepted).", req.Path, s))
	case d < v.lo || d > v.hi:
		resp.Diagnostics.AddAttributeError(req.Path, "Duration out of range",
			fmt.Sprintf("%s: %s is outside the allowed range %s to %s.", req.Path, d, v.lo, v.hi))
	}
}
