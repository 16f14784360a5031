// SPDX-License-Identifier: MPL-2.0

// Package transfers is the lifecycle of a partner-to-partner transfer,
// over the Partner Center client and free of Terraform types: who may
// submit or cancel, which states are final, and the operations Create,
// Submit, Cancel, Wait and Read.
//
// Every write is exactly once whatever the service does with a repeated
// MS-RequestId (replays the first answer, refuses it with 409, or
// processes it again): after an attempt whose outcome is unknown the
// service is asked what happened before anything is sent again. The
// MS-RequestId is still reused on every re-send, as Microsoft asks.
package transfers
