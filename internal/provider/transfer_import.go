// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// A transfer is imported by "<customer_id>/<transfer_id>" or by identity
// { customer_id, id }: both forms go through checkImportIDs, so they accept
// the same ids: the customer's GUID and any id Partner Center can hand out
// (server_id.go).

// importIDForm shows the string form with an example.
const importIDForm = "\"<customer_id>/<transfer_id>\": the customer's GUID, a slash and the transfer's id, " +
	"for example 11111111-1111-1111-1111-111111111111/2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11"

// transferImportIDs returns the customer and transfer ids of an import by
// string ID or by identity.
func transferImportIDs(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (customerID, transferID string) {
	if req.ID != "" || req.Identity == nil {
		customerID, transferID, err := parseImportID(req.ID)
		if err != nil {
			diags.AddError("Invalid import ID", err.Error())
		}
		return customerID, transferID
	}
	var ids transferIdentityModel
	if diags.Append(req.Identity.Get(ctx, &ids)...); diags.HasError() {
		return "", ""
	}
	customerID, transferID = ids.CustomerID.ValueString(), ids.ID.ValueString()
	if err := checkImportIDs(customerID, transferID); err != nil {
		diags.AddError("Invalid import identity", fmt.Sprintf("Importing partnercenter_transfer by identity needs customer_id and id, "+
			"for example identity = { customer_id = \"11111111-1111-1111-1111-111111111111\", id = \"2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11\" }: %v.", err))
		return "", ""
	}
	return customerID, transferID
}

// parseImportID splits "<customer_id>/<transfer_id>".
func parseImportID(id string) (customerID, transferID string, err error) {
	customerID, transferID, found := strings.Cut(id, "/")
	if !found {
		return "", "", fmt.Errorf("import ID %q must be %s", id, importIDForm)
	}
	if err := checkImportIDs(customerID, transferID); err != nil {
		return "", "", fmt.Errorf("import ID %q must be %s (%w)", id, importIDForm, err)
	}
	return customerID, transferID, nil
}

// checkImportIDs says what is wrong with a customer id and a transfer id to
// import, or nil.
func checkImportIDs(customerID, transferID string) error {
	switch {
	case !isGUID(customerID):
		return fmt.Errorf("customer_id %q is not a GUID", customerID)
	case !isServerID(transferID):
		return fmt.Errorf("the transfer id %q is empty or holds a slash or white space, which no Partner Center id does", transferID)
	}
	return nil
}
