# Demo: the target partner registers for transfer notifications, so the
# events of this transfer arrive at its receiver as the transfer moves.

variable "webhook_url" {
  description = "URL Partner Center POSTs transfer notifications to, e.g. the one partnercenter-webhook-receiver prints. Null: no webhook."
  type        = string
  default     = null
}

resource "partnercenter_webhook_registration" "transfers" {
  count = var.webhook_url == null ? 0 : 1

  url    = var.webhook_url
  events = ["create-transfer", "update-transfer", "complete-transfer", "fail-transfer"]
}
