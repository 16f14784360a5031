// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"testing"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

func TestStatusRules(t *testing.T) {
	tests := []struct {
		status                                Status
		final, endsWait, canSubmit, canCancel bool
		dead                                  bool
	}{
		{Pending, false, false, true, true, false},
		{InProgress, false, false, false, false, false},
		{Complete, true, true, false, false, false},
		{Failed, false, true, false, false, false},
		{Expired, true, true, false, false, true},
		{Canceled, true, true, false, false, true},
		// An unknown status (a new server value) ends nothing early.
		{"Active", false, false, false, false, false},
		{"", false, false, false, false, false},
	}
	for _, tt := range tests {
		got := []bool{tt.status.Final(), tt.status.EndsWait(), tt.status.CanSubmit(), tt.status.CanCancel(), tt.status.Dead()}
		want := []bool{tt.final, tt.endsWait, tt.canSubmit, tt.canCancel, tt.dead}
		for i, name := range []string{"Final", "EndsWait", "CanSubmit", "CanCancel", "Dead"} {
			if got[i] != want[i] {
				t.Errorf("%q.%s() = %v, want %v", tt.status, name, got[i], want[i])
			}
		}
	}
	if len(Statuses()) != 6 {
		t.Errorf("Statuses() = %v", Statuses())
	}
}

func TestSubmitBlocker(t *testing.T) {
	tr := func(dir int, status Status, items int) *Transfer {
		t := &Transfer{Transfer: partnercenter.Transfer{Status: string(status), TransferDirection: dir}}
		for range items {
			t.LineItems = append(t.LineItems, partnercenter.TransferLineItem{SubscriptionID: "s"})
		}
		return t
	}
	out, in := partnercenter.DirectionOutgoing, partnercenter.DirectionIncoming
	tests := []struct {
		t    *Transfer
		want SubmitBlock
	}{
		{tr(out, Pending, 0), SubmitAllowed},
		{tr(in, Pending, 0), SubmitNotSource},
		{tr(0, Pending, 0), SubmitNotSource},
		{tr(in, Expired, 0), SubmitNotSource},
		{tr(out, Expired, 0), SubmitDead},
		{tr(out, Canceled, 0), SubmitDead},
		{tr(out, InProgress, 1), SubmitDone},
		{tr(out, Complete, 1), SubmitDone},
		{tr(out, Failed, 1), SubmitDone},
	}
	for _, tt := range tests {
		if got := tt.t.SubmitBlocker(); got != tt.want {
			t.Errorf("direction %d status %s: SubmitBlocker() = %v, want %v", tt.t.TransferDirection, tt.t.Status, got, tt.want)
		}
		if (tt.want == SubmitAllowed) != (tt.t.SubmitBlocker().String() == "") {
			t.Errorf("%v: String() = %q", tt.want, tt.want.String())
		}
	}
}

func TestSameLineItems(t *testing.T) {
	a := map[string]string{"ABC": "OnlineServicesNCE"}
	tests := []struct {
		b    map[string]string
		want bool
	}{
		{map[string]string{"abc": "OnlineServicesNCE"}, true}, // GUIDs are not case-sensitive
		{map[string]string{"abc": "onlineservicesnce"}, true},
		{map[string]string{"abc": ""}, true}, // a side that does not know the product type
		{map[string]string{"abc": "AzureSubscription"}, false},
		{map[string]string{"abd": "OnlineServicesNCE"}, false},
		{map[string]string{}, false},
		{map[string]string{"ABC": "OnlineServicesNCE", "d": "x"}, false},
	}
	for _, tt := range tests {
		if got := SameLineItems(a, tt.b); got != tt.want {
			t.Errorf("SameLineItems(%v, %v) = %v, want %v", a, tt.b, got, tt.want)
		}
		if got := SameLineItems(tt.b, a); got != tt.want {
			t.Errorf("SameLineItems(%v, %v) = %v, want %v (not symmetric)", tt.b, a, got, tt.want)
		}
	}
	// Two keys that are one subscription never match two distinct ones.
	if SameLineItems(map[string]string{"abc": "", "ABC": ""}, map[string]string{"abc": "", "def": ""}) {
		t.Error("a subscription listed twice matched two subscriptions")
	}
	// HasItems uses the same rule.
	tr := &Transfer{Transfer: partnercenter.Transfer{LineItems: []partnercenter.TransferLineItem{{SubscriptionID: "ABC", ProductType: "5"}}}}
	if !tr.HasItems([]partnercenter.SubmitLineItem{{SubscriptionID: "abc", ProductType: "5"}}) ||
		tr.HasItems([]partnercenter.SubmitLineItem{{SubscriptionID: "abd", ProductType: "5"}}) {
		t.Error("HasItems disagrees with SameLineItems")
	}
}
