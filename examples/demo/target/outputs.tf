# Only a value that never changes after creation: the target partner's plan
# must stay empty after the source partner submits the request, and the
# status does change. `terraform state show partnercenter_transfer.northwind`
# shows the status.
output "transfer_id" {
  description = "ID of the transfer request. The source partner needs it (or discovers it with data.partnercenter_transfers) to submit the request."
  value       = partnercenter_transfer.northwind.id
}
