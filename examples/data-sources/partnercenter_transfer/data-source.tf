# One transfer, as the configured partner sees it.
data "partnercenter_transfer" "request" {
  customer_id = "11111111-1111-1111-1111-111111111111"
  id          = "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11"
}

output "transfer_status" {
  value = data.partnercenter_transfer.request.status
}

# Per-item status, keyed by subscription ID, once the source partner has
# submitted the transfer.
output "line_item_statuses" {
  value = { for id, item in data.partnercenter_transfer.request.line_items : id => item.status }
}
