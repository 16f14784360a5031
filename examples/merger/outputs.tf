output "transfers" {
  description = "Per customer ID: the request and its status."
  value = {
    for customer, a in partnercenter_transfer_acceptance.accept : customer => {
      transfer_id = a.transfer_id
      status      = a.status
      moved       = length(a.line_items)
    }
  }
}
