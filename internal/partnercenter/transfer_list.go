// SPDX-License-Identifier: MPL-2.0

package partnercenter

import "context"

// ListTransfers streams every transfer of the customer, page by page,
// calling each for every item: GET /v1/customers/{customerID}/transfers.
// It accepts a bare JSON array and the {totalCount, items, links.next}
// collection; links.next is followed with its MS-ContinuationToken header
// and its path and query. Each page is decoded straight from the response
// body, one item at a time. An error from each stops the listing and is
// returned as is.
func (c *Client) ListTransfers(ctx context.Context, customerID string, each func(Transfer) error) error {
	u, err := transfersURL(c, customerID)
	if err != nil {
		return err
	}
	return streamCollection(ctx, c, u, "transfer list", each)
}
