variable "customers_csv" {
  description = "Path of the migration CSV: columns customer_id, customer_name, customer_email, wave."
  type        = string
  default     = "customers.csv"
}

variable "wave" {
  description = "Apply only the CSV rows of this wave (null: every row)."
  type        = string
  default     = null
}

variable "acquired_name" {
  description = "Organisation name of the acquired (source) partner, shown to customers in the request."
  type        = string
}

variable "wait_for_completion" {
  description = "Whether the apply waits until each transfer is Complete (false: until Partner Center accepted each submit)."
  type        = bool
  default     = true
}

# Both partners: app registrations with admin agent rights.

variable "acquirer_tenant_id" {
  description = "Tenant ID (GUID) of the acquiring (target) partner."
  type        = string
}

variable "acquirer_client_id" {
  description = "Application (client) ID of the acquiring (target) partner's app registration."
  type        = string
}

variable "acquirer_client_secret" {
  description = "Client secret of that app registration."
  type        = string
  default     = null
  sensitive   = true
}

variable "acquired_tenant_id" {
  description = "Tenant ID (GUID) of the acquired (source) partner."
  type        = string
}

variable "acquired_client_id" {
  description = "Application (client) ID of the acquired (source) partner's app registration."
  type        = string
}

variable "acquired_client_secret" {
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
