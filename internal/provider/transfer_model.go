// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

// transferModel holds every field of a transfer the provider exposes. The
// resource adds its own arguments; the data sources use it as is.
type transferModel struct {
	ID                    types.String `tfsdk:"id"`
	CustomerID            types.String `tfsdk:"customer_id"`
	SourcePartnerTenantID types.String `tfsdk:"source_partner_tenant_id"`
	SourcePartnerName     types.String `tfsdk:"source_partner_name"`
	CustomerEmail         types.String `tfsdk:"customer_email"`
	CustomerName          types.String `tfsdk:"customer_name"`
	TargetPartnerTenantID types.String `tfsdk:"target_partner_tenant_id"`
	TargetPartnerEmail    types.String `tfsdk:"target_partner_email"`
	TargetPartnerName     types.String `tfsdk:"target_partner_name"`
	TransferType          types.Int64  `tfsdk:"transfer_type"`
	TargetProductTypes    types.Set    `tfsdk:"target_product_types"`
	PartnerOfRecord       types.String `tfsdk:"partner_of_record"`
	TransactionResellerID types.String `tfsdk:"transaction_reseller_id"`
	LineItems             types.Map    `tfsdk:"line_items"`
	Status                types.String `tfsdk:"status"`
	TransferDirection     types.String `tfsdk:"transfer_direction"`
	CreatedTime           types.String `tfsdk:"created_time"`
	LastModifiedTime      types.String `tfsdk:"last_modified_time"`
	ExpirationTime        types.String `tfsdk:"expiration_time"`
	CompletedTime         types.String `tfsdk:"completed_time"`
}

// lineItemModel is one element of line_items, keyed by subscription id.
type lineItemModel struct {
	ProductType          types.String `tfsdk:"product_type"`
	LineItemID           types.String `tfsdk:"line_item_id"`
	Status               types.String `tfsdk:"status"`
	FriendlyName         types.String `tfsdk:"friendly_name"`
	Quantity             types.Int64  `tfsdk:"quantity"`
	BillingCycle         types.String `tfsdk:"billing_cycle"`
	OfferID              types.String `tfsdk:"offer_id"`
	TransferGroupID      types.String `tfsdk:"transfer_group_id"`
	OrderID              types.String `tfsdk:"order_id"`
	TargetSubscriptionID types.String `tfsdk:"target_subscription_id"`
	AddOns               types.List   `tfsdk:"add_ons"`
	ErrorCode            types.String `tfsdk:"error_code"`
	ErrorMessage         types.String `tfsdk:"error_message"`
}

// addOnModel is an add-on subscription that moves with its base line item.
type addOnModel struct {
	SubscriptionID       types.String `tfsdk:"subscription_id"`
	FriendlyName         types.String `tfsdk:"friendly_name"`
	Quantity             types.Int64  `tfsdk:"quantity"`
	BillingCycle         types.String `tfsdk:"billing_cycle"`
	OfferID              types.String `tfsdk:"offer_id"`
	Status               types.String `tfsdk:"status"`
	TargetSubscriptionID types.String `tfsdk:"target_subscription_id"`
}

// flattenTransfer converts a wire transfer into the model. customerID is the
// one the request was made for (the service's customerTenantId may be
// empty); priorKeys are the line item keys already known to Terraform, so a
// subscription id the service echoes in another letter case keeps the key
// the user wrote.
func flattenTransfer(ctx context.Context, t *partnercenter.Transfer, customerID string, priorKeys []string) (transferModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := transferModel{
		ID:                    types.StringValue(t.ID),
		CustomerID:            types.StringValue(customerID),
		SourcePartnerTenantID: optionalString(t.SourcePartnerTenantID),
		SourcePartnerName:     optionalString(t.SourcePartnerName),
		CustomerEmail:         optionalString(t.CustomerEmailID),
		CustomerName:          optionalString(t.CustomerName),
		TargetPartnerTenantID: optionalString(t.TargetPartnerTenantID),
		TargetPartnerEmail:    optionalString(t.TargetPartnerEmailID),
		TargetPartnerName:     optionalString(t.TargetPartnerName),
		TransferType:          types.Int64Value(int64(t.TransferType)),
		PartnerOfRecord:       optionalString(t.PartnerOnRecord),
		TransactionResellerID: optionalString(transfers.TransactionReseller(t.Participants)),
		Status:                optionalString(t.Status),
		TransferDirection:     optionalString(directionName(t.TransferDirection)),
		CreatedTime:           timeValue(t.CreatedTime),
		LastModifiedTime:      timeValue(t.LastModifiedTime),
		ExpirationTime:        timeValue(t.ExpirationTime),
		CompletedTime:         timeValue(t.CompletedTime),
	}
	if t.TargetProductTypes == nil {
		m.TargetProductTypes = types.SetNull(types.StringType)
	} else {
		set, d := types.SetValueFrom(ctx, types.StringType, t.TargetProductTypes)
		diags.Append(d...)
		m.TargetProductTypes = set
	}
	items, d := flattenLineItems(ctx, t.LineItems, priorKeys)
	diags.Append(d...)
	m.LineItems = items
	return m, diags
}

func flattenLineItems(ctx context.Context, items []partnercenter.TransferLineItem, priorKeys []string) (types.Map, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := make(map[string]lineItemModel, len(items))
	for _, li := range items {
		addOns := make([]addOnModel, 0, len(li.AddonItems))
		for _, a := range li.AddonItems {
			addOns = append(addOns, addOnModel{
				SubscriptionID:       optionalString(a.SubscriptionID),
				FriendlyName:         optionalString(a.FriendlyName),
				Quantity:             types.Int64Value(int64(a.Quantity)),
				BillingCycle:         optionalString(a.BillingCycle),
				OfferID:              optionalString(a.OfferID),
				Status:               optionalString(a.Status),
				TargetSubscriptionID: optionalString(a.TargetSubscriptionID),
			})
		}
		list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: addOnAttrTypes}, addOns)
		diags.Append(d...)
		out[matchKey(li.SubscriptionID, priorKeys)] = lineItemModel{
			ProductType:          optionalString(li.ProductType),
			LineItemID:           optionalString(string(li.ID)),
			Status:               optionalString(li.Status),
			FriendlyName:         optionalString(li.FriendlyName),
			Quantity:             types.Int64Value(int64(li.Quantity)),
			BillingCycle:         optionalString(li.BillingCycle),
			OfferID:              optionalString(li.OfferID),
			TransferGroupID:      optionalString(li.TransferGroupID),
			OrderID:              optionalString(li.OrderID),
			TargetSubscriptionID: optionalString(li.TargetSubscriptionID),
			AddOns:               list,
			ErrorCode:            optionalString(li.TransferErrorCode),
			ErrorMessage:         optionalString(li.TransferError),
		}
	}
	m, d := types.MapValueFrom(ctx, lineItemObjectType, out)
	diags.Append(d...)
	return m, diags
}

// expandSubmitLineItems turns the configured line_items into the source
// partner's submit body, sorted by subscription id so requests are stable.
func expandSubmitLineItems(ctx context.Context, items types.Map) ([]partnercenter.SubmitLineItem, diag.Diagnostics) {
	var m map[string]lineItemModel
	diags := items.ElementsAs(ctx, &m, false)
	out := make([]partnercenter.SubmitLineItem, 0, len(m))
	for _, id := range sortedKeys(m) {
		out = append(out, partnercenter.SubmitLineItem{SubscriptionID: id, ProductType: m[id].ProductType.ValueString()})
	}
	return out, diags
}

// lineItemProductTypes reads line_items as subscription id -> product type;
// nil when null or unknown.
func lineItemProductTypes(ctx context.Context, items types.Map) (map[string]string, diag.Diagnostics) {
	if items.IsNull() || items.IsUnknown() {
		return nil, nil
	}
	var m map[string]lineItemModel
	diags := items.ElementsAs(ctx, &m, false)
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v.ProductType.ValueString()
	}
	return out, diags
}

// directionName renders transferDirection relative to the calling partner.
func directionName(d int) string {
	switch d {
	case partnercenter.DirectionIncoming:
		return "incoming"
	case partnercenter.DirectionOutgoing:
		return "outgoing"
	case 0:
		return ""
	}
	return strconv.Itoa(d)
}

// optionalString is s, or null when Partner Center sent nothing: an absent
// value never shows as "".
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func timeValue(t *time.Time) types.String {
	if t == nil || t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// matchKey returns the prior key equal to id ignoring case, else id.
func matchKey(id string, priorKeys []string) string {
	for _, k := range priorKeys {
		if strings.EqualFold(k, id) {
			return k
		}
	}
	return id
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Descriptions of line item members whose wire form varies.
const (
	productTypeAsSentTail = "shown as Partner Center sends them: a documented name in another letter case gets the documented spelling; " +
		"a number, which Microsoft's examples show (`\"productType\": 5`) but no page maps to a name, appears as its text, for example `\"5\"`."
	productTypeAsSentNote = "Values are " + productTypeAsSentTail
	productTypeEchoNote   = "For items you configured the state keeps your value, whatever form Partner Center echoes. " +
		"Items you did not configure (the target partner's view) are " + productTypeAsSentTail
	lineItemIDDescription = "Line item ID assigned by Partner Center, as text (examples send numbers such as `0`, sometimes repeated; " +
		"items are keyed by subscription ID, never by this)."
)
