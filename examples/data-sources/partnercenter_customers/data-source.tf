# Every customer of the configured partner (500 per request).
data "partnercenter_customers" "all" {}

# Only some of them: prefixes are matched case-insensitively while the
# pages stream.
data "partnercenter_customers" "northwind" {
  company_name_prefix = "Northwind"
  domain_prefix       = "northwind"
}

output "customer_count" {
  value = length(data.partnercenter_customers.all.ids)
}
