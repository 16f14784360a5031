// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// CreateTransfer creates a transfer request as the target (gaining)
// partner: POST /v1/customers/{customerID}/transfers.
func (c *Client) CreateTransfer(ctx context.Context, customerID string, req CreateTransferRequest) (*Transfer, error) {
	u, err := transfersURL(c, customerID)
	if err != nil {
		return nil, err
	}
	return c.transferCall(ctx, http.MethodPost, u, req)
}

// GetTransfer reads one transfer:
// GET /v1/customers/{customerID}/transfers/{transferID}. A missing
// transfer is an *APIError for which IsNotFound is true.
func (c *Client) GetTransfer(ctx context.Context, customerID, transferID string) (*Transfer, error) {
	u, err := transferURL(c, customerID, transferID)
	if err != nil {
		return nil, err
	}
	return c.transferCall(ctx, http.MethodGet, u, nil)
}

// SubmitTransfer accepts a transfer as the source (losing) partner with
// the items to move: PATCH /v1/customers/{customerID}/transfers/{transferID}.
func (c *Client) SubmitTransfer(ctx context.Context, customerID, transferID string, items []SubmitLineItem) (*Transfer, error) {
	u, err := transferURL(c, customerID, transferID)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []SubmitLineItem{} // "lineItems": [] rather than null
	}
	body := SubmitTransferRequest{ID: transferID, LineItems: items}
	return c.patchTransfer(ctx, u, customerID, transferID, body)
}

// CancelTransfer cancels a pending transfer as the target partner that
// created it: PATCH .../transfers/{req.ID} with status "Cancel" (set here,
// whatever req.Status holds).
func (c *Client) CancelTransfer(ctx context.Context, customerID string, req CancelTransferRequest) (*Transfer, error) {
	u, err := transferURL(c, customerID, req.ID)
	if err != nil {
		return nil, err
	}
	req.Status = StatusCancelRequest
	return c.patchTransfer(ctx, u, customerID, req.ID, req)
}

// patchTransfer sends a PATCH. The documentation does not say whether the
// new-commerce PATCH returns the entity, so an empty success body is
// followed by a GET to return the current transfer.
func (c *Client) patchTransfer(ctx context.Context, u *url.URL, customerID, transferID string, body any) (*Transfer, error) {
	t, err := c.transferCall(ctx, http.MethodPatch, u, body)
	if errors.Is(err, errEmptyBody) {
		return c.GetTransfer(ctx, customerID, transferID)
	}
	return t, err
}

// transferCall runs one call whose answer is a TransferEntity.
func (c *Client) transferCall(ctx context.Context, method string, u *url.URL, body any) (*Transfer, error) {
	var t Transfer
	err := c.call(ctx, method, u, body, nil, func(resp *http.Response) error {
		if err := decodeEntity(resp.Body, &t); err != nil {
			return fmt.Errorf("partnercenter: %s %s: %w", method, u.EscapedPath(), err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}
