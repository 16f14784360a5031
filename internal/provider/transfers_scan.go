// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// Multi-customer scans read this many customers at a time unless
// scan_concurrency says otherwise. Each request still waits for the
// client's throttling budget, so this only bounds requests in flight.
const (
	defaultScanConcurrency = 8
	maxScanConcurrency     = 64
	// maxReportedScanFailures bounds the diagnostics of a failed scan.
	maxReportedScanFailures = 5
)

// scanTargets returns the customers partnercenter_transfers reads:
// customer_id, customer_ids (sorted), or every customer of the partner.
func (d *transfersDataSource) scanTargets(ctx context.Context, config *transfersDataSourceModel, diags *diag.Diagnostics) ([]string, bool) {
	var ids []string
	if !config.CustomerIDs.IsNull() {
		diags.Append(config.CustomerIDs.ElementsAs(ctx, &ids, false)...)
	}
	return scanCustomers(ctx, d.data.client, config.CustomerID.ValueString(), ids, !config.CustomerIDs.IsNull(), diags)
}

// scanCustomers returns the customers a transfer search reads: customerID,
// customerIDs (sorted, when given is true), or, with neither, every
// customer of the partner.
func scanCustomers(ctx context.Context, client *partnercenter.Client, customerID string, customerIDs []string, given bool, diags *diag.Diagnostics) ([]string, bool) {
	if customerID != "" {
		return []string{customerID}, true
	}
	if given {
		ids := slices.Clone(customerIDs)
		slices.Sort(ids)
		return slices.Compact(ids), !diags.HasError()
	}
	var ids []string
	err := client.ListCustomers(ctx, 0, func(c partnercenter.Customer) error {
		ids = append(ids, c.TenantID())
		return nil
	})
	if err != nil {
		addAPIError(diags, path.Empty(), "Cannot list the partner's customers to scan them for transfers", err)
		return nil, false
	}
	tflog.Info(ctx, "scanning every customer for transfers", map[string]any{"customers": len(ids)})
	return ids, true
}

// transferScan reads the transfers of several customers with bounded
// concurrency, keeping only the matches.
type transferScan struct {
	client      *partnercenter.Client
	filter      transferFilter
	customers   []string
	concurrency int
	lineItems   bool
	// idsOnly keeps only what ids and customer_id_by_transfer need.
	idsOnly bool
	// otherDirection counts transfers that only the direction filter left
	// out: found with none matching, they say the credentials are likely
	// the other partner's (see warnOtherPartner).
	otherDirection *atomic.Int64
}

// scannedTransfer is a match and the customer it was listed under.
type scannedTransfer struct {
	customerID string
	transfer   partnercenter.Transfer
}

// scanFailure is one customer whose transfers could not be read.
type scanFailure struct {
	customerID string
	err        error
}

// run scans every customer. The first failure cancels the customers not
// yet started, so a broken scan does not spend the throttling budget;
// failures are returned in customer order.
func (s transferScan) run(ctx context.Context) ([]scannedTransfer, []scanFailure) {
	workers := s.concurrency
	if workers <= 0 {
		workers = defaultScanConcurrency
	}
	workers = min(workers, max(len(s.customers), 1))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make([][]scannedTransfer, len(s.customers))
	errs := make([]error, len(s.customers))
	next := atomic.Int64{}
	done := atomic.Int64{}
	total := len(s.customers)
	step := int64(max(1, total/20))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= total || ctx.Err() != nil {
					return
				}
				customerID := s.customers[i]
				err := s.client.ListTransfers(ctx, customerID, func(t partnercenter.Transfer) error {
					if !s.filter.matches(&t) {
						if s.otherDirection != nil && s.filter.matchesButDirection(&t) {
							s.otherDirection.Add(1)
						}
						return nil
					}
					if !s.lineItems {
						t.LineItems = nil
					}
					if s.idsOnly {
						t = partnercenter.Transfer{ID: t.ID, CreatedTime: t.CreatedTime}
					}
					results[i] = append(results[i], scannedTransfer{customerID: customerID, transfer: t})
					return nil
				})
				if err != nil {
					errs[i] = err
					cancel()
					return
				}
				if n := done.Add(1); total > 1 && (n%step == 0 || int(n) == total) {
					tflog.Info(ctx, "transfer scan progress", map[string]any{"customers_done": n, "customers_total": total})
				}
			}
		})
	}
	wg.Wait()

	var failures []scanFailure
	for i, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			failures = append(failures, scanFailure{customerID: s.customers[i], err: err})
		}
	}
	if len(failures) == 0 {
		for i, err := range errs {
			if err != nil { // Only cancellations: the caller's context ended.
				failures = append(failures, scanFailure{customerID: s.customers[i], err: err})
				break
			}
		}
	}
	if len(failures) > 0 {
		return nil, failures
	}
	var all []scannedTransfer
	for _, r := range results {
		all = append(all, r...)
	}
	sortScannedTransfers(all)
	return all, nil
}

// reportScanFailures adds one error per failed customer (up to a few),
// each naming the customer; single says the read was for customer_id.
func reportScanFailures(diags *diag.Diagnostics, failures []scanFailure, single bool) {
	if single {
		addTransferReadError(diags, failures[0].customerID, "", failures[0].err)
		return
	}
	for i, f := range failures {
		if i == maxReportedScanFailures {
			diags.AddError("More customers failed",
				fmt.Sprintf("%d more customers could not be read; fix the ones above first.", len(failures)-i))
			return
		}
		addAPIError(diags, path.Root("customer_ids"), fmt.Sprintf("Cannot read the transfers of customer %s", f.customerID),
			fmt.Errorf("%w\n\nThe scan stopped so the result has no gap. Exclude the customer with customer_ids, or fix access to it", f.err))
	}
}

// sortScannedTransfers orders by created time (unknown first), customer, id.
func sortScannedTransfers(ts []scannedTransfer) {
	slices.SortFunc(ts, func(a, b scannedTransfer) int {
		at, bt := a.transfer.CreatedTime, b.transfer.CreatedTime
		switch {
		case at == nil && bt != nil:
			return -1
		case at != nil && bt == nil:
			return 1
		case at != nil:
			if c := at.Compare(*bt); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(strings.ToLower(a.customerID), strings.ToLower(b.customerID)); c != 0 {
			return c
		}
		return cmp.Compare(a.transfer.ID, b.transfer.ID)
	})
}

// flattenScannedTransfers flattens the matches into models and ids;
// without line items, line_items is null.
func flattenScannedTransfers(ctx context.Context, ts []scannedTransfer, lineItems bool) ([]transferModel, []string, diag.Diagnostics) {
	var diags diag.Diagnostics
	models := make([]transferModel, 0, len(ts))
	ids := make([]string, 0, len(ts))
	for i := range ts {
		m, d := flattenTransfer(ctx, &ts[i].transfer, ts[i].customerID, nil)
		diags.Append(d...)
		if !lineItems {
			m.LineItems = types.MapNull(m.LineItems.ElementType(ctx))
		}
		models = append(models, m)
		ids = append(ids, ts[i].transfer.ID)
		ts[i] = scannedTransfer{} // Let the wire copy go as soon as it is flattened.
	}
	return models, ids, diags
}

// customerIDByTransfer is the customer_id_by_transfer map value.
func customerIDByTransfer(ts []scannedTransfer) tftypes.Value {
	m := make(map[string]tftypes.Value, len(ts))
	for _, t := range ts {
		m[t.transfer.ID] = tftypes.NewValue(tftypes.String, t.customerID)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, m)
}
