# The event names Partner Center offers this partner for webhook registration.
data "partnercenter_webhook_events" "offered" {}

# Register for every transfer event the service offers.
resource "partnercenter_webhook_registration" "transfers" {
  url    = "https://hooks.fabrikam.example/partnercenter"
  events = data.partnercenter_webhook_events.offered.transfer_events
}

output "all_event_names" {
  value = data.partnercenter_webhook_events.offered.events
}
