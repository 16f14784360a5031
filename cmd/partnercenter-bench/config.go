// SPDX-License-Identifier: MPL-2.0

package main

import (
	"encoding/json"
	"fmt"
)

// requiredProviders pins the provider's source address; dev_overrides in
// the CLI configuration serves it from the freshly built binary.
const requiredProviders = `terraform {
  required_providers {
    partnercenter = { source = "partnercenter-terraform/partnercenter" }
  }
}
`

// customersVariable declares the customers map both configurations iterate.
const customersVariable = `variable "customers" {
  type = map(object({ name = string, email = string }))
}
`

// transferConfig creates one transfer request per customer as the target
// partner: the realistic shape of a migration (one request per customer).
func transferConfig(w *world) string {
	return requiredProviders + "\n" + w.providerBlock(w.target) + "\n" + customersVariable + fmt.Sprintf(`
resource "partnercenter_transfer" "bench" {
  for_each                 = var.customers
  customer_id              = each.key
  customer_name            = each.value.name
  customer_email           = each.value.email
  source_partner_tenant_id = %q
  source_partner_name      = %q
}
`, w.source.TenantID, w.source.Name)
}

// baselineConfig is the same for_each over the same inputs with
// terraform_data: what Terraform itself costs, the floor for the provider.
func baselineConfig(w *world) string {
	return customersVariable + fmt.Sprintf(`
resource "terraform_data" "bench" {
  for_each = var.customers
  input = {
    customer_id              = each.key
    customer_name            = each.value.name
    customer_email           = each.value.email
    source_partner_tenant_id = %q
    source_partner_name      = %q
  }
}
`, w.source.TenantID, w.source.Name)
}

// customersVars renders terraform.tfvars.json for the customers variable.
func customersVars(cs []customer) (string, error) {
	type entry struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	m := make(map[string]entry, len(cs))
	for _, c := range cs {
		m[c.ID] = entry{Name: c.Name, Email: c.Email}
	}
	b, err := json.MarshalIndent(map[string]any{"customers": m}, "", "  ")
	if err != nil {
		return "", err
	}
	return string(b) + "\n", nil
}

// listConfig reads every transfer of one customer through the data source
// and outputs how many it saw.
func listConfig(w *world, c customer) string {
	return requiredProviders + "\n" + w.providerBlock(w.target) + fmt.Sprintf(`
data "partnercenter_transfers" "all" {
  customer_id = %q
}

output "transfers_listed" {
  value = length(data.partnercenter_transfers.all.ids)
}
`, c.ID)
}

// schemaOnlyConfig needs the provider's schema and nothing else.
func schemaOnlyConfig() string {
	return requiredProviders + `
provider "partnercenter" {}
`
}

// floorConfig is transferConfig for the floor provider: the same for_each
// over the same inputs, the same partner and emulator.
func floorConfig(w *world, listBeforeCreate bool) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    floor = { source = %q }
  }
}

provider "floor" {
  tenant_id          = %q
  client_id          = %q
  endpoint           = %q
  authority_host     = %q
  list_before_create = %t
}
`, floorAddress, w.target.TenantID, w.target.ClientID, w.srv.URL, w.srv.URL+"/", listBeforeCreate) + "\n" + customersVariable + fmt.Sprintf(`
resource "floor_transfer" "bench" {
  for_each                 = var.customers
  customer_id              = each.key
  customer_name            = each.value.name
  customer_email           = each.value.email
  source_partner_tenant_id = %q
  source_partner_name      = %q
}
`, w.source.TenantID, w.source.Name)
}
