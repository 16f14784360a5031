# Merging two partners in one plan: after an acquisition one team holds
# credentials for both partners. The acquirer (target) creates a transfer
# request per customer of a CSV, and the acquired partner (source) accepts
# each one with the customer's active new-commerce subscriptions, all in
# one plan and one apply.

terraform {
  # import blocks with for_each need Terraform 1.7+ or OpenTofu 1.7+.
  required_version = ">= 1.7.0"

  required_providers {
    partnercenter = {
      source = "partnercenter-terraform/partnercenter"
    }
  }
}

# The gaining partner: it creates the requests.
provider "partnercenter" {
  alias          = "acquirer"
  tenant_id      = var.acquirer_tenant_id
  client_id      = var.acquirer_client_id
  client_secret  = var.acquirer_client_secret
  endpoint       = var.endpoint
  authority_host = var.authority_host
}

# The losing partner: it accepts them.
provider "partnercenter" {
  alias          = "acquired"
  tenant_id      = var.acquired_tenant_id
  client_id      = var.acquired_client_id
  client_secret  = var.acquired_client_secret
  endpoint       = var.endpoint
  authority_host = var.authority_host
}

locals {
  # One row per customer: customer_id,customer_name,customer_email,wave.
  # wave = null takes every row; a wave name applies one slice at a time.
  customers = {
    for row in csvdecode(file(var.customers_csv)) : lower(trimspace(row.customer_id)) => row
    if var.wave == null ? true : trimspace(row.wave) == var.wave
  }
}

# What moves: every active new-commerce subscription the acquired partner
# holds for the customer (add-ons follow their base subscription).
data "partnercenter_customer_subscriptions" "moving" {
  provider = partnercenter.acquired
  for_each = local.customers

  customer_id     = each.key
  status          = "active"
  product_types   = ["OnlineServicesNCE"]
  include_add_ons = false
}

# The acquirer's live requests for these customers, as the acquired partner
# sees them. Once a transfer is submitted its subscriptions leave the
# acquired partner's list, so the line items of a submitted request come
# from the request itself and the configuration stays stable.
data "partnercenter_transfers" "accepted" {
  provider = partnercenter.acquired

  customer_ids             = keys(local.customers)
  direction                = "outgoing"
  target_partner_tenant_id = var.acquirer_tenant_id
}

locals {
  live = {
    for t in data.partnercenter_transfers.accepted.transfers : lower(t.customer_id) => t
    if !contains(["Expired", "Canceled"], t.status)
  }
  submitted = {
    for customer, t in local.live : customer => {
      for id, item in t.line_items : lower(id) => { product_type = item.product_type }
    } if length(t.line_items) > 0
  }
}

# An apply killed half-way (SIGKILL, a lost CI runner) may have created or
# accepted requests it could not record. Each plan imports the acquirer's
# live request of a customer instead of creating a second one; for a
# request already in state this block does nothing.
import {
  for_each = local.live
  provider = partnercenter.acquirer
  to       = partnercenter_transfer.request[each.key]
  id       = "${each.key}/${each.value.id}"
}

resource "partnercenter_transfer" "request" {
  provider = partnercenter.acquirer
  for_each = local.customers

  customer_id              = each.key
  source_partner_tenant_id = var.acquired_tenant_id
  source_partner_name      = var.acquired_name
  customer_name            = each.value.customer_name
  customer_email           = each.value.customer_email
}

resource "partnercenter_transfer_acceptance" "accept" {
  provider = partnercenter.acquired
  for_each = local.customers

  customer_id         = each.key
  transfer_id         = partnercenter_transfer.request[each.key].id
  wait_for_completion = var.wait_for_completion

  line_items = lookup(local.submitted, each.key, {
    for s in data.partnercenter_customer_subscriptions.moving[each.key].subscriptions :
    lower(s.id) => { product_type = s.product_type }
  })
}
