# Demo, step 1: the TARGET (gaining) partner, Fabrikam, asks the source
# partner, Contoso, to transfer the subscriptions of their shared customer
# Northwind. The request stays Pending until Contoso submits it
# (../source). `make demo` runs this against the local emulator.

terraform {
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

resource "partnercenter_transfer" "northwind" {
  customer_id              = var.customer_id
  source_partner_tenant_id = var.source_partner_tenant_id
  source_partner_name      = var.source_partner_name
  customer_email           = var.customer_email
  customer_name            = var.customer_name

  # Register for notifications first, so create-transfer is delivered too.
  depends_on = [partnercenter_webhook_registration.transfers]
}
