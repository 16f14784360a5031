// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

var (
	_ datasource.DataSource              = (*webhookEventsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*webhookEventsDataSource)(nil)
)

// NewWebhookEventsDataSource returns the partnercenter_webhook_events data source.
func NewWebhookEventsDataSource() datasource.DataSource { return &webhookEventsDataSource{} }

type webhookEventsDataSource struct {
	data *providerData
}

type webhookEventsModel struct {
	Events         types.List `tfsdk:"events"`
	TransferEvents types.List `tfsdk:"transfer_events"`
}

func (d *webhookEventsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_events"
}

func (d *webhookEventsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The webhook event names Partner Center offers the configured partner for registration " +
			"(`GET /webhooks/v1/registration/events`), for use in `partnercenter_webhook_registration.events`.",
		Attributes: map[string]schema.Attribute{
			"events": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Every event name the service offers, in the service's order.",
			},
			"transfer_events": schema.ListAttribute{
				Computed:    true,
				ElementType: types.StringType,
				MarkdownDescription: "The transfer events among them (" + codeList(partnercenter.TransferEvents) +
					"), in the service's order; register all of them to follow every transfer from request to completion.",
			},
		},
	}
}

func (d *webhookEventsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookEventsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := withCallDeadline(ctx, d.data)
	defer cancel()
	if !dataSourceConfigured(d.data, &resp.Diagnostics) {
		return
	}
	names, err := d.data.client.ListWebhookEvents(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot list the webhook events", err)
		return
	}
	transfer := []string{}
	for _, n := range names {
		if slices.Contains(partnercenter.TransferEvents, n) {
			transfer = append(transfer, n)
		}
	}
	events, diags := types.ListValueFrom(ctx, types.StringType, names)
	resp.Diagnostics.Append(diags...)
	transferEvents, diags := types.ListValueFrom(ctx, types.StringType, transfer)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &webhookEventsModel{Events: events, TransferEvents: transferEvents})...)
}
