// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"net/http"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// codeTransferNotFound is Partner Center's documented "transfer request
// not found" (HTTP 404).
const codeTransferNotFound = "900100"

// IsGone reports Partner Center's documented answer for a transfer that
// does not exist: HTTP 404 with code 900100. Any other 404 (a wrong
// endpoint path, a gateway) proves nothing about the transfer.
func IsGone(err error) bool {
	apiErr, ok := partnercenter.AsAPIError(err)
	return ok && apiErr.StatusCode == http.StatusNotFound && apiErr.Code == codeTransferNotFound
}

// Get returns the transfer. A transfer that is gone is an error for
// which IsGone is true; every other failure (another 404, 401, 403) is an
// error that says nothing about whether the transfer exists.
func (s *Service) Get(ctx context.Context, customerID, transferID string) (*Transfer, error) {
	t, err := s.client.GetTransfer(ctx, customerID, transferID)
	if err != nil {
		return nil, err
	}
	return Wrap(t), nil
}
