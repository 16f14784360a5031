# The subscriptions the configured partner holds for a customer (one request).
data "partnercenter_customer_subscriptions" "northwind" {
  customer_id = "c3c3c3c3-0000-4000-8000-000000000003"
}

# What a source partner can put in a transfer: active new-commerce licenses,
# base subscriptions only (add-ons move with their base).
data "partnercenter_customer_subscriptions" "transferable" {
  customer_id     = "c3c3c3c3-0000-4000-8000-000000000003"
  status          = "active"
  product_types   = ["OnlineServicesNCE"]
  include_add_ons = false
}

locals {
  # Ready to use as a partnercenter_transfer's line_items.
  line_items = {
    for s in data.partnercenter_customer_subscriptions.transferable.subscriptions :
    lower(s.id) => { product_type = s.product_type }
  }
}

output "seats_to_move" {
  value = sum(concat([0], [for s in data.partnercenter_customer_subscriptions.transferable.subscriptions : s.quantity]))
}
