# One provider configuration per partner organisation. This one
# authenticates as an Entra app registration with a client secret; the
# secret is read from PARTNERCENTER_CLIENT_SECRET (or ARM_CLIENT_SECRET) so
# it never appears in configuration files.
provider "partnercenter" {
  tenant_id = "b2b2b2b2-0000-4000-8000-000000000002" # the partner's tenant
  client_id = "b2b2b2b2-0000-4000-8000-0000000000b2" # the app registration

  # Choose exactly one credential method instead of the client secret:
  #
  #   client_certificate_path = "partner-center-app.pfx"  # password: PARTNERCENTER_CLIENT_CERTIFICATE_PASSWORD
  #   use_oidc                = true                       # GitHub Actions and other workload identity federation
  #   use_msi                 = true                       # managed identity of the machine running Terraform
  #   use_cli                 = true                       # the signed-in Azure CLI account (az login)
  #
  # or a pre-acquired token in PARTNERCENTER_ACCESS_TOKEN. Every argument
  # can also come from its PARTNERCENTER_* or ARM_* environment variable.
}

# When one configuration acts for both partners, give each an alias and
# pick it with `provider = partnercenter.source` in resources and data sources.
provider "partnercenter" {
  alias     = "source"
  tenant_id = "a1a1a1a1-0000-4000-8000-000000000001"
  client_id = "a1a1a1a1-0000-4000-8000-0000000000a1"
  # Explicit arguments win over environment variables; pass this partner's
  # secret through a sensitive variable.
  client_secret = var.source_client_secret
}

variable "source_client_secret" {
  type      = string
  sensitive = true
}
