# Whole-partner migration, target (gaining) partner: one transfer request
# per customer of a migration CSV, all addressed to the same source partner.

terraform {
  # Same floor as the source side (import blocks with for_each need 1.7+).
  required_version = ">= 1.7.0"

  required_providers {
    partnercenter = {
      source = "partnercenter-terraform/partnercenter"
    }
  }
}

provider "partnercenter" {
  tenant_id      = var.tenant_id
  client_id      = var.client_id
  client_secret  = var.client_secret
  endpoint       = var.endpoint
  authority_host = var.authority_host
}

locals {
  # One row per customer: customer_id,customer_name,customer_email,batch.
  # Keys in lower case, the form Partner Center uses. batch = null takes
  # every row; a batch name applies one slice of the CSV at a time.
  customers = {
    for row in csvdecode(file(var.customers_csv)) : lower(trimspace(row.customer_id)) => row
    if var.batch == null ? true : trimspace(row.batch) == var.batch
  }
}

resource "partnercenter_transfer" "request" {
  for_each = local.customers

  customer_id              = each.key
  source_partner_tenant_id = var.source_partner_tenant_id
  source_partner_name      = var.source_partner_name
  customer_name            = each.value.customer_name
  customer_email           = each.value.customer_email
}
