# What happened to my transfer? Three views of one transfer, read together:
# the transfer itself (status and per-item statuses), the activity log
# (who changed it, when, from which application) and, when a webhook
# notification arrived, the exact change it announced.
#
#   terraform apply -var transfer_id=<the transfer's id>
#
# The customer default is the emulator's example customer.

terraform {
  required_version = ">= 1.7.0"

  required_providers {
    partnercenter = {
      source = "partnercenter-terraform/partnercenter"
    }
  }
}

variable "customer_id" {
  type        = string
  description = "The customer's Microsoft Entra tenant ID."
  default     = "c3c3c3c3-0000-4000-8000-000000000003"
}

variable "transfer_id" {
  type        = string
  description = "The transfer to explain (its id, as partnercenter_transfers or the webhook notification shows it)."
}

variable "audit_uri" {
  type        = string
  description = "Optional: the AuditUri of a webhook notification about the transfer."
  default     = ""
}

variable "days" {
  type        = number
  description = "How many days of activity to read (Partner Center keeps 90)."
  default     = 30
}

# 1. The transfer now: overall status and each line item's status and error.
data "partnercenter_transfer" "this" {
  customer_id = var.customer_id
  id          = var.transfer_id
}

# 2. The activity log of the customer's transfers.
data "partnercenter_audit_records" "trail" {
  start_date  = formatdate("YYYY-MM-DD", timeadd(plantimestamp(), "-${var.days * 24}h"))
  customer_id = var.customer_id
}

locals {
  # Only this transfer's records, oldest first.
  history = [for r in data.partnercenter_audit_records.trail.records : r if r.transfer_id == var.transfer_id]
  # A webhook AuditUri ends with the id of the record it announces.
  notified_id = var.audit_uri == "" ? "" : element(split("/", var.audit_uri), length(split("/", var.audit_uri)) - 1)
}

output "status" {
  value = data.partnercenter_transfer.this.status
}

output "timeline" {
  description = "Each change: when, what, the status after it, and which application made it."
  value = [
    for r in local.history :
    "${r.operation_date} ${r.operation_type} -> ${r.transfer_status} by ${r.application_id}${r.user_principal_name == "" ? "" : " (${r.user_principal_name})"}"
  ]
}

output "line_items" {
  description = "Per subscription: its status and, if it failed, why."
  value = {
    for id, item in data.partnercenter_transfer.this.line_items :
    id => item.error_message == null || item.error_message == "" ? item.status : "${item.status}: ${item.error_message}"
  }
}

output "notified_change" {
  description = "The change the webhook notification announced, or null."
  value = one([
    for r in local.history : "${r.operation_date} ${r.operation_type} -> ${r.transfer_status}" if r.id == local.notified_id
  ])
}
