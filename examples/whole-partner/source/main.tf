# Whole-partner migration, source (losing) partner: discover every request
# the target partner sent across all customers, adopt them with one import
# block, and submit each customer's eligible subscriptions.

terraform {
  # import blocks with for_each need Terraform 1.7+ or OpenTofu 1.7+.
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

# 1. Discover: every customer is scanned (customer_ids = null), or one batch.
data "partnercenter_transfers" "outgoing" {
  customer_ids             = var.customer_ids
  direction                = "outgoing"
  target_partner_tenant_id = var.target_partner_tenant_id
}

locals {
  # The target partner's requests that can still be (or were) submitted.
  # Not a Pending filter: a submitted request must stay in the set, or the
  # next plan would forget it.
  requests = {
    for t in data.partnercenter_transfers.outgoing.transfers : t.id => t
    if !contains(["Expired", "Canceled"], t.status)
  }
  pending_customers = toset([for t in local.requests : lower(t.customer_id) if t.status == "Pending"])
}

# 2. Choose: each customer with a pending request moves its active
#    subscriptions of product_types (add-ons follow their base).
data "partnercenter_customer_subscriptions" "eligible" {
  for_each = local.pending_customers

  customer_id     = each.key
  status          = "active"
  product_types   = var.product_types
  include_add_ons = false
}

# 3. Adopt every request with one import block.
import {
  for_each = local.requests
  to       = partnercenter_transfer.adopted[each.key]
  id       = "${each.value.customer_id}/${each.key}"
}

# 4. Submit. wait_for_completion = false returns as soon as Partner Center
#    accepted each submit; a later `terraform apply -refresh-only` shows the
#    final statuses.
resource "partnercenter_transfer" "adopted" {
  for_each = local.requests

  customer_id         = each.value.customer_id
  wait_for_completion = var.wait_for_completion

  line_items = each.value.status == "Pending" ? {
    for s in data.partnercenter_customer_subscriptions.eligible[lower(each.value.customer_id)].subscriptions :
    lower(s.id) => { product_type = s.product_type }
    } : {
    for id, item in each.value.line_items : lower(id) => { product_type = item.product_type }
  }
}
