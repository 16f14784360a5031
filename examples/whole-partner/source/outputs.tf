output "transfer_statuses" {
  description = "Status of each adopted transfer: transfer ID => status."
  value       = { for id, t in partnercenter_transfer.adopted : id => t.status }
}

output "customers_by_status" {
  description = "How many customers' transfers are in each status."
  value = {
    for status in distinct([for t in partnercenter_transfer.adopted : t.status]) :
    status => length([for t in partnercenter_transfer.adopted : t if t.status == status])
  }
}

output "failed_line_items" {
  description = "Failed line items: \"<customer>/<subscription>\" => Partner Center's error code and text."
  value = merge([
    for t in partnercenter_transfer.adopted : {
      for sub, item in t.line_items : "${t.customer_id}/${sub}" => {
        error_code    = item.error_code
        error_message = item.error_message
      } if item.status == "Failed"
    }
  ]...)
}
