# "<customer_id>/<transfer_id>". The source partner adopts a request this way
# before submitting it; see the resource example above.
import {
  to = partnercenter_transfer.example
  id = "c3c3c3c3-0000-4000-8000-000000000003/2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11"
}
