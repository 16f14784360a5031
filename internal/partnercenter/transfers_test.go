// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"net/http"
	"reflect"
	"testing"
)

func TestTransferOperations(t *testing.T) {
	transferPath := "/v1/customers/" + customerID + "/transfers/" + transferID
	tests := []struct {
		name     string
		call     func(context.Context, *Client) (*Transfer, error)
		status   int
		method   string
		path     string
		wantBody map[string]any // nil: no body expected
	}{
		{
			name: "create",
			call: func(ctx context.Context, c *Client) (*Transfer, error) {
				return c.CreateTransfer(ctx, customerID, CreateTransferRequest{
					SourcePartnerTenantID: "33333333-3333-3333-3333-333333333333",
					SourcePartnerName:     "Old Partner Inc",
					CustomerEmailID:       "it-admin@customer.example",
					TargetProductTypes:    []string{ProductOnlineServicesNCE},
					Participants:          []Participant{{Key: ParticipantTransactionReseller, Value: "1234567"}},
					TransferType:          TransferTypeNewCommerce,
				})
			},
			status: http.StatusCreated,
			method: http.MethodPost,
			path:   "/v1/customers/" + customerID + "/transfers",
			wantBody: map[string]any{
				"sourcePartnerTenantId": "33333333-3333-3333-3333-333333333333",
				"sourcePartnerName":     "Old Partner Inc",
				"customerEmailId":       "it-admin@customer.example",
				"targetProductTypes":    []any{"OnlineServicesNCE"},
				"participants":          []any{map[string]any{"key": "TransactionReseller", "value": "1234567"}},
				"transferType":          float64(3),
			},
		},
		{
			name: "get",
			call: func(ctx context.Context, c *Client) (*Transfer, error) {
				return c.GetTransfer(ctx, customerID, transferID)
			},
			status: http.StatusOK,
			method: http.MethodGet,
			path:   transferPath,
		},
		{
			name: "submit",
			call: func(ctx context.Context, c *Client) (*Transfer, error) {
				return c.SubmitTransfer(ctx, customerID, transferID, []SubmitLineItem{
					{SubscriptionID: "9A7C2C5E-6E2D-4C1E-9C7F-1D4B7B3E2A10", ProductType: ProductOnlineServicesNCE},
				})
			},
			status: http.StatusOK,
			method: http.MethodPatch,
			path:   transferPath,
			wantBody: map[string]any{
				"id":        transferID,
				"lineItems": []any{map[string]any{"subscriptionId": "9A7C2C5E-6E2D-4C1E-9C7F-1D4B7B3E2A10", "productType": "OnlineServicesNCE"}},
			},
		},
		{
			name: "submit without items sends an empty array",
			call: func(ctx context.Context, c *Client) (*Transfer, error) {
				return c.SubmitTransfer(ctx, customerID, transferID, nil)
			},
			status:   http.StatusOK,
			method:   http.MethodPatch,
			path:     transferPath,
			wantBody: map[string]any{"id": transferID, "lineItems": []any{}},
		},
		{
			name: "cancel forces status Cancel",
			call: func(ctx context.Context, c *Client) (*Transfer, error) {
				return c.CancelTransfer(ctx, customerID, CancelTransferRequest{
					ID:                    transferID,
					Status:                "whatever",
					TargetPartnerTenantID: "22222222-2222-2222-2222-222222222222",
				})
			},
			status: http.StatusOK,
			method: http.MethodPatch,
			path:   transferPath,
			wantBody: map[string]any{
				"id":                    transferID,
				"status":                "Cancel",
				"targetPartnerTenantId": "22222222-2222-2222-2222-222222222222",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
				writeRaw(w, tt.status, "application/json; charset=utf-8", sampleTransfer)
			})
			c, _ := newTestClient(t, srv)

			got, err := tt.call(t.Context(), c)
			if err != nil {
				t.Fatal(err)
			}
			checkSampleTransfer(t, got)

			reqs := log.all()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			if reqs[0].Method != tt.method || reqs[0].Path != tt.path {
				t.Fatalf("request = %s %s, want %s %s", reqs[0].Method, reqs[0].Path, tt.method, tt.path)
			}
			if tt.wantBody == nil {
				if len(reqs[0].Body) != 0 {
					t.Fatalf("unexpected body %s", reqs[0].Body)
				}
				return
			}
			if body := mustJSON(t, reqs[0].Body); !reflect.DeepEqual(body, tt.wantBody) {
				t.Fatalf("body = %v, want %v", body, tt.wantBody)
			}
		})
	}
}

func checkSampleTransfer(t *testing.T, got *Transfer) {
	t.Helper()
	if got.ID != transferID || got.Status != StatusPending || got.TransferType != 3 || got.TransferDirection != DirectionIncoming {
		t.Fatalf("decoded transfer = %+v", got)
	}
	if got.PartnerTenantID != "22222222-2222-2222-2222-222222222222" {
		t.Errorf("partnertenantid = %q", got.PartnerTenantID)
	}
	if got.CreatedTime == nil || got.CreatedTime.Nanosecond() != 123456700 || got.CompletedTime != nil {
		t.Errorf("times = %v / %v", got.CreatedTime, got.CompletedTime)
	}
	if len(got.LineItems) != 1 || got.LineItems[0].ID != "0" {
		t.Errorf("line items = %+v", got.LineItems)
	}
}

func TestPatchWithEmptyAnswerReadsTheTransfer(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusNoContent, http.StatusAccepted} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv, log := testServer(t, func(w http.ResponseWriter, r *http.Request, _ seenRequest, _ int) {
				if r.Method == http.MethodPatch {
					w.WriteHeader(status)
					return
				}
				writeRaw(w, http.StatusOK, "application/json", sampleTransfer)
			})
			c, _ := newTestClient(t, srv)

			got, err := c.CancelTransfer(t.Context(), customerID, CancelTransferRequest{ID: transferID})
			if err != nil {
				t.Fatal(err)
			}
			checkSampleTransfer(t, got)
			reqs := log.all()
			if len(reqs) != 2 || reqs[1].Method != http.MethodGet {
				t.Fatalf("requests = %d, want PATCH then GET", len(reqs))
			}
		})
	}
}

func TestCreateWithEmptyAnswerFails(t *testing.T) {
	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		w.WriteHeader(http.StatusCreated)
	})
	c, _ := newTestClient(t, srv)
	if _, err := c.CreateTransfer(t.Context(), customerID, CreateTransferRequest{}); err == nil {
		t.Fatal("no error for a create without a transfer in the answer")
	}
}

func TestGetTransferNotFound(t *testing.T) {
	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		pcError(w, http.StatusNotFound, "900100", "Transfer request not found")
	})
	c, _ := newTestClient(t, srv)

	_, err := c.GetTransfer(t.Context(), customerID, transferID)
	if !IsNotFound(err) || IsConflict(err) || IsForbidden(err) {
		t.Fatalf("IsNotFound = false for %v", err)
	}
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.Code != "900100" || apiErr.Method != http.MethodGet || apiErr.Path != "/v1/customers/"+customerID+"/transfers/"+transferID {
		t.Fatalf("APIError = %+v", apiErr)
	}
}

func TestMalformedTransferAnswer(t *testing.T) {
	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json", `{"id": 42`)
	})
	c, _ := newTestClient(t, srv)
	if _, err := c.GetTransfer(t.Context(), customerID, transferID); err == nil {
		t.Fatal("no error for a truncated JSON answer")
	}
}
