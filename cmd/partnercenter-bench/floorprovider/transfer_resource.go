// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// transferResource is floor_transfer: a transfer request with the inputs
// of the bench's partnercenter_transfer and no rules.
type transferResource struct{ client *floorClient }

func newTransferResource() resource.Resource { return &transferResource{} }

type transferModel struct {
	ID                    types.String `tfsdk:"id"`
	CustomerID            types.String `tfsdk:"customer_id"`
	CustomerName          types.String `tfsdk:"customer_name"`
	CustomerEmail         types.String `tfsdk:"customer_email"`
	SourcePartnerTenantID types.String `tfsdk:"source_partner_tenant_id"`
	SourcePartnerName     types.String `tfsdk:"source_partner_name"`
	Status                types.String `tfsdk:"status"`
}

func (r *transferResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transfer"
}

func (r *transferResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":                       schema.StringAttribute{Computed: true, PlanModifiers: keep},
		"customer_id":              schema.StringAttribute{Required: true, PlanModifiers: replace},
		"customer_name":            schema.StringAttribute{Required: true, PlanModifiers: replace},
		"customer_email":           schema.StringAttribute{Required: true, PlanModifiers: replace},
		"source_partner_tenant_id": schema.StringAttribute{Required: true, PlanModifiers: replace},
		"source_partner_name":      schema.StringAttribute{Required: true, PlanModifiers: replace},
		"status":                   schema.StringAttribute{Computed: true, PlanModifiers: keep},
	}}
}

func (r *transferResource) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if c, ok := req.ProviderData.(*floorClient); ok {
		r.client = c
	}
}

func (r *transferResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m transferModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	customer := m.CustomerID.ValueString()
	if r.client.listBeforeCreate {
		if err := r.client.api.ListTransfers(ctx, customer, func(partnercenter.Transfer) error { return nil }); err != nil {
			resp.Diagnostics.AddError("list", err.Error())
			return
		}
	}
	t, err := r.client.api.CreateTransfer(ctx, customer, partnercenter.CreateTransferRequest{
		SourcePartnerTenantID: m.SourcePartnerTenantID.ValueString(), SourcePartnerName: m.SourcePartnerName.ValueString(),
		CustomerEmailID: m.CustomerEmail.ValueString(), CustomerName: m.CustomerName.ValueString(),
		TransferType: partnercenter.TransferTypeNewCommerce,
	})
	if err != nil {
		resp.Diagnostics.AddError("create", err.Error())
		return
	}
	m.ID, m.Status = types.StringValue(t.ID), types.StringValue(t.Status)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *transferResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m transferModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	t, err := r.client.api.GetTransfer(ctx, m.CustomerID.ValueString(), m.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("read", err.Error())
		return
	}
	m.Status = types.StringValue(t.Status)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update is never called: every input requires replacement.
func (r *transferResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m transferModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *transferResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m transferModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if _, err := r.client.api.CancelTransfer(ctx, m.CustomerID.ValueString(), partnercenter.CancelTransferRequest{ID: m.ID.ValueString()}); err != nil {
		resp.Diagnostics.AddError("cancel", err.Error())
	}
}
