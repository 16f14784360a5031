# Partner Center POSTs a signed notification to this URL whenever one of the
# partner's transfers changes. A partner has exactly one registration.
resource "partnercenter_webhook_registration" "transfers" {
  url = "https://hooks.fabrikam.example/partnercenter"

  # Every step of a transfer: requested, submitted (or canceled, expired),
  # completed, failed.
  events = [
    "create-transfer",
    "update-transfer",
    "complete-transfer",
    "fail-transfer",
  ]
}

# Register the webhook before the transfer request, so the receiver also gets
# its create-transfer notification.
resource "partnercenter_transfer" "northwind" {
  customer_id              = "c3c3c3c3-0000-4000-8000-000000000003"
  source_partner_tenant_id = "a1a1a1a1-0000-4000-8000-000000000001"
  source_partner_name      = "Contoso Old Partner"
  customer_email           = "it-admin@northwind.example"

  depends_on = [partnercenter_webhook_registration.transfers]
}
