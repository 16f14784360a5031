// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

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
	if each == nil {
		return errors.New("partnercenter: ListTransfers needs a callback")
	}

	var header http.Header
	seen := map[string]bool{}
	for {
		// A server that hands out the same link twice would loop forever.
		key := u.String() + "\x00" + header.Get(headerContinuationToken)
		if seen[key] {
			return fmt.Errorf("partnercenter: GET %s: next-page link repeats an earlier page", u.EscapedPath())
		}
		seen[key] = true

		next, err := c.listPage(ctx, u, header, each)
		if err != nil {
			return err
		}
		if next == nil {
			return nil
		}
		token := continuationToken(next)
		if strings.TrimSpace(next.URI) == "" && token == "" {
			return nil
		}
		if u, err = c.nextPageURL(u, next.URI); err != nil {
			return err
		}
		header = http.Header{}
		if token != "" {
			header.Set(headerContinuationToken, token)
		}
	}
}

// listPage fetches one page and streams its items into each.
func (c *Client) listPage(ctx context.Context, u *url.URL, header http.Header, each func(Transfer) error) (*Link, error) {
	var next *Link
	err := c.call(ctx, http.MethodGet, u, nil, header, func(resp *http.Response) error {
		var err error
		next, err = decodeTransferPage(resp.Body, each)
		var stopped *callbackError
		if errors.As(err, &stopped) {
			return stopped.err
		}
		if err != nil {
			return fmt.Errorf("partnercenter: GET %s: decode transfer list: %w", u.EscapedPath(), err)
		}
		return nil
	})
	return next, err
}

// callbackError carries the callback's error through the decoder so it is
// returned to the caller untouched.
type callbackError struct{ err error }

func (e *callbackError) Error() string { return e.err.Error() }

// decodeTransferPage reads one list page from r, calling each per item,
// and returns the collection's links.next (nil for a bare array). It never
// holds more than one item in memory.
func decodeTransferPage(r io.Reader, each func(Transfer) error) (*Link, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, nil // an empty body lists nothing
	}
	if err != nil {
		return nil, err
	}
	var next *Link
	switch tok {
	case nil:
		// null lists nothing.
	case json.Delim('['):
		if err := decodeItems(dec, each); err != nil {
			return nil, err
		}
	case json.Delim('{'):
		if next, err = decodeCollection(dec, each); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("expected a JSON array or object, got %v", tok)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return next, nil
}

// decodeCollection reads the members of a collection object whose opening
// brace has been consumed.
func decodeCollection(dec *json.Decoder, each func(Transfer) error) (*Link, error) {
	var next *Link
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "items"):
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			switch tok {
			case nil:
			case json.Delim('['):
				if err := decodeItems(dec, each); err != nil {
					return nil, err
				}
			default:
				return nil, fmt.Errorf("expected items to be an array, got %v", tok)
			}
		case strings.EqualFold(key, "links"):
			var links *Links
			if err := dec.Decode(&links); err != nil {
				return nil, fmt.Errorf("decode links: %w", err)
			}
			next = nil
			if links != nil {
				next = links.Next
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, err
	}
	return next, nil
}

// decodeItems reads array elements whose opening bracket has been
// consumed, then the closing bracket. Null elements are skipped.
func decodeItems(dec *json.Decoder, each func(Transfer) error) error {
	for dec.More() {
		var t *Transfer
		if err := dec.Decode(&t); err != nil {
			return fmt.Errorf("decode transfer: %w", err)
		}
		if t == nil {
			continue
		}
		if err := each(*t); err != nil {
			return &callbackError{err: err}
		}
	}
	_, err := dec.Token() // the closing bracket
	return err
}

// continuationToken returns the MS-ContinuationToken of a next link.
func continuationToken(l *Link) string {
	for _, h := range l.Headers {
		if strings.EqualFold(h.Key, headerContinuationToken) {
			return h.Value
		}
	}
	return ""
}
