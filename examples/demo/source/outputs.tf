output "transfer_statuses" {
  description = "Status of each adopted transfer, by transfer ID."
  value       = { for id, t in partnercenter_transfer.adopted : id => t.status }
}

output "line_item_statuses" {
  description = "Status of each transferred subscription: transfer ID => subscription ID => status."
  value = {
    for id, t in partnercenter_transfer.adopted : id => { for sub, item in t.line_items : sub => item.status }
  }
}

output "completed_times" {
  description = "When each adopted transfer completed (null while it is in progress)."
  value       = { for id, t in partnercenter_transfer.adopted : id => t.completed_time }
}
