// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12+, OpenTofu 1.12+) for
// partnercenter_transfer: a transfer is named by its customer and its own ID,
// the same two ids as the string import ID "<customer_id>/<transfer_id>".
// The identity schema and its upkeep live here; importing by identity is
// in transfer_import.go.

var _ resource.ResourceWithIdentity = (*transferResource)(nil)

// transferIdentityModel is the identity object.
type transferIdentityModel struct {
	CustomerID types.String `tfsdk:"customer_id"`
	ID         types.String `tfsdk:"id"`
}

// IdentitySchema declares the identity: both attributes are needed to import.
func (r *transferResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"customer_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The customer's Microsoft Entra tenant ID (GUID).",
			},
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The transfer ID Partner Center assigned (usually a GUID).",
			},
		},
	}
}

// setTransferIdentity copies customer_id and id from a state just written
// into the identity. identity is nil when the CLI does not support identity
// (Terraform < 1.12), and the state is null after RemoveResource: both are
// left alone.
func setTransferIdentity(ctx context.Context, state tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	if identity == nil || state.Raw.IsNull() {
		return nil
	}
	var ids transferIdentityModel
	diags := state.GetAttribute(ctx, path.Root("customer_id"), &ids.CustomerID)
	diags.Append(state.GetAttribute(ctx, path.Root("id"), &ids.ID)...)
	if diags.HasError() || ids.CustomerID.IsUnknown() || ids.ID.IsUnknown() {
		return diags
	}
	diags.Append(identity.Set(ctx, ids)...)
	return diags
}

// stateOrPrior is the state just written, or prior when it was removed.
func stateOrPrior(state, prior tfsdk.State) tfsdk.State {
	if state.Raw.IsNull() {
		return prior
	}
	return state
}
