# The target (gaining) partner asks the source partner to transfer the
# customer's subscriptions. The request stays Pending until the source
# partner submits it, and expires after 30 days.
resource "partnercenter_transfer" "northwind" {
  customer_id              = "c3c3c3c3-0000-4000-8000-000000000003"
  source_partner_tenant_id = "a1a1a1a1-0000-4000-8000-000000000001"
  source_partner_name      = "Contoso Old Partner"
  customer_email           = "it-admin@northwind.example"
  customer_name            = "Northwind Traders"

  # Optional: limit what the source partner may include (default: all kinds).
  target_product_types = ["OnlineServicesNCE", "AzureSubscription"]
}

# The source partner needs the ID (or finds it with data.partnercenter_transfers).
output "transfer_id" {
  value = partnercenter_transfer.northwind.id
}
