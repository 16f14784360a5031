output "transfer_statuses" {
  description = "Status of each adopted transfer, by transfer ID: InProgress, Complete or Failed once submitted."
  value       = { for id, t in partnercenter_transfer.adopted : id => t.status }
}

output "line_item_statuses" {
  description = "Status of each line item of each adopted transfer: transfer ID => subscription ID => status."
  value = {
    for id, t in partnercenter_transfer.adopted : id => { for sub, item in t.line_items : sub => item.status }
  }
}

output "failed_line_items" {
  description = "Line items that failed to transfer, with Partner Center's error code and text; empty when everything moved."
  value = merge([
    for id, t in partnercenter_transfer.adopted : {
      for sub, item in t.line_items : "${id}/${sub}" => {
        error_code    = item.error_code
        error_message = item.error_message
      } if item.status == "Failed"
    }
  ]...)
}
