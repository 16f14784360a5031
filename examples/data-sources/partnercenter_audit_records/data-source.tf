# The configured partner's transfer activity of one customer over the last
# 30 days: who created, submitted or canceled which transfer, and when
# Partner Center completed, failed or expired it.
data "partnercenter_audit_records" "transfers" {
  start_date  = formatdate("YYYY-MM-DD", timeadd(plantimestamp(), "-720h"))
  customer_id = "11111111-1111-1111-1111-111111111111"
}

output "transfer_activity" {
  value = [
    for r in data.partnercenter_audit_records.transfers.records :
    "${r.operation_date} ${r.transfer_id} ${r.operation_type} -> ${r.transfer_status} (application ${r.application_id})"
  ]
}
