# A partner has exactly one webhook registration, so its import ID is always
# "webhook-registration"; the provider configuration selects the partner.
terraform import partnercenter_webhook_registration.transfers webhook-registration
