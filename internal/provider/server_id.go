// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Partner Center assigns transfer ids. Every example shows a GUID, but the
// same examples carry a "GUID" that is not one (partnertenantid
// "a94dcde1-ecd7-wace-..."), so an id the service hands out is never
// rejected for its form: it only has to be usable as one path segment.

// isServerID reports whether s can be a server-assigned id: not empty, no
// slash (the import id separator) and no white space.
func isServerID(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsFunc(s, func(r rune) bool { return r == '/' || unicode.IsSpace(r) })
}

// serverIDValidator checks a string attribute could be a server-assigned id.
func serverIDValidator() validator.String { return serverIDStringValidator{} }

type serverIDStringValidator struct{}

func (serverIDStringValidator) Description(context.Context) string {
	return "value must be an id assigned by Partner Center, usually a GUID such as 2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11"
}

func (v serverIDStringValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (serverIDStringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !isServerID(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid transfer ID",
			fmt.Sprintf("%s: %q cannot be a Partner Center transfer ID: it must be non-empty, without slashes or spaces. "+
				"Copy the id exactly as Partner Center shows it (usually a GUID).", req.Path, s))
	}
}
