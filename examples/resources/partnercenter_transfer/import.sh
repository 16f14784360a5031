# A transfer is imported by "<customer_id>/<transfer_id>", as either partner.
terraform import partnercenter_transfer.example c3c3c3c3-0000-4000-8000-000000000003/2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11
