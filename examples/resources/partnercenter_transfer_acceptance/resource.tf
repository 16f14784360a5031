# The source (losing) partner accepts every transfer request a target
# partner sent for these customers, without import blocks: each request
# found is accepted with the customer's active new-commerce subscriptions
# (add-ons follow their base subscription).
locals {
  customer_ids = ["c3c3c3c3-0000-4000-8000-000000000003"]
}

data "partnercenter_transfers" "requests" {
  customer_ids = local.customer_ids
  direction    = "outgoing"
}

locals {
  # Pending requests, and the ones already accepted: keeping those keeps
  # the next plan empty (an accepted request is no longer Pending).
  requests = {
    for t in data.partnercenter_transfers.requests.transfers : t.id => t
    if !contains(["Expired", "Canceled"], t.status)
  }
}

data "partnercenter_customer_subscriptions" "eligible" {
  for_each = { for id, t in local.requests : id => t if t.status == "Pending" }

  customer_id     = each.value.customer_id
  status          = "active"
  product_types   = ["OnlineServicesNCE"]
  include_add_ons = false
}

resource "partnercenter_transfer_acceptance" "this" {
  for_each = local.requests

  customer_id = each.value.customer_id
  transfer_id = each.key

  # What a Pending request will move; for an accepted one, what it moved.
  line_items = each.value.status == "Pending" ? {
    for s in data.partnercenter_customer_subscriptions.eligible[each.key].subscriptions :
    lower(s.id) => { product_type = s.product_type }
    } : {
    for id, item in each.value.line_items : lower(id) => { product_type = item.product_type }
  }
}
