# What the request is about. `make demo` passes the emulator's example seed
# (examples/emulator/seed.json) as TF_VAR_* environment variables.

variable "customer_id" {
  description = "The customer's Microsoft Entra tenant ID (GUID)."
  type        = string
}

variable "source_partner_tenant_id" {
  description = "Tenant ID (GUID) of the source partner that currently sells the customer's subscriptions."
  type        = string
}

variable "source_partner_name" {
  description = "Organisation name of the source partner."
  type        = string
}

variable "customer_email" {
  description = "E-mail address of the customer contact who receives the transfer notifications."
  type        = string
}

variable "customer_name" {
  description = "Customer display name."
  type        = string
  default     = null
}

# The target partner's credentials. Leave them null to use the PARTNERCENTER_*
# (or ARM_*) environment variables instead.

variable "tenant_id" {
  description = "The target partner's Microsoft Entra tenant ID (GUID)."
  type        = string
  default     = null
}

variable "client_id" {
  description = "Application (client) ID of the target partner's app registration."
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
