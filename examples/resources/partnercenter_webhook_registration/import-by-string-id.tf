# Take over the partner's existing webhook registration (there is one per
# partner). The next apply changes it to match the resource's url and events.
import {
  to = partnercenter_webhook_registration.transfers
  id = "webhook-registration"
}
