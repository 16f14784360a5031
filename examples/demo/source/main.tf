# Demo, step 2: the SOURCE (current, losing) partner, Contoso, finds the
# request Fabrikam sent (../target), adopts it into Terraform with an import
# block and submits the subscriptions to move. The apply waits until Partner
# Center reports the transfer Complete. `make demo` runs this against the
# local emulator.

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

# Discover: the customer's transfers in which this partner is the source.
data "partnercenter_transfers" "outgoing" {
  customer_id = var.customer_id
  direction   = "outgoing"
}

locals {
  # The requests of the target partner, by transfer ID. Not filtered on
  # status = "Pending": a submitted transfer becomes InProgress, then
  # Complete, and must stay in this map or the next plan would drop it.
  # Expired and cancelled requests can no longer be submitted.
  requests = {
    for t in data.partnercenter_transfers.outgoing.transfers : t.id => t
    if lower(t.target_partner_tenant_id) == lower(var.target_partner_tenant_id) &&
    !contains(["Expired", "Canceled"], t.status)
  }

  # What to submit, keyed in lower case as Partner Center returns the IDs.
  chosen_line_items = {
    for id, product_type in var.subscriptions : lower(id) => { product_type = product_type }
  }
}

# Adopt: bring each request into state. Importing changes nothing on
# Partner Center.
import {
  for_each = local.requests
  to       = partnercenter_transfer.adopted[each.key]
  id       = "${var.customer_id}/${each.key}"
}

# Submit: line_items on a Pending request submits it, then the apply waits
# for completion (wait_for_completion defaults to true).
resource "partnercenter_transfer" "adopted" {
  for_each = local.requests

  customer_id = var.customer_id

  # A request submitted earlier keeps the items it was submitted with:
  # Partner Center does not allow changing them.
  line_items = each.value.status == "Pending" ? local.chosen_line_items : {
    for id, item in each.value.line_items : lower(id) => { product_type = item.product_type }
  }

  timeouts = {
    update = "30m"
  }
}
