output "request_ids" {
  description = "Transfer request ID per customer ID."
  value       = { for customer, t in partnercenter_transfer.request : customer => t.id }
}
