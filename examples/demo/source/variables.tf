# What to accept and submit. `make demo` passes the emulator's example seed
# (examples/emulator/seed.json) as TF_VAR_* environment variables.

variable "customer_id" {
  description = "The customer's Microsoft Entra tenant ID (GUID)."
  type        = string
}

variable "target_partner_tenant_id" {
  description = "Tenant ID (GUID) of the target partner whose requests to accept; requests of other partners are left alone."
  type        = string
}

variable "subscriptions" {
  description = "Subscriptions to transfer: subscription ID => product type (OnlineServicesNCE for license-based subscriptions, AzureSubscription, AzureReservation, ...)."
  type        = map(string)
}

# The source partner's credentials. Leave them null to use the PARTNERCENTER_*
# (or ARM_*) environment variables instead.

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

# Only for the local emulator; null means the real Partner Center and
# Microsoft Entra ID.

variable "endpoint" {
  description = "Partner Center API base URL override, e.g. the emulator's https://127.0.0.1:PORT."
  type        = string
  default     = null
}

variable "authority_host" {
  description = "Microsoft Entra authority override, e.g. the emulator's https://127.0.0.1:PORT/."
  type        = string
  default     = null
}
