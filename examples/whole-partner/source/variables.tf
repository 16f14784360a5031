variable "target_partner_tenant_id" {
  description = "Tenant ID (GUID) of the target partner whose requests to accept."
  type        = string
}

variable "customer_ids" {
  description = "Scan only these customers (one batch); null scans every customer of the partner."
  type        = set(string)
  default     = null
}

variable "product_types" {
  description = "Transfer product types to move for every customer."
  type        = set(string)
  default     = ["OnlineServicesNCE", "AzureSubscription"]
}

variable "wait_for_completion" {
  description = "Whether each submit waits until Partner Center finishes the transfer. false: refresh later to see the outcome."
  type        = bool
  default     = true
}

variable "tenant_id" {
  description = "The source partner's Microsoft Entra tenant ID (GUID)."
  type        = string
  default     = null
}

variable "client_id" {
  description = "Application (client) ID of the source partner's app registration."
  type        = string
  default     = null
}

variable "client_secret" {
  description = "Client secret of that app registration."
  type        = string
  default     = null
  sensitive   = true
}

variable "endpoint" {
  description = "Partner Center API base URL override; only for the local emulator."
  type        = string
  default     = null
}

variable "authority_host" {
  description = "Microsoft Entra authority override; only for the local emulator."
  type        = string
  default     = null
}
