# Adoption by discovery: the source (current, losing) partner finds the
# transfer requests a target partner sent for a customer, adopts them into
# Terraform with import blocks and submits the customer's eligible
# subscriptions, chosen from Partner Center's own list, all in one apply.

terraform {
  # import blocks with for_each need Terraform 1.7+ or OpenTofu 1.7+.
  required_version = ">= 1.7.0"

  required_providers {
    partnercenter = {
      source = "partnercenter-terraform/partnercenter"
    }
  }
}

# The source partner. Unset arguments fall back to the PARTNERCENTER_* and
# ARM_* environment variables.
provider "partnercenter" {
  tenant_id      = var.tenant_id
  client_id      = var.client_id
  client_secret  = var.client_secret
  endpoint       = var.endpoint
  authority_host = var.authority_host
}

# 1. Discover: every transfer of the customer in which this partner is the
#    source. The provider filters the list while reading it.
data "partnercenter_transfers" "outgoing" {
  customer_id = var.customer_id
  direction   = "outgoing"
}

locals {
  # The requests to adopt, by transfer ID: those of the chosen target
  # partner that were not cancelled or left to expire.
  #
  # Deliberately NOT a status = "Pending" filter: a transfer leaves Pending as
  # soon as it is submitted, so such a filter would drop it from this map on
  # the next plan and Terraform would plan to destroy it (forget it). Keeping
  # submitted, completed and failed transfers keeps the set stable.
  requests = {
    for t in data.partnercenter_transfers.outgoing.transfers : t.id => t
    if lower(t.target_partner_tenant_id) == lower(var.target_partner_tenant_id) &&
    !contains(["Expired", "Canceled"], t.status)
  }

  # What to submit to a pending request: every active subscription of the
  # chosen product types (add-ons move with their base, so they are not
  # listed), optionally narrowed to subscription_ids. Keys in lower case,
  # the form Partner Center uses.
  wanted_ids = var.subscription_ids == null ? null : [for id in var.subscription_ids : lower(id)]
  chosen_line_items = {
    for s in data.partnercenter_customer_subscriptions.eligible.subscriptions : lower(s.id) => {
      product_type = s.product_type
    } if local.wanted_ids == null ? true : contains(local.wanted_ids, lower(s.id))
  }
}

# The subscriptions this partner holds for the customer and may transfer.
# After the transfer completes they are the target's, so this list shrinks;
# a submitted request keeps its own line items below, so the plan stays empty.
data "partnercenter_customer_subscriptions" "eligible" {
  customer_id     = var.customer_id
  status          = "active"
  product_types   = var.product_types
  include_add_ons = false
}

# 2. Adopt: bring each request into state. Importing changes nothing on
#    Partner Center.
import {
  for_each = local.requests
  to       = partnercenter_transfer.adopted[each.key]
  id       = "${var.customer_id}/${each.key}"
}

# 3. Submit: configuring line_items on a pending request submits it; the
#    apply then waits until Partner Center finishes the transfer.
resource "partnercenter_transfer" "adopted" {
  for_each = local.requests

  customer_id = var.customer_id

  # A pending request gets the chosen subscriptions. A request that was
  # already submitted (by this configuration, or earlier by hand) keeps the
  # items it was submitted with: line items cannot change after submission,
  # and re-stating them keeps later plans empty.
  line_items = each.value.status == "Pending" ? local.chosen_line_items : {
    for id, item in each.value.line_items : lower(id) => { product_type = item.product_type }
  }
}
