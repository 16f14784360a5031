# Every transfer of the customer that this partner is the source or target of.
data "partnercenter_transfers" "all" {
  customer_id = "11111111-1111-1111-1111-111111111111"
}

# As the source partner: the requests a target partner sent that still wait
# for submission. The filters are applied by the provider while it reads the
# list; the Partner Center API itself has no filter parameters.
data "partnercenter_transfers" "waiting" {
  customer_id = "11111111-1111-1111-1111-111111111111"
  direction   = "outgoing"
  status      = "Pending"
}

# As the target partner: the requests sent to one source partner.
data "partnercenter_transfers" "to_contoso" {
  customer_id              = "11111111-1111-1111-1111-111111111111"
  direction                = "incoming"
  source_partner_tenant_id = "22222222-2222-2222-2222-222222222222"
}

output "waiting_transfer_ids" {
  value = data.partnercenter_transfers.waiting.ids
}

output "statuses" {
  value = { for t in data.partnercenter_transfers.all.transfers : t.id => t.status }
}
