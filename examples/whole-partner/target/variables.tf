variable "customers_csv" {
  description = "Path of the migration CSV: columns customer_id, customer_name, customer_email, batch."
  type        = string
  default     = "customers.csv"
}

variable "batch" {
  description = "Apply only the CSV rows of this batch (null: every row). Lets thousands of customers go in slices."
  type        = string
  default     = null
}

variable "source_partner_tenant_id" {
  description = "Tenant ID (GUID) of the source partner whose customers move."
  type        = string
}

variable "source_partner_name" {
  description = "Organisation name of the source partner."
  type        = string
}

# The target partner's credentials. Leave them null to use the
# PARTNERCENTER_* environment variables.

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
