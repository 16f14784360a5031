// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// WireVariants chooses which of the documented forms of the TransferEntity
// the emulator answers with. Microsoft's pages contradict each other
// (REFERENCE.md §9.1) and its examples differ from its tables, so a client
// must read every form; each field plays one of them. The zero value is the
// default shape: camelCase, strings where the tables say string, null for
// unset times, every input echoed as sent. Only transfer entities (create,
// get, list items, PATCH answers) are reshaped; the server's own view for Go
// callers and the admin API never is.
type WireVariants struct {
	// ProductTypeNumbers sends lineItems[].productType as a number
	// (get-transfer example: "productType": 5). No page maps numbers to
	// names; the emulator uses productTypeNumbers below.
	ProductTypeNumbers bool `json:"productTypeNumbers,omitempty"`
	// LineItemIDs is "" (strings "0", "1", as the table types them),
	// LineItemIDsNumbers (0, 1, as the examples show) or LineItemIDsZero
	// (0 for every item: the examples repeat ids).
	LineItemIDs string `json:"lineItemIds,omitempty"`
	// EmptyCustomerEmail echoes customerEmailId as "" (every documented
	// response does).
	EmptyCustomerEmail bool `json:"emptyCustomerEmail,omitempty"`
	// PascalCase writes every member name in PascalCase (.NET's default,
	// as in audit records' resourceNewValue and the real client's bodies).
	PascalCase bool `json:"pascalCase,omitempty"`
	// OmitEmptyLineItems leaves lineItems out while a transfer has none
	// (the documented 201 answer has no lineItems member).
	OmitEmptyLineItems bool `json:"omitEmptyLineItems,omitempty"`
	// OmitUnsetTimes leaves completedTime out until the transfer completes,
	// and expirationTime once it is no longer Pending, instead of null
	// (neither documented example has a completedTime member).
	OmitUnsetTimes bool `json:"omitUnsetTimes,omitempty"`
	// TransferTypeEcho, when 3 or 5, answers that transferType whatever was
	// sent: the create page calls 3 new commerce, the resource page 5.
	TransferTypeEcho int `json:"transferTypeEcho,omitempty"`
	// TargetEmailIsTenantID answers targetPartnerEmailId with the target's
	// tenant id, as the documentation describes the member (a real client
	// stores free text in it).
	TargetEmailIsTenantID bool `json:"targetEmailIsTenantId,omitempty"`
	// CompletedStatus, when set, is sent instead of "Complete" for finished
	// transfers and line items ("Completed" is the TransferEntity page's
	// wording).
	CompletedStatus string `json:"completedStatus,omitempty"`
	// OpaquePartnerTenantID sends a partnertenantid that is not a GUID, as
	// the create page's example does ("a94dcde1-ecd7-wace-...").
	OpaquePartnerTenantID bool `json:"opaquePartnerTenantId,omitempty"`
	// DocumentedCreate answers a create exactly like the create page's
	// documented 201 example: only the members that body has (no
	// targetProductTypes, partnerOnRecord, participants, lineItems,
	// completedTime, sourcePartnerEmailId or attributes), customerEmailId
	// "", and targetPartnerEmailId filled in with the target's tenant ID
	// when the request sent none (later answers show the same fill, as a
	// server that stored it would).
	DocumentedCreate bool `json:"documentedCreate,omitempty"`
	// InputEcho, when set, answers every create input (the members a create
	// request sends) in one form: InputEchoAbsent, InputEchoNull,
	// InputEchoEmpty, InputEchoOtherCase or InputEchoFilled. It plays every
	// way a server may echo what it was sent, so a client can prove that
	// none of them changes what it recorded.
	InputEcho string `json:"inputEcho,omitempty"`
	// ExtraMembers adds members no current page documents (the older
	// REST reference's targetPartnerProjectId, alternateId as null, an object and
	// per-line termDuration), which a client must ignore.
	ExtraMembers bool `json:"extraMembers,omitempty"`
}

// Values of WireVariants.InputEcho.
const (
	InputEchoAbsent    = "absent"     // the member is left out
	InputEchoNull      = "null"       // the member is null
	InputEchoEmpty     = "empty"      // "" (an empty list for lists)
	InputEchoOtherCase = "other-case" // the same text in another letter case (the other new-commerce type)
	InputEchoFilled    = "filled"     // a value the server chose, whatever was sent
)

// inputEchoForms lists the InputEcho forms.
var inputEchoForms = []string{InputEchoAbsent, InputEchoNull, InputEchoEmpty, InputEchoOtherCase, InputEchoFilled}

// createInputMembers are the members a create request sends.
var createInputMembers = []string{
	"sourcePartnerTenantId", "sourcePartnerName", "customerEmailId", "customerName", "targetPartnerTenantId",
	"targetPartnerEmailId", "transferType", "targetProductTypes", "partnerOnRecord", "participants",
}

// documentedCreateMembers are the members of the create page's documented
// 201 body, in its order.
var documentedCreateMembers = []string{
	"id", "status", "transferType", "customerEmailId", "createdTime", "lastModifiedTime", "expirationTime", "customerName",
	"customerTenantId", "partnertenantid", "sourcePartnerName", "sourcePartnerTenantId", "targetPartnerName",
	"targetPartnerTenantId", "targetPartnerEmailId", "transferDirection", "ignoreEligibilityCheck", "lastModifiedUser", "links",
}

// Values of WireVariants.LineItemIDs.
const (
	LineItemIDsNumbers = "numbers"
	LineItemIDsZero    = "zero"
)

// productTypeNumbers is the emulator's invented numbering of product types
// for ProductTypeNumbers. Microsoft documents no mapping; OnlineServicesNCE
// is 5 so the numbers match the example of a new-commerce transfer.
var productTypeNumbers = map[string]int{
	"AzureSubscription": 1, "AzureReservation": 2, "AzureSavingsPlan": 3,
	"OnlineServicesNCE": 5, "Software": 6, "SaaS": 7,
}

// wireVariantSetters name each variant for flags and test tables.
var wireVariantSetters = map[string]func(*WireVariants){
	"product-type-numbers":     func(v *WireVariants) { v.ProductTypeNumbers = true },
	"line-item-ids-numbers":    func(v *WireVariants) { v.LineItemIDs = LineItemIDsNumbers },
	"line-item-ids-zero":       func(v *WireVariants) { v.LineItemIDs = LineItemIDsZero },
	"empty-customer-email":     func(v *WireVariants) { v.EmptyCustomerEmail = true },
	"pascal-case":              func(v *WireVariants) { v.PascalCase = true },
	"omit-empty-line-items":    func(v *WireVariants) { v.OmitEmptyLineItems = true },
	"omit-unset-times":         func(v *WireVariants) { v.OmitUnsetTimes = true },
	"transfer-type-3":          func(v *WireVariants) { v.TransferTypeEcho = transferTypeNewCommerce },
	"transfer-type-5":          func(v *WireVariants) { v.TransferTypeEcho = transferTypeNewCommerceAlt },
	"target-email-tenant-id":   func(v *WireVariants) { v.TargetEmailIsTenantID = true },
	"completed-status":         func(v *WireVariants) { v.CompletedStatus = "Completed" },
	"opaque-partner-tenant-id": func(v *WireVariants) { v.OpaquePartnerTenantID = true },
	"extra-members":            func(v *WireVariants) { v.ExtraMembers = true },
	"documented-create":        func(v *WireVariants) { v.DocumentedCreate = true },
}

func init() {
	for _, form := range inputEchoForms {
		wireVariantSetters["input-echo-"+form] = func(v *WireVariants) { v.InputEcho = form }
	}
}

// WireVariantDocExample is every shape of the create page's own examples at
// once (REFERENCE.md §9.1 item 2): numeric productType and repeated numeric ids, the empty
// e-mail echo, no lineItems and no completedTime member, a non-GUID
// partnertenantid and targetPartnerEmailId equal to the target's tenant.
const WireVariantDocExample = "doc-example"

var docExampleVariants = []string{
	"product-type-numbers", "line-item-ids-zero", "empty-customer-email", "omit-empty-line-items",
	"omit-unset-times", "opaque-partner-tenant-id", "target-email-tenant-id",
}

// WireVariantNames lists the names ParseWireVariants accepts, sorted, with
// WireVariantDocExample last.
func WireVariantNames() []string {
	names := make([]string, 0, len(wireVariantSetters)+1)
	for name := range wireVariantSetters {
		names = append(names, name)
	}
	sort.Strings(names)
	return append(names, WireVariantDocExample)
}

// ParseWireVariants turns a comma-separated list of variant names (see
// WireVariantNames) into WireVariants; "" is the default shape.
func ParseWireVariants(list string) (WireVariants, error) {
	var v WireVariants
	for _, name := range strings.Split(list, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		switch {
		case name == "":
		case name == WireVariantDocExample:
			for _, n := range docExampleVariants {
				wireVariantSetters[n](&v)
			}
		case wireVariantSetters[name] != nil:
			wireVariantSetters[name](&v)
		default:
			return WireVariants{}, fmt.Errorf("unknown wire variant %q; known: %s", name, strings.Join(WireVariantNames(), ", "))
		}
	}
	return v, v.validate()
}

func (v WireVariants) validate() error {
	switch v.LineItemIDs {
	case "", LineItemIDsNumbers, LineItemIDsZero:
	default:
		return fmt.Errorf("lineItemIds must be %q, %q or empty, got %q", LineItemIDsNumbers, LineItemIDsZero, v.LineItemIDs)
	}
	switch v.TransferTypeEcho {
	case 0, transferTypeNewCommerce, transferTypeNewCommerceAlt:
	default:
		return fmt.Errorf("transferTypeEcho must be 0, 3 or 5, got %d", v.TransferTypeEcho)
	}
	if v.InputEcho != "" && !slices.Contains(inputEchoForms, v.InputEcho) {
		return fmt.Errorf("inputEcho must be one of %s or empty, got %q", strings.Join(inputEchoForms, ", "), v.InputEcho)
	}
	return nil
}

// transferBody is rec as viewer sees it, in the configured wire shape.
func (e *Emulator) transferBody(rec *transferRecord, viewer string) any {
	wt := rec.wire(viewer)
	v := e.opts.Wire
	if v == (WireVariants{}) {
		return wt
	}
	v.reshapeFields(&wt)
	doc, err := toGeneric(wt)
	if err != nil {
		return wt // Only strings, numbers and slices: cannot fail.
	}
	v.reshapeDocument(doc, rec)
	if v.PascalCase {
		return pascalKeys(doc)
	}
	return doc
}

// createBody is the answer to a create: transferBody, and under
// DocumentedCreate only the documented 201 body's members.
func (e *Emulator) createBody(rec *transferRecord, viewer string) any {
	body := e.transferBody(rec, viewer)
	if !e.opts.Wire.DocumentedCreate {
		return body
	}
	doc, ok := body.(map[string]any)
	if !ok {
		return body
	}
	out := make(map[string]any, len(documentedCreateMembers))
	for name, value := range doc {
		for _, keep := range documentedCreateMembers {
			if strings.EqualFold(name, keep) {
				out[name] = value
			}
		}
	}
	return out
}

// collectionBody is the list envelope in the configured member case (its
// items are already reshaped).
func (e *Emulator) collectionBody(coll wireCollection) any {
	if !e.opts.Wire.PascalCase {
		return coll
	}
	doc, err := toGeneric(coll)
	if err != nil {
		return coll
	}
	return pascalKeys(doc)
}

// reshapeFields applies the variants that only change values.
func (v WireVariants) reshapeFields(wt *wireTransfer) {
	if v.EmptyCustomerEmail {
		wt.CustomerEmailID = ""
	}
	if v.TransferTypeEcho != 0 {
		wt.TransferType = v.TransferTypeEcho
	}
	if v.TargetEmailIsTenantID {
		wt.TargetPartnerEmailID = wt.TargetPartnerTenantID
	}
	if v.OpaquePartnerTenantID {
		wt.PartnerTenantID = opaqueID(wt.PartnerTenantID)
	}
	if v.DocumentedCreate {
		wt.CustomerEmailID = ""
		if wt.TargetPartnerEmailID == "" {
			wt.TargetPartnerEmailID = wt.TargetPartnerTenantID
		}
	}
	if v.CompletedStatus != "" {
		if wt.Status == statusComplete {
			wt.Status = v.CompletedStatus
		}
		renameLineStatus(wt.LineItems, statusComplete, v.CompletedStatus)
	}
}

func renameLineStatus(items []LineItem, from, to string) {
	for i := range items {
		if items[i].Status == from {
			items[i].Status = to
		}
		renameLineStatus(items[i].AddonItems, from, to)
	}
}

// opaqueID turns a GUID into the create page's kind of non-GUID id: its
// third group becomes "wace".
func opaqueID(id string) string {
	parts := strings.Split(id, "-")
	if len(parts) != 5 {
		return id
	}
	parts[2] = "wace"
	return strings.Join(parts, "-")
}

// reshapeDocument applies the variants that change types or presence.
func (v WireVariants) reshapeDocument(doc map[string]any, rec *transferRecord) {
	items, _ := doc["lineItems"].([]any)
	if v.OmitEmptyLineItems && len(items) == 0 {
		delete(doc, "lineItems")
	}
	if v.OmitUnsetTimes {
		for _, name := range []string{"completedTime", "expirationTime"} {
			if doc[name] == nil {
				delete(doc, name)
			}
		}
		if rec.Status != statusPending {
			delete(doc, "expirationTime")
		}
	}
	var walk func(items []any)
	walk = func(items []any) {
		for _, raw := range items {
			li, ok := raw.(map[string]any)
			if !ok {
				continue
			}
			if n, ok := productTypeNumbers[fmt.Sprint(li["productType"])]; ok && v.ProductTypeNumbers {
				li["productType"] = n
			}
			switch v.LineItemIDs {
			case LineItemIDsNumbers:
				li["id"] = json.Number(fmt.Sprint(li["id"]))
			case LineItemIDsZero:
				li["id"] = 0
			}
			if v.ExtraMembers {
				li["termDuration"] = "P1Y"
			}
			addOns, _ := li["addonItems"].([]any)
			walk(addOns)
		}
	}
	walk(items)
	if v.InputEcho != "" {
		for _, name := range createInputMembers {
			echoInput(doc, name, v.InputEcho)
		}
	}
	if v.ExtraMembers {
		doc["targetPartnerProjectId"] = ""
		doc["alternateId"] = nil
		doc["eligibilityDetails"] = map[string]any{"checks": []any{map[string]any{"name": "relationship", "passed": true}}}
	}
}

// toGeneric turns v into maps and slices, numbers kept exact.
func toGeneric(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc map[string]any
	return doc, dec.Decode(&doc)
}

// pascalKeys renames every member to PascalCase; partnertenantid becomes
// PartnerTenantId, .NET's property name.
func pascalKeys(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[pascal(k)] = pascalKeys(e)
		}
		return out
	case []any:
		out := slices.Clone(v)
		for i := range out {
			out[i] = pascalKeys(out[i])
		}
		return out
	}
	return v
}

func pascal(name string) string {
	if name == "partnertenantid" {
		return "PartnerTenantId"
	}
	r := []rune(name)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// echoInput renders the create input member name of doc in form.
func echoInput(doc map[string]any, name, form string) {
	switch form {
	case InputEchoAbsent:
		delete(doc, name)
	case InputEchoNull:
		doc[name] = nil
	case InputEchoEmpty:
		switch doc[name].(type) {
		case []any, nil:
			if name == "targetProductTypes" || name == "participants" {
				doc[name] = []any{}
				return
			}
		}
		doc[name] = ""
	case InputEchoOtherCase:
		doc[name] = otherCase(name, doc[name])
	case InputEchoFilled:
		switch name {
		case "sourcePartnerTenantId", "targetPartnerTenantId":
			// Whose request it is: a server does not make that up.
		case "targetPartnerEmailId":
			doc[name] = doc["targetPartnerTenantId"] // as the documented 201 body does
		case "customerEmailId":
			doc[name] = "contact@filled-by-server.example"
		case "transferType":
			doc[name] = transferTypeNewCommerceAlt
		case "targetProductTypes":
			all := make([]any, len(productTypes))
			for i, pt := range productTypes {
				all[i] = pt
			}
			doc[name] = all
		case "partnerOnRecord":
			doc[name] = "9999999"
		case "participants":
			doc[name] = []any{map[string]any{"key": "TransactionReseller", "value": "8888888"}}
		default:
			doc[name] = "Filled by the server"
		}
	}
}

// otherCase is v in another letter case: upper case, or lower case when
// it already is; the other new-commerce number for transferType.
func otherCase(name string, v any) any {
	switch v := v.(type) {
	case string:
		if up := strings.ToUpper(v); up != v {
			return up
		}
		return strings.ToLower(v)
	case json.Number, float64, int:
		if name == "transferType" {
			if fmt.Sprint(v) == fmt.Sprint(transferTypeNewCommerce) {
				return transferTypeNewCommerceAlt
			}
			return transferTypeNewCommerce
		}
		return v
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = otherCase(name, e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = otherCase(name, e)
		}
		return out
	}
	return v
}
