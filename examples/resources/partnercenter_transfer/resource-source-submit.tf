# The source (current, losing) partner adopts the target partner's request
# with an import block and submits the subscriptions to move. The apply
# waits until Partner Center reports Complete (or Failed, per line item).
import {
  to = partnercenter_transfer.from_fabrikam
  id = "c3c3c3c3-0000-4000-8000-000000000003/2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11" # <customer_id>/<transfer_id>
}

resource "partnercenter_transfer" "from_fabrikam" {
  customer_id = "c3c3c3c3-0000-4000-8000-000000000003"

  # Keyed by subscription ID. Setting line_items on a Pending request submits
  # it; they cannot change afterwards.
  line_items = {
    "d4d4d4d4-0000-4000-8000-000000000001" = { product_type = "OnlineServicesNCE" }
    "d4d4d4d4-0000-4000-8000-000000000002" = { product_type = "OnlineServicesNCE" }
  }

  # Completion usually takes minutes but may take up to 72 hours. A wait cut
  # short by this timeout is resumed by the next apply; set
  # wait_for_completion = false to return as soon as the transfer is InProgress.
  timeouts = {
    update = "4h"
  }
}
