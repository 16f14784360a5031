// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	lschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

// The transfer query: which customers to read and which of their transfers
// to keep. The partnercenter_transfers data source and the
// partnercenter_transfer list resource share it: one definition of each
// attribute (queryAttributes) rendered for both schema packages, one model
// (transferQueryModel) and one translation to transfers.Query.

// maxReportedScanFailures bounds the diagnostics of a failed scan.
const maxReportedScanFailures = 5

// queryStatuses are the values the status filter accepts: the domain's
// statuses (the client's decoder gives every spelling one form).
var queryStatuses = func() []string {
	var out []string
	for _, s := range transfers.Statuses() {
		out = append(out, string(s))
	}
	return out
}()

// transferQueryModel is the query's configuration. customer_ids is a list
// because list resource schemas have no sets; a set converts to it.
type transferQueryModel struct {
	CustomerID            types.String `tfsdk:"customer_id"`
	CustomerIDs           types.List   `tfsdk:"customer_ids"`
	ScanConcurrency       types.Int64  `tfsdk:"scan_concurrency"`
	Status                types.String `tfsdk:"status"`
	Direction             types.String `tfsdk:"direction"`
	TransferType          types.Int64  `tfsdk:"transfer_type"`
	SourcePartnerTenantID types.String `tfsdk:"source_partner_tenant_id"`
	TargetPartnerTenantID types.String `tfsdk:"target_partner_tenant_id"`
}

// query translates the configuration: customer_id, else customer_ids in
// sorted order, else every customer (nil).
func (m transferQueryModel) query(ctx context.Context) (transfers.Query, diag.Diagnostics) {
	q := transfers.Query{
		Concurrency: int(m.ScanConcurrency.ValueInt64()),
		Filter: transfers.Filter{
			Status:                transfers.Status(m.Status.ValueString()),
			Direction:             transfers.Direction(m.Direction.ValueString()),
			TransferType:          int(m.TransferType.ValueInt64()),
			SourcePartnerTenantID: m.SourcePartnerTenantID.ValueString(),
			TargetPartnerTenantID: m.TargetPartnerTenantID.ValueString(),
		},
	}
	var diags diag.Diagnostics
	switch {
	case m.CustomerID.ValueString() != "":
		q.CustomerIDs = []string{m.CustomerID.ValueString()}
	case !m.CustomerIDs.IsNull():
		q.CustomerIDs = []string{}
		diags.Append(m.CustomerIDs.ElementsAs(ctx, &q.CustomerIDs, false)...)
		slices.Sort(q.CustomerIDs)
	}
	return q, diags
}

// queryAttribute is one attribute of the query, defined once.
type queryAttribute struct {
	description string
	kind        string // "string", "int64" or "list of string"
	strings     []validator.String
	ints        []validator.Int64
	lists       []validator.List
}

// providerSide ends the description of every filter.
const providerSide = " The Partner Center API has no filter parameters: the provider applies this filter while reading the list, page by page."

// queryAttributes are the query's attributes, every one optional.
func queryAttributes() map[string]queryAttribute {
	return map[string]queryAttribute{
		"customer_id": {kind: "string",
			description: "Read only this customer's transfers (the customer's Microsoft Entra tenant ID, a GUID). " +
				"With neither `customer_id` nor `customer_ids`, every customer of the partner is read.",
			strings: []validator.String{guidValidator()}},
		"customer_ids": {kind: "list of string",
			description: "Read only these customers (tenant ID GUIDs), for example one batch of a migration CSV; conflicts with `customer_id`. " +
				"Customers are read in the order of their IDs, each once.",
			lists: []validator.List{listvalidator.ConflictsWith(path.MatchRoot("customer_id")), listvalidator.ValueStringsAre(guidValidator())}},
		"scan_concurrency": {kind: "int64",
			description: fmt.Sprintf("How many customers are read at the same time, 1 to %d (default %d). Every request still goes "+
				"through the provider's throttling budget, so a higher value only helps while Partner Center answers slower than the "+
				"budget allows.", transfers.MaxConcurrency, transfers.DefaultConcurrency),
			ints: []validator.Int64{int64validator.Between(1, transfers.MaxConcurrency)}},
		"status": {kind: "string",
			description: "Only transfers in this status: `Pending`, `InProgress`, `Complete`, `Failed`, `Expired` or `Canceled` " +
				"(Partner Center's other spellings, such as `Completed` or `Cancelled`, are read as these)." + providerSide,
			strings: []validator.String{stringvalidator.OneOf(queryStatuses...)}},
		"direction": {kind: "string",
			description: "Only transfers in this direction relative to the configured partner: `incoming` where it is the target " +
				"(gaining) partner, `outgoing` where it is the source (losing) partner, as for the requests a source partner adopts." + providerSide,
			strings: []validator.String{stringvalidator.OneOf(string(transfers.Incoming), string(transfers.Outgoing))}},
		"transfer_type": {kind: "int64",
			description: "Only transfers of this Partner Center transfer type: `3` or `5`." + providerSide,
			ints:        []validator.Int64{int64validator.OneOf(partnercenter.TransferTypeNewCommerce, partnercenter.TransferTypeNewCommerceAlt)}},
		"source_partner_tenant_id": {kind: "string",
			description: "Only transfers whose source partner has this tenant ID (GUID, compared case-insensitively). " +
				"A target partner uses it to find its requests to one source partner." + providerSide,
			strings: []validator.String{guidValidator()}},
		"target_partner_tenant_id": {kind: "string",
			description: "Only transfers whose target partner has this tenant ID (GUID, compared case-insensitively). " +
				"A source partner uses it to find the requests of one target partner." + providerSide,
			strings: []validator.String{guidValidator()}},
	}
}

// queryDataSourceAttributes renders the query for a data source schema.
func queryDataSourceAttributes() map[string]dschema.Attribute {
	out := map[string]dschema.Attribute{}
	for name, a := range queryAttributes() {
		switch a.kind {
		case "string":
			out[name] = dschema.StringAttribute{Optional: true, MarkdownDescription: a.description, Validators: a.strings}
		case "int64":
			out[name] = dschema.Int64Attribute{Optional: true, MarkdownDescription: a.description, Validators: a.ints}
		default:
			out[name] = dschema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: a.description, Validators: a.lists}
		}
	}
	return out
}

// queryListAttributes renders the query for a list resource's config schema.
func queryListAttributes() map[string]lschema.Attribute {
	out := map[string]lschema.Attribute{}
	for name, a := range queryAttributes() {
		switch a.kind {
		case "string":
			out[name] = lschema.StringAttribute{Optional: true, MarkdownDescription: a.description, Validators: a.strings}
		case "int64":
			out[name] = lschema.Int64Attribute{Optional: true, MarkdownDescription: a.description, Validators: a.ints}
		default:
			out[name] = lschema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: a.description, Validators: a.lists}
		}
	}
	return out
}

// addListError explains an error of transfers.Service.List: a customer that
// could not be read is named (as the read of customer_id when single), a
// failure to list the partner's customers says so.
func addListError(diags *diag.Diagnostics, err error, single bool) {
	var ce *transfers.CustomerError
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		addAPIError(diags, path.Empty(), "The read of the transfers was interrupted", err)
	case !errors.As(err, &ce):
		addAPIError(diags, path.Empty(), "Cannot list the partner's customers to read their transfers", err)
	case single:
		addTransferReadError(diags, ce.CustomerID, "", ce.Err)
	default:
		addAPIError(diags, path.Root("customer_ids"), fmt.Sprintf("Cannot read the transfers of customer %s", ce.CustomerID),
			fmt.Errorf("%w\n\nThe read stopped so the result has no gap. Leave the customer out with customer_ids, or fix access to it", ce.Err))
	}
}

// listErrors collects the errors a List ends with into diagnostics, up to
// maxReportedScanFailures of them.
type listErrors struct {
	single bool
	n      int
	diags  diag.Diagnostics
}

func (l *listErrors) add(err error) {
	l.n++
	if l.n <= maxReportedScanFailures {
		addListError(&l.diags, err, l.single)
	}
}

// done returns the diagnostics, with a summary of the errors left out.
func (l *listErrors) done() diag.Diagnostics {
	if l.n > maxReportedScanFailures {
		l.diags.AddError("More customers failed",
			fmt.Sprintf("%d more customers could not be read; fix the ones above first.", l.n-maxReportedScanFailures))
	}
	return l.diags
}
