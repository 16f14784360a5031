// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Request properties the emulator knows. A create or PATCH body is a
// TransferEntity (REFERENCE.md §2.1: the REST reference's field list, plus
// targetPartnerProjectId of its older revision), its lineItems are
// TransferLineItems (§2.2: the new-commerce accept table and the legacy
// line fields) and participants are KeyValuePairs. Names match case
// insensitively, as the .NET binder matches them. Unless
// Options.IgnoreUnknownProperties is set, a body carrying any other
// property is refused: a client that misnames a field would otherwise
// pass every test while Partner Center silently drops what it sent.
var (
	transferEntityProperties = []string{
		"alternateId", "attributes", "completedTime", "createdTime", "customerEmailId", "customerName",
		"customerTenantId", "expirationTime", "id", "ignoreEligibilityCheck", "lastModifiedTime",
		"lastModifiedUser", "lineItems", "links", "participants", "partnerOnRecord", "partnertenantid",
		"sourcePartnerEmailId", "sourcePartnerName", "sourcePartnerTenantId", "status", "targetPartnerEmailId",
		"targetPartnerName", "targetPartnerTenantId", "targetProductTypes", "transferDirection", "transferType",
		"targetPartnerProjectId",
	}
	transferLineItemProperties = []string{
		"id", "subscriptionId", "productType", "offerId", "orderId", "billingCycle", "friendlyName", "quantity",
		"partnerIdOnRecord", "transferGroupId", "status", "addonItems", "transferError",
	}
	participantProperties = []string{"key", "value"}
)

// unknownProperties lists, as JSON paths, the properties of a transfer
// body (create or PATCH) that no documentation lists. Malformed bodies
// yield none: decoding reports them.
func unknownProperties(body []byte) []string {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return nil
	}
	var out []string
	for _, name := range sortedKeys(top) {
		raw := top[name]
		switch {
		case !knownProperty(transferEntityProperties, name):
			out = append(out, name)
		case strings.EqualFold(name, "lineItems"):
			out = append(out, unknownInArray(name, raw, transferLineItemProperties)...)
		case strings.EqualFold(name, "participants"):
			out = append(out, unknownInArray(name, raw, participantProperties)...)
		}
	}
	return out
}

// unknownInArray checks the objects of a JSON array; addonItems of a line
// item are line items too.
func unknownInArray(path string, raw json.RawMessage, known []string) []string {
	var items []map[string]json.RawMessage
	if json.Unmarshal(bytes.TrimSpace(raw), &items) != nil {
		return nil
	}
	var out []string
	for i, item := range items {
		for _, name := range sortedKeys(item) {
			at := fmt.Sprintf("%s[%d].%s", path, i, name)
			switch {
			case !knownProperty(known, name):
				out = append(out, at)
			case strings.EqualFold(name, "addonItems"):
				out = append(out, unknownInArray(at, item[name], transferLineItemProperties)...)
			}
		}
	}
	return out
}

func knownProperty(known []string, name string) bool {
	return slices.ContainsFunc(known, func(k string) bool { return strings.EqualFold(k, name) })
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// refuseUnknownProperties is the 400 for a body with properties the
// emulator does not know, or nil.
func (e *Emulator) refuseUnknownProperties(body []byte) *apiResponse {
	if e.opts.IgnoreUnknownProperties {
		return nil
	}
	unknown := unknownProperties(body)
	if len(unknown) == 0 {
		return nil
	}
	for i, name := range unknown {
		unknown[i] = truncate(name)
	}
	if len(unknown) > 10 {
		unknown = append(unknown[:10], fmt.Sprintf("and %d more", len(unknown)-10))
	}
	r := errInvalidInput("Unknown properties in the request body: %s. The emulator knows the documented TransferEntity and TransferLineItem "+
		"properties (internal/emulator/REFERENCE.md §2.1, §2.2) and refuses others, so that a misnamed property fails instead of being "+
		"dropped (-ignore-unknown-properties ignores them).", strings.Join(unknown, ", "))
	return &r
}
