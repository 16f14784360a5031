// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

// transferValue builds the Terraform value of one transfer straight from
// the wire record, with the same values flattenTransfer gives (a test
// holds them equal), but without the framework's intermediate values: the
// transfers data source builds thousands of them as a list streams in.

// transferValueTypes are the Terraform types transferValue builds.
type transferValueTypes struct {
	// shared holds one value per repeated text or number (statuses,
	// partners, customers, times): thousands of transfers share them.
	shared   map[any]tftypes.Value
	transfer tftypes.Object
	lineItem tftypes.Object
	addOn    tftypes.Object
	items    tftypes.Map
	addOns   tftypes.List
	strings  tftypes.Set
}

func newTransferValueTypes(ctx context.Context) (transferValueTypes, error) {
	vt := transferValueTypes{shared: map[any]tftypes.Value{}}
	var err error
	if vt.transfer, err = objectType(ctx, types.ObjectType{AttrTypes: transferAttrTypes}); err != nil {
		return vt, err
	}
	if vt.lineItem, err = objectType(ctx, lineItemObjectType); err != nil {
		return vt, err
	}
	if vt.addOn, err = objectType(ctx, types.ObjectType{AttrTypes: addOnAttrTypes}); err != nil {
		return vt, err
	}
	vt.items = tftypes.Map{ElementType: vt.lineItem}
	vt.addOns = tftypes.List{ElementType: vt.addOn}
	vt.strings = tftypes.Set{ElementType: tftypes.String}
	return vt, nil
}

var nullString = tftypes.NewValue(tftypes.String, nil)

// str is s as a shared value; null when Partner Center sent nothing
// (optionalString's rule).
func (vt transferValueTypes) str(s string) tftypes.Value {
	if s == "" {
		return nullString
	}
	return vt.text(s)
}

// text is s as a shared value, even when empty.
func (vt transferValueTypes) text(s string) tftypes.Value {
	if v, ok := vt.shared[s]; ok {
		return v
	}
	v := tftypes.NewValue(tftypes.String, s)
	vt.shared[s] = v
	return v
}

// num is n as a shared value.
func (vt transferValueTypes) num(n int) tftypes.Value {
	if v, ok := vt.shared[n]; ok {
		return v
	}
	v := tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(int64(n)))
	vt.shared[n] = v
	return v
}

// time is timeValue's rule: RFC 3339 in UTC, null when absent.
func (vt transferValueTypes) time(t *time.Time) tftypes.Value {
	if t == nil || t.IsZero() {
		return nullString
	}
	return vt.str(t.UTC().Format(time.RFC3339))
}

// value is t as the transfers data source records it; without line items
// line_items is null.
func (vt transferValueTypes) value(t *partnercenter.Transfer, customerID string, withoutLineItems bool) (tftypes.Value, error) {
	var productTypes tftypes.Value
	if t.TargetProductTypes == nil {
		productTypes = tftypes.NewValue(vt.strings, nil)
	} else {
		elems := make([]tftypes.Value, 0, len(t.TargetProductTypes))
		for _, p := range t.TargetProductTypes {
			elems = append(elems, vt.str(p))
		}
		productTypes = tftypes.NewValue(vt.strings, elems)
	}
	items := tftypes.NewValue(vt.items, nil)
	if !withoutLineItems {
		items = vt.lineItems(t.LineItems)
	}
	attrs := map[string]tftypes.Value{
		"id":                       tftypes.NewValue(tftypes.String, t.ID),
		"customer_id":              vt.text(customerID),
		"source_partner_tenant_id": vt.str(t.SourcePartnerTenantID),
		"source_partner_name":      vt.str(t.SourcePartnerName),
		"customer_email":           vt.str(t.CustomerEmailID),
		"customer_name":            vt.str(t.CustomerName),
		"target_partner_tenant_id": vt.str(t.TargetPartnerTenantID),
		"target_partner_email":     vt.str(t.TargetPartnerEmailID),
		"target_partner_name":      vt.str(t.TargetPartnerName),
		"transfer_type":            vt.num(t.TransferType),
		"target_product_types":     productTypes,
		"partner_of_record":        vt.str(t.PartnerOnRecord),
		"transaction_reseller_id":  vt.str(transfers.TransactionReseller(t.Participants)),
		"line_items":               items,
		"status":                   vt.str(t.Status),
		"transfer_direction":       vt.str(directionName(t.TransferDirection)),
		"created_time":             vt.time(t.CreatedTime),
		"last_modified_time":       vt.time(t.LastModifiedTime),
		"expiration_time":          vt.time(t.ExpirationTime),
		"completed_time":           vt.time(t.CompletedTime),
	}
	if len(attrs) != len(vt.transfer.AttributeTypes) {
		return tftypes.Value{}, fmt.Errorf("transfer value has %d attributes, the schema %d", len(attrs), len(vt.transfer.AttributeTypes))
	}
	return tftypes.NewValue(vt.transfer, attrs), nil
}

// lineItems is the line_items map, keyed by subscription id.
func (vt transferValueTypes) lineItems(items []partnercenter.TransferLineItem) tftypes.Value {
	elems := make(map[string]tftypes.Value, len(items))
	for _, li := range items {
		addOns := make([]tftypes.Value, 0, len(li.AddonItems))
		for _, a := range li.AddonItems {
			addOns = append(addOns, tftypes.NewValue(vt.addOn, map[string]tftypes.Value{
				"subscription_id":        vt.str(a.SubscriptionID),
				"friendly_name":          vt.str(a.FriendlyName),
				"quantity":               vt.num(a.Quantity),
				"billing_cycle":          vt.str(a.BillingCycle),
				"offer_id":               vt.str(a.OfferID),
				"status":                 vt.str(a.Status),
				"target_subscription_id": vt.str(a.TargetSubscriptionID),
			}))
		}
		elems[li.SubscriptionID] = tftypes.NewValue(vt.lineItem, map[string]tftypes.Value{
			"product_type":           vt.str(li.ProductType),
			"line_item_id":           vt.str(string(li.ID)),
			"status":                 vt.str(li.Status),
			"friendly_name":          vt.str(li.FriendlyName),
			"quantity":               vt.num(li.Quantity),
			"billing_cycle":          vt.str(li.BillingCycle),
			"offer_id":               vt.str(li.OfferID),
			"transfer_group_id":      vt.str(li.TransferGroupID),
			"order_id":               vt.str(li.OrderID),
			"target_subscription_id": vt.str(li.TargetSubscriptionID),
			"add_ons":                tftypes.NewValue(vt.addOns, addOns),
			"error_code":             vt.str(li.TransferErrorCode),
			"error_message":          vt.str(li.TransferError),
		})
	}
	return tftypes.NewValue(vt.items, elems)
}
