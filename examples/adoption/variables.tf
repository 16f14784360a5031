variable "customer_id" {
  description = "The customer's Microsoft Entra tenant ID (GUID) whose subscriptions move."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.customer_id))
    error_message = "customer_id must be a GUID such as 11111111-2222-3333-4444-555555555555."
  }
}

variable "target_partner_tenant_id" {
  description = "Tenant ID (GUID) of the target (gaining) partner whose transfer requests to accept. Requests from any other partner are left alone."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.target_partner_tenant_id))
    error_message = "target_partner_tenant_id must be a GUID."
  }
}

variable "product_types" {
  description = "Transfer product types to move: every active subscription of these types is submitted. Default: new-commerce licenses and Azure plans."
  type        = set(string)
  default     = ["OnlineServicesNCE", "AzureSubscription"]

  validation {
    condition = alltrue([
      for product_type in var.product_types :
      contains(["AzureSubscription", "AzureReservation", "AzureSavingsPlan", "OnlineServicesNCE", "Software", "SaaS"], product_type)
    ])
    error_message = "Each product type must be one of AzureSubscription, AzureReservation, AzureSavingsPlan, OnlineServicesNCE, Software or SaaS."
  }
}

variable "subscription_ids" {
  description = "Optional: submit only these subscription IDs (GUIDs) among the eligible ones. Null submits every eligible subscription."
  type        = set(string)
  default     = null
}

# Provider configuration of the source partner. Leave any of them null to use
# the environment variables instead (PARTNERCENTER_TENANT_ID,
# PARTNERCENTER_CLIENT_ID, PARTNERCENTER_CLIENT_SECRET, ...).

variable "tenant_id" {
  description = "The source partner's Microsoft Entra tenant ID (GUID)."
  type        = string
  default     = null
}

variable "client_id" {
  description = "Application (client) ID of the source partner's Entra app registration."
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
  description = "Partner Center API base URL override; only for the local emulator (null means the real Partner Center)."
  type        = string
  default     = null
}

variable "authority_host" {
  description = "Microsoft Entra authority override; only for the local emulator (null means Microsoft Entra ID)."
  type        = string
  default     = null
}
