// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

var (
	_ datasource.DataSource                   = (*auditRecordsDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*auditRecordsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*auditRecordsDataSource)(nil)
)

// auditNow is the clock the look-back check uses; tests replace it.
var auditNow = time.Now

// snakeCasePattern matches Partner Center's snake_case enum values.
var snakeCasePattern = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// auditResourceTypes are the documented resource types (snake_case).
var auditResourceTypes = []string{"transfer", "subscription", "order", "customer", "new_commerce_migration", "azure_entitlement"}

// NewAuditRecordsDataSource returns the partnercenter_audit_records data source.
func NewAuditRecordsDataSource() datasource.DataSource { return &auditRecordsDataSource{} }

type auditRecordsDataSource struct {
	data *providerData
}

type auditRecordsModel struct {
	StartDate      types.String `tfsdk:"start_date"`
	EndDate        types.String `tfsdk:"end_date"`
	CustomerID     types.String `tfsdk:"customer_id"`
	ResourceType   types.String `tfsdk:"resource_type"`
	OperationTypes types.Set    `tfsdk:"operation_types"`
	PageSize       types.Int64  `tfsdk:"page_size"`
	Records        types.List   `tfsdk:"records"`
}

type auditRecordModel struct {
	ID                    types.String `tfsdk:"id"`
	OperationType         types.String `tfsdk:"operation_type"`
	OperationDate         types.String `tfsdk:"operation_date"`
	OperationStatus       types.String `tfsdk:"operation_status"`
	PartnerID             types.String `tfsdk:"partner_id"`
	UserPrincipalName     types.String `tfsdk:"user_principal_name"`
	ApplicationID         types.String `tfsdk:"application_id"`
	CustomerID            types.String `tfsdk:"customer_id"`
	CustomerName          types.String `tfsdk:"customer_name"`
	ResourceType          types.String `tfsdk:"resource_type"`
	ResourceOldValue      types.String `tfsdk:"resource_old_value"`
	ResourceNewValue      types.String `tfsdk:"resource_new_value"`
	OriginalCorrelationID types.String `tfsdk:"original_correlation_id"`
	TransferID            types.String `tfsdk:"transfer_id"`
	TransferStatus        types.String `tfsdk:"transfer_status"`
}

func (d *auditRecordsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit_records"
}

func (d *auditRecordsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the configured partner's activity log (audit records, `GET /v1/auditrecords`): who created, " +
			"submitted or canceled a transfer, when, and from which application, and when Partner Center completed, failed or expired it.\n\n" +
			"Partner Center keeps 90 days of records. Spans longer than 30 days are read as 30-day windows, and every window is read " +
			"page by page. Records are sorted by `operation_date`, then `id`, so the output is stable.",
		Attributes: map[string]schema.Attribute{
			"start_date": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "First day to read, `YYYY-MM-DD` (UTC). It must be at most 90 days before today: Partner Center " +
					"keeps records for 90 days and refuses older start dates. Checked at plan time.",
			},
			"end_date": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Last day to read, inclusive, `YYYY-MM-DD` (UTC). Must not be before `start_date`. " +
					"When omitted, records up to Partner Center's current time are read (the last request sends no `endDate`), and it stays null.",
			},
			"customer_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only records of this customer (Microsoft Entra tenant ID, GUID). Sent to Partner Center as the `CustomerId` filter.",
				Validators:          []validator.String{guidValidator()},
			},
			"resource_type": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Only records of this resource type: " + codeList(auditResourceTypes) + ". Defaults to `transfer`. " +
					"Sent as the `ResourceType` filter unless `customer_id` is set (Partner Center takes one filter per request); then the provider applies it.",
				Validators: []validator.String{stringvalidator.OneOf(auditResourceTypes...)},
			},
			"operation_types": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Only records of these operation types, e.g. `create_transfer` and `update_transfer` (the two Partner Center " +
					"documents for transfers; submit, cancel, completion, failure and expiry are all `update_transfer`). " +
					"Partner Center has no such filter: the provider applies it.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.RegexMatches(
					snakeCasePattern, "must be a snake_case operation type such as create_transfer"))},
			},
			"page_size": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Records per page, 1 to 500. By default the server decides (500).",
				Validators:          []validator.Int64{int64validator.Between(1, 500)},
			},
			"records": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching records, oldest first.",
				NestedObject:        schema.NestedAttributeObject{Attributes: auditRecordAttributes()},
			},
		},
	}
}

func auditRecordAttributes() map[string]schema.Attribute {
	str := func(description string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	return map[string]schema.Attribute{
		"id":                      str("The record's ID, `{partnerId}_{customerId}_{resourceId}_{operation}_{ticks}`; webhook `AuditUri` values end with it."),
		"operation_type":          str("What was done, e.g. `create_transfer` or `update_transfer`."),
		"operation_date":          str("When, RFC 3339 (UTC)."),
		"operation_status":        str("`succeeded`, `failed` or `progress`."),
		"partner_id":              str("The partner tenant the record belongs to (the one that acted, or the target partner for changes Partner Center made itself)."),
		"user_principal_name":     str("The user who acted; empty for app-only calls."),
		"application_id":          str("The application (client) ID that made the call, or a Partner Center service name such as `FulfillmentService` for changes it made itself."),
		"customer_id":             str("The customer's tenant ID."),
		"customer_name":           str("The customer's name."),
		"resource_type":           str("The resource changed, e.g. `transfer`."),
		"resource_old_value":      str("The resource before the change, as a JSON string (Partner Center's PascalCase form); empty when there was none. Use `jsondecode()`."),
		"resource_new_value":      str("The resource after the change, as a JSON string; empty when there is none. Use `jsondecode()`."),
		"original_correlation_id": str("The `MS-CorrelationId` of the call that caused the change, when Partner Center reports it."),
		"transfer_id":             str("For transfer records: the transfer's ID, decoded from the new (or old) value."),
		"transfer_status":         str("For transfer records: the transfer's status after the change (`Pending`, `InProgress`, `Complete`, `Failed`, `Expired`, `Canceled`), decoded from the new value."),
	}
}

func (d *auditRecordsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m auditRecordsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	today := auditNow().UTC().Truncate(24 * time.Hour)
	var start, end time.Time
	if !m.StartDate.IsNull() && !m.StartDate.IsUnknown() {
		t, err := time.Parse(time.DateOnly, m.StartDate.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("start_date"), "Invalid start_date",
				fmt.Sprintf("start_date %q is not a date; write it as YYYY-MM-DD, e.g. %q.", m.StartDate.ValueString(), today.AddDate(0, 0, -7).Format(time.DateOnly)))
		} else {
			start = t
			if oldest := today.Add(-partnercenter.AuditLookback); t.Before(oldest) {
				resp.Diagnostics.AddAttributeError(path.Root("start_date"), "start_date is beyond the 90-day look-back",
					fmt.Sprintf("Partner Center keeps activity records for 90 days, so start_date %s cannot be read. Use %s or later "+
						"(for example timeadd(plantimestamp(), \"-2160h\") formatted as a date).", t.Format(time.DateOnly), oldest.Format(time.DateOnly)))
			}
		}
	}
	if !m.EndDate.IsNull() && !m.EndDate.IsUnknown() {
		t, err := time.Parse(time.DateOnly, m.EndDate.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("end_date"), "Invalid end_date",
				fmt.Sprintf("end_date %q is not a date; write it as YYYY-MM-DD or leave it out for today.", m.EndDate.ValueString()))
		} else {
			end = t
		}
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		resp.Diagnostics.AddAttributeError(path.Root("end_date"), "end_date is before start_date",
			fmt.Sprintf("end_date %s is before start_date %s; swap them or leave end_date out.", end.Format(time.DateOnly), start.Format(time.DateOnly)))
	}
}

func (d *auditRecordsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *auditRecordsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !dataSourceConfigured(d.data, &resp.Diagnostics) {
		return
	}
	var m auditRecordsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	q, want, diags := auditQueryFrom(ctx, m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var recs []partnercenter.AuditRecord
	err := d.data.client.ListAuditRecords(ctx, q, func(r partnercenter.AuditRecord) error {
		if want(r) {
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot read the audit records", err)
		return
	}
	slices.SortStableFunc(recs, func(a, b partnercenter.AuditRecord) int {
		if c := compareTimes(a.OperationDate, b.OperationDate); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	models := make([]auditRecordModel, 0, len(recs))
	for _, r := range recs {
		models = append(models, flattenAuditRecord(r))
	}
	list, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: auditRecordAttrTypes()}, models)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.ResourceType.IsNull() {
		m.ResourceType = types.StringValue(partnercenter.AuditResourceTransfer)
	}
	m.Records = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// auditQueryFrom turns the configuration into the server query (one
// filter) and the provider-side match for the rest.
func auditQueryFrom(ctx context.Context, m auditRecordsModel) (partnercenter.AuditRecordQuery, func(partnercenter.AuditRecord) bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	q := partnercenter.AuditRecordQuery{} // No end date: up to the server's now.
	start, err := time.Parse(time.DateOnly, m.StartDate.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("start_date"), "Invalid start_date", "start_date must be YYYY-MM-DD.")
		return q, nil, diags
	}
	q.StartDate = start
	if !m.EndDate.IsNull() {
		if q.EndDate, err = time.Parse(time.DateOnly, m.EndDate.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("end_date"), "Invalid end_date", "end_date must be YYYY-MM-DD.")
			return q, nil, diags
		}
	}
	if !m.PageSize.IsNull() {
		q.PageSize = int(m.PageSize.ValueInt64())
	}
	resourceType := partnercenter.AuditResourceTransfer
	if !m.ResourceType.IsNull() {
		resourceType = m.ResourceType.ValueString()
	}
	var ops []string
	if !m.OperationTypes.IsNull() {
		diags.Append(m.OperationTypes.ElementsAs(ctx, &ops, false)...)
	}
	customer := m.CustomerID.ValueString()
	if customer != "" {
		q.Filter = &partnercenter.AuditFilter{Field: "CustomerId", Value: customer, Operator: "equals"}
	} else {
		// The documented filter value is the PascalCase enum name.
		q.Filter = &partnercenter.AuditFilter{Field: "ResourceType", Value: pascalCase(resourceType), Operator: "equals"}
	}
	want := func(r partnercenter.AuditRecord) bool {
		return strings.EqualFold(r.ResourceType, resourceType) &&
			(customer == "" || strings.EqualFold(r.CustomerID, customer)) &&
			(len(ops) == 0 || slices.ContainsFunc(ops, func(op string) bool { return strings.EqualFold(op, r.OperationType) }))
	}
	return q, want, diags
}

func flattenAuditRecord(r partnercenter.AuditRecord) auditRecordModel {
	m := auditRecordModel{
		ID: types.StringValue(r.ID), OperationType: types.StringValue(r.OperationType), OperationDate: types.StringNull(),
		OperationStatus: types.StringValue(r.OperationStatus), PartnerID: types.StringValue(r.PartnerID),
		UserPrincipalName: types.StringValue(r.UserPrincipalName), ApplicationID: types.StringValue(r.ApplicationID),
		CustomerID: types.StringValue(r.CustomerID), CustomerName: types.StringValue(r.CustomerName),
		ResourceType: types.StringValue(r.ResourceType), ResourceOldValue: types.StringValue(r.ResourceOldValue),
		ResourceNewValue: types.StringValue(r.ResourceNewValue), OriginalCorrelationID: types.StringValue(r.OriginalCorrelationID),
		TransferID: types.StringNull(), TransferStatus: types.StringNull(),
	}
	if r.OperationDate != nil {
		m.OperationDate = types.StringValue(r.OperationDate.UTC().Format(time.RFC3339Nano))
	}
	if strings.EqualFold(r.ResourceType, partnercenter.AuditResourceTransfer) {
		if s, ok := partnercenter.DecodeAuditTransfer(r.ResourceNewValue); ok {
			m.TransferID, m.TransferStatus = types.StringValue(s.ID), types.StringValue(s.Status)
		} else if s, ok := partnercenter.DecodeAuditTransfer(r.ResourceOldValue); ok {
			m.TransferID = types.StringValue(s.ID)
		}
	}
	return m
}

func auditRecordAttrTypes() map[string]attr.Type {
	out := map[string]attr.Type{}
	for name, a := range auditRecordAttributes() {
		out[name] = a.GetType()
	}
	return out
}

func compareTimes(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

// pascalCase turns a snake_case enum value into its PascalCase name.
func pascalCase(s string) string {
	parts := strings.Split(s, "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}
