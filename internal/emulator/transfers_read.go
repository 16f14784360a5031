// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"strconv"
)

// continuationHeader carries the paging token, as in other Partner Center
// collections.
const continuationHeader = "MS-ContinuationToken"

// maxQueryPageSize caps the optional ?size= query parameter.
const maxQueryPageSize = 1000

// pathIDs validates the customer and transfer ids of an item route.
func pathIDs(req *apiRequest) (customerID, transferID string, bad *apiResponse) {
	customerID, ok := canonicalGUID(req.params["customerId"])
	if !ok {
		res := errInvalidInput("The customer id %q in the path is not a GUID.", truncate(req.params["customerId"]))
		return "", "", &res
	}
	transferID, ok = canonicalGUID(req.params["transferId"])
	if !ok {
		res := errInvalidInput("The transfer id %q in the path is not a GUID.", truncate(req.params["transferId"]))
		return "", "", &res
	}
	return customerID, transferID, nil
}

// visibleTransferLocked finds a transfer the caller is a party to. Any other
// case is the same 404, so outsiders learn nothing about what exists.
func (e *Emulator) visibleTransferLocked(customerID, transferID, partner string) *transferRecord {
	rec := e.w.transferByID[transferID]
	if rec == nil || rec.CustomerTenantID != customerID || !rec.visibleTo(partner) {
		return nil
	}
	return rec
}

// handleGet is GET /v1/customers/{c}/transfers/{t}.
func (e *Emulator) handleGet(req *apiRequest) apiResponse {
	customerID, transferID, bad := pathIDs(req)
	if bad != nil {
		return *bad
	}
	e.lock()
	defer e.unlock()
	rec := e.visibleTransferLocked(customerID, transferID, req.partner)
	if rec == nil {
		return errTransferNotFound(transferID)
	}
	return jsonResponse(http.StatusOK, e.transferBody(rec, req.partner))
}

// wireCollection is the paged list shape.
type wireCollection struct {
	TotalCount int        `json:"totalCount"`
	Items      []any      `json:"items"`
	Links      Links      `json:"links"`
	Attributes Attributes `json:"attributes"`
}

// continuationToken is opaque to clients; it names the last record of the
// previous page (seek-based, so pages stay correct while transfers are
// added) and whose list it belongs to.
type continuationToken struct {
	Epoch    int64  `json:"e"`
	Customer string `json:"c"`
	Partner  string `json:"p"`
	AfterSeq int64  `json:"s"`
	Size     int    `json:"n"`
}

func decodeContinuationToken(s string) (continuationToken, bool) {
	var t continuationToken
	if !decodePageToken(s, &t) || t.AfterSeq < 0 || t.Size < 0 {
		return continuationToken{}, false
	}
	return t, true
}

// handleList is GET /v1/customers/{c}/transfers: the caller's transfers
// (as source or target) of the customer, oldest first.
func (e *Emulator) handleList(req *apiRequest) apiResponse {
	customerID, ok := canonicalGUID(req.params["customerId"])
	if !ok {
		return errInvalidInput("The customer id %q in the path is not a GUID.", truncate(req.params["customerId"]))
	}
	size := e.opts.PageSize
	if q := req.r.URL.Query().Get("size"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > maxQueryPageSize {
			return errInvalidInput("The size query parameter must be an integer from 1 to %d.", maxQueryPageSize)
		}
		size = n
	}
	tokenText := req.r.Header.Get(continuationHeader)

	e.lock()
	defer e.unlock()
	customer := e.w.customers[customerID]
	list := e.w.partnerTransfers(customerID, req.partner)
	if len(list) == 0 && (customer == nil || !customer.related[req.partner]) {
		return errNoRelationship(customerID)
	}
	if e.opts.ListShape == ListShapeArray {
		items := make([]any, 0, len(list))
		for _, rec := range list {
			items = append(items, e.transferBody(rec, req.partner))
		}
		e.listScanned += int64(len(list))
		return jsonResponse(http.StatusOK, items)
	}
	token := continuationToken{Epoch: e.listEpoch, Customer: customerID, Partner: req.partner, Size: size}
	if tokenText != "" {
		t, ok := decodeContinuationToken(tokenText)
		if !ok || t.Epoch != e.listEpoch || t.Customer != customerID || t.Partner != req.partner {
			return errInvalidInput("The %s header is not a valid continuation token for this list.", continuationHeader)
		}
		token.AfterSeq = t.AfterSeq
		if t.Size > 0 && req.r.URL.Query().Get("size") == "" {
			token.Size = t.Size
		}
	}
	page, more := transfersAfter(list, token.AfterSeq, token.Size)
	e.listScanned += int64(len(page))
	coll := wireCollection{
		TotalCount: len(page),
		Items:      make([]any, 0, len(page)),
		Links: Links{Self: &Link{
			URI: "/customers/" + customerID + "/transfers", Method: http.MethodGet, Headers: []Participant{},
		}},
		Attributes: Attributes{ObjectType: "Collection"},
	}
	for _, rec := range page {
		coll.Items = append(coll.Items, e.transferBody(rec, req.partner))
	}
	if more {
		token.AfterSeq = page[len(page)-1].Seq
		coll.Links.Next = &Link{
			URI:     "/v1/customers/" + customerID + "/transfers?seekOperation=Next",
			Method:  http.MethodGet,
			Headers: []Participant{{Key: continuationHeader, Value: encodePageToken(token)}},
		}
	}
	return jsonResponse(http.StatusOK, e.collectionBody(coll))
}
