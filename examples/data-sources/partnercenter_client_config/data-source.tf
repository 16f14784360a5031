# Who the provider is signed in as.
data "partnercenter_client_config" "current" {}

# A configuration written for one partner says so when it runs with the
# other partner's credentials (Terraform 1.5+ check block: a warning).
check "signed_in_as_the_target_partner" {
  assert {
    condition     = data.partnercenter_client_config.current.tenant_id == "b2b2b2b2-0000-4000-8000-000000000002"
    error_message = "These credentials are partner ${data.partnercenter_client_config.current.tenant_id}'s, not Fabrikam New Partner's."
  }
}

output "signed_in_as" {
  value = "${data.partnercenter_client_config.current.partner_name} (tenant ${data.partnercenter_client_config.current.tenant_id}, MPN ID ${coalesce(data.partnercenter_client_config.current.mpn_id, "unknown")})"
}
