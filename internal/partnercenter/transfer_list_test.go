// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func transferJSON(id string) string {
	return fmt.Sprintf(`{"id": %q, "status": "Pending", "transferType": 3, "lineItems": []}`, id)
}

// collectionPage renders a {totalCount, items, links} page; next may be
// empty for the last page.
func collectionPage(ids []string, nextURI, token string) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = transferJSON(id)
	}
	links := `{"self": {"uri": "/customers/c/transfers", "method": "GET", "headers": []}}`
	if nextURI != "" || token != "" {
		links = fmt.Sprintf(`{"next": {"uri": %q, "method": "GET", "headers": [{"key": "MS-ContinuationToken", "value": %q}]}}`, nextURI, token)
	}
	return fmt.Sprintf(`{"totalCount": %d, "items": [%s], "links": %s, "attributes": {"objectType": "Collection"}}`,
		len(ids), strings.Join(items, ","), links)
}

func collectIDs(t *testing.T, c *Client) ([]string, error) {
	t.Helper()
	var ids []string
	err := c.ListTransfers(t.Context(), customerID, func(tr Transfer) error {
		ids = append(ids, tr.ID)
		return nil
	})
	return ids, err
}

func TestListTransfersBareArray(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", "["+transferJSON("a")+", null, "+transferJSON("b")+"]")
	})
	c, _ := newTestClient(t, srv)

	ids, err := collectIDs(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "a,b" {
		t.Fatalf("ids = %v, want [a b]", ids)
	}
	if r := log.all()[0]; r.Method != http.MethodGet || r.Path != "/v1/customers/"+customerID+"/transfers" {
		t.Fatalf("request = %s %s", r.Method, r.Path)
	}
}

func TestListTransfersFollowsNextLinks(t *testing.T) {
	listPath := "/v1/customers/" + customerID + "/transfers"
	tests := []struct {
		name string
		// next returns the links.next uri that leads to page n (2 or 3).
		next       func(serverURL string, n int) string
		wantQuery2 string
		wantQuery3 string
	}{
		{
			name: "service-style uri without the version prefix",
			next: func(_ string, n int) string {
				return fmt.Sprintf("/customers/%s/transfers?seekOperation=Next&page=%d", customerID, n)
			},
			wantQuery2: "seekOperation=Next&page=2",
			wantQuery3: "seekOperation=Next&page=3",
		},
		{
			name: "absolute uri on the same host",
			next: func(serverURL string, n int) string {
				return fmt.Sprintf("%s/v1/customers/%s/transfers?page=%d", serverURL, customerID, n)
			},
			wantQuery2: "page=2",
			wantQuery3: "page=3",
		},
		{
			name:       "empty uri: same list, token only",
			next:       func(string, int) string { return "" },
			wantQuery2: "",
			wantQuery3: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var serverURL string
			srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
				switch n {
				case 1:
					writeRaw(w, http.StatusOK, "application/json", collectionPage([]string{"t1", "t2"}, tt.next(serverURL, 2), "token-page-2"))
				case 2:
					writeRaw(w, http.StatusOK, "application/json", collectionPage([]string{"t3"}, tt.next(serverURL, 3), "token-page-3"))
				default:
					writeRaw(w, http.StatusOK, "application/json", collectionPage([]string{"t4", "t5"}, "", ""))
				}
			})
			serverURL = srv.URL
			c, _ := newTestClient(t, srv)

			ids, err := collectIDs(t, c)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(ids, ",") != "t1,t2,t3,t4,t5" {
				t.Fatalf("ids = %v", ids)
			}
			reqs := log.all()
			if len(reqs) != 3 {
				t.Fatalf("got %d page requests, want 3", len(reqs))
			}
			wantTokens := []string{"", "token-page-2", "token-page-3"}
			wantQueries := []string{"", tt.wantQuery2, tt.wantQuery3}
			pageIDs := map[string]bool{}
			for i, r := range reqs {
				if r.Path != listPath || r.Query != wantQueries[i] {
					t.Errorf("page %d: %s?%s, want %s?%s", i+1, r.Path, r.Query, listPath, wantQueries[i])
				}
				if got := r.Header.Get("MS-ContinuationToken"); got != wantTokens[i] {
					t.Errorf("page %d: MS-ContinuationToken = %q, want %q", i+1, got, wantTokens[i])
				}
				if r.Header.Get("Authorization") == "" {
					t.Errorf("page %d: no Authorization header", i+1)
				}
				pageIDs[r.Header.Get("MS-RequestId")] = true
			}
			if len(pageIDs) != 3 {
				t.Errorf("pages shared request ids: %v", pageIDs)
			}
		})
	}
}

func TestListTransfersRefusesForeignNextHost(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", collectionPage([]string{"t1"}, "https://evil.example/v1/customers/x/transfers", "tok"))
	})
	c, _ := newTestClient(t, srv)

	ids, err := collectIDs(t, c)
	if err == nil || !strings.Contains(err.Error(), "different host") {
		t.Fatalf("error = %v, want a refusal", err)
	}
	if len(ids) != 1 || log.len() != 1 {
		t.Fatalf("ids = %v, requests = %d", ids, log.len())
	}
}

func TestListTransfersDetectsLinkLoop(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", collectionPage([]string{"t"}, "/customers/c/transfers?p=2", "same"))
	})
	c, _ := newTestClient(t, srv)

	if _, err := collectIDs(t, c); err == nil || !strings.Contains(err.Error(), "repeats") {
		t.Fatalf("error = %v, want a loop error", err)
	}
	if log.len() != 2 {
		t.Fatalf("requests = %d, want 2", log.len())
	}
}

func TestListTransfersCallbackErrorStops(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", collectionPage([]string{"t1", "t2"}, "/customers/c/transfers?p=2", "next"))
	})
	c, _ := newTestClient(t, srv)
	stop := errors.New("stop here")

	calls := 0
	err := c.ListTransfers(t.Context(), customerID, func(Transfer) error {
		calls++
		return stop
	})
	if err != stop { //nolint:errorlint // The callback's error must come back untouched.
		t.Fatalf("error = %v, want the callback's error itself", err)
	}
	if calls != 1 || log.len() != 1 {
		t.Fatalf("callback calls = %d, requests = %d; want 1 and 1", calls, log.len())
	}
}

func TestListTransfersEmptyAnswers(t *testing.T) {
	for _, body := range []string{"", "null", "[]", `{"totalCount": 0, "items": null}`, `{"totalCount": 0}`} {
		t.Run(body, func(t *testing.T) {
			srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
				writeRaw(w, http.StatusOK, "application/json", body)
			})
			c, _ := newTestClient(t, srv)
			ids, err := collectIDs(t, c)
			if err != nil || len(ids) != 0 {
				t.Fatalf("ids = %v, err = %v", ids, err)
			}
		})
	}
}

func TestListTransfersMalformedPages(t *testing.T) {
	for _, body := range []string{`{"items": {}}`, `"text"`, `[{"lineItems": {}}]`, `[] []`, `{"items": [` + transferJSON("a")} {
		t.Run(body, func(t *testing.T) {
			srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
				writeRaw(w, http.StatusOK, "application/json", body)
			})
			c, _ := newTestClient(t, srv)
			if _, err := collectIDs(t, c); err == nil || !strings.Contains(err.Error(), "decode transfer list") {
				t.Fatalf("error = %v, want a decode error", err)
			}
		})
	}
}

// TestListTransfersStreamsItems proves the page is decoded from the body as
// it arrives: the server holds back the rest of the page until the client
// has handed the first item to the callback.
func TestListTransfersStreamsItems(t *testing.T) {
	firstSeen := make(chan struct{})
	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = fmt.Fprintf(w, `{"totalCount": 2, "items": [%s,`, transferJSON("first"))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		select {
		case <-firstSeen:
		case <-time.After(5 * time.Second):
		}
		_, _ = fmt.Fprintf(w, `%s]}`, transferJSON("second"))
	})
	c, _ := newTestClient(t, srv)

	var ids []string
	start := time.Now()
	err := c.ListTransfers(t.Context(), customerID, func(tr Transfer) error {
		if tr.ID == "first" {
			close(firstSeen)
		}
		ids = append(ids, tr.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "first,second" || time.Since(start) > 4*time.Second {
		t.Fatalf("ids = %v after %s: the first item was not streamed", ids, time.Since(start))
	}
}

func TestListTransfersPageErrorIsAPIError(t *testing.T) {
	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		if n == 1 {
			writeRaw(w, http.StatusOK, "application/json", collectionPage([]string{"t1"}, "/customers/c/transfers?p=2", "t"))
			return
		}
		pcError(w, http.StatusForbidden, 900150, "role lacks rights")
	})
	c, _ := newTestClient(t, srv)
	if _, err := collectIDs(t, c); !IsForbidden(err) {
		t.Fatalf("error = %v, want a 403 APIError", err)
	}
}
