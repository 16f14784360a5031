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

// streamCollection GETs u and every page after it, calling each for every
// item as it is decoded, so memory holds one item and one page's links at a
// time. Pages are followed through links.next (uri plus its headers, i.e.
// MS-ContinuationToken) and, when a server sends one, a top-level
// continuationToken. kind names the items in errors ("customer list").
func streamCollection[T any](ctx context.Context, c *Client, u *url.URL, kind string, each func(T) error) error {
	if each == nil {
		return fmt.Errorf("partnercenter: listing %s needs a callback", kind)
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

		var page pageLinks
		err := c.call(ctx, http.MethodGet, u, nil, header, func(resp *http.Response) error {
			var err error
			page, err = decodeCollectionPage(resp.Body, each)
			var stopped *callbackError
			if errors.As(err, &stopped) {
				return stopped.err
			}
			if err != nil {
				return fmt.Errorf("partnercenter: GET %s: decode %s: %w", u.EscapedPath(), kind, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		token := page.bodyToken
		uri := ""
		if page.next != nil {
			uri = page.next.URI
			if t := continuationToken(page.next); t != "" {
				token = t
			}
		}
		if page.next == nil && token == "" {
			return nil
		}
		if strings.TrimSpace(uri) == "" && token == "" {
			return nil
		}
		if u, err = c.nextPageURL(u, uri); err != nil {
			return err
		}
		if err := waitBeforeNextPage(ctx); err != nil {
			return err
		}
		header = http.Header{}
		if token != "" {
			header.Set(headerContinuationToken, token)
		}
	}
}

// pageLinks is what a page says about the next one.
type pageLinks struct {
	next      *Link
	bodyToken string
}

// decodeCollectionPage reads one page ({items, links, continuationToken}
// or a bare array) and streams its items into each.
func decodeCollectionPage[T any](r io.Reader, each func(T) error) (pageLinks, error) {
	var out pageLinks
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	switch {
	case errors.Is(err, io.EOF):
		return out, nil // an empty body lists nothing
	case err != nil:
		return out, err
	case tok == json.Delim('{'):
		if out, err = decodeCollectionObject(dec, each); err != nil {
			return out, err
		}
	case tok != nil && tok != json.Delim('['):
		return out, fmt.Errorf("expected a JSON array or object, got %v", tok)
	default:
		if err := decodeItemsValue(dec, tok, each); err != nil {
			return out, err
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return out, errors.New("unexpected data after the JSON value")
	}
	return out, nil
}

// decodeCollectionObject reads the members of a collection object whose
// opening brace has been consumed, then the closing brace.
func decodeCollectionObject[T any](dec *json.Decoder, each func(T) error) (pageLinks, error) {
	var out pageLinks
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out, err
		}
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "items"):
			tok, err := dec.Token()
			if err != nil {
				return out, err
			}
			if err := decodeItemsValue(dec, tok, each); err != nil {
				return out, err
			}
		case strings.EqualFold(key, "links"):
			var links *Links
			if err := dec.Decode(&links); err != nil {
				return out, fmt.Errorf("decode links: %w", err)
			}
			out.next = nil
			if links != nil {
				out.next = links.Next
			}
		case strings.EqualFold(key, "continuationToken"):
			var t *string
			if err := dec.Decode(&t); err != nil {
				return out, fmt.Errorf("decode continuationToken: %w", err)
			}
			if t != nil {
				out.bodyToken = *t
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return out, err
			}
		}
	}
	_, err := dec.Token() // the closing brace
	return out, err
}

// decodeItemsValue streams an array of items whose first token, tok, has
// been read; null lists nothing.
func decodeItemsValue[T any](dec *json.Decoder, tok json.Token, each func(T) error) error {
	switch tok {
	case nil:
		return nil
	case json.Delim('['):
		return decodeCollectionItems(dec, each)
	default:
		return fmt.Errorf("expected items to be an array, got %v", tok)
	}
}

func decodeCollectionItems[T any](dec *json.Decoder, each func(T) error) error {
	for dec.More() {
		var item *T
		if err := dec.Decode(&item); err != nil {
			return fmt.Errorf("decode item: %w", err)
		}
		if item == nil {
			continue
		}
		if err := each(*item); err != nil {
			return &callbackError{err: err}
		}
	}
	_, err := dec.Token()
	return err
}

// callbackError carries the callback's error through the decoder so it is
// returned to the caller untouched.
type callbackError struct{ err error }

func (e *callbackError) Error() string { return e.err.Error() }

// continuationToken returns the MS-ContinuationToken of a next link.
func continuationToken(l *Link) string {
	for _, h := range l.Headers {
		if strings.EqualFold(h.Key, headerContinuationToken) {
			return h.Value
		}
	}
	return ""
}
