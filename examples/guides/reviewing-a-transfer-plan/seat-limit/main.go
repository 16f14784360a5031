// SPDX-License-Identifier: MPL-2.0

// Command seat-limit is a plan policy check: it reads `terraform show -json`
// of a saved plan on stdin and fails when a partnercenter_transfer submit
// would move more than -max-seats seats (line items and their add-ons).
//
//	terraform plan -out=tfplan
//	terraform show -json tfplan | go run ./seat-limit -max-seats 50
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
)

type plan struct {
	ResourceChanges []struct {
		Address string `json:"address"`
		Type    string `json:"type"`
		Change  struct {
			Actions []string `json:"actions"`
			Before  *values  `json:"before"`
			After   *values  `json:"after"`
		} `json:"change"`
	} `json:"resource_changes"`
}

type values struct {
	LineItems map[string]struct {
		FriendlyName *string `json:"friendly_name"`
		Quantity     *int64  `json:"quantity"`
		AddOns       []struct {
			Quantity *int64 `json:"quantity"`
		} `json:"add_ons"`
	} `json:"line_items"`
}

func main() {
	maxSeats := flag.Int64("max-seats", 50, "most seats one transfer may move")
	flag.Parse()
	violations, err := check(os.Stdin, *maxSeats)
	if err != nil {
		fmt.Fprintln(os.Stderr, "seat-limit:", err)
		os.Exit(2)
	}
	for _, v := range violations {
		fmt.Println(v)
	}
	if len(violations) > 0 {
		os.Exit(1)
	}
	fmt.Printf("seat-limit: every transfer moves at most %d seats\n", *maxSeats)
}

// check returns one message per transfer whose submit moves more than
// maxSeats seats. A seat count unknown at plan time is a violation too: the
// plan cannot show what will move.
func check(r io.Reader, maxSeats int64) ([]string, error) {
	var p plan
	if err := json.NewDecoder(r).Decode(&p); err != nil {
		return nil, fmt.Errorf("reading the plan JSON: %w", err)
	}
	var out []string
	for _, rc := range p.ResourceChanges {
		if rc.Type != "partnercenter_transfer" || rc.Change.After == nil || !slices.Contains(rc.Change.Actions, "update") {
			continue
		}
		submitted := map[string]bool{}
		if rc.Change.Before != nil {
			for id := range rc.Change.Before.LineItems {
				submitted[id] = true
			}
		}
		var seats int64
		ids := make([]string, 0, len(rc.Change.After.LineItems))
		for id := range rc.Change.After.LineItems {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if submitted[id] {
				continue // already moving: not part of this submit
			}
			li := rc.Change.After.LineItems[id]
			if li.Quantity == nil {
				out = append(out, fmt.Sprintf("%s: the seats of line item %s are unknown at plan time", rc.Address, id))
				continue
			}
			seats += *li.Quantity
			for _, a := range li.AddOns {
				if a.Quantity != nil {
					seats += *a.Quantity
				}
			}
		}
		if seats > maxSeats {
			out = append(out, fmt.Sprintf("%s: submits %d seats, more than the limit of %d", rc.Address, seats, maxSeats))
		}
	}
	return out, nil
}
