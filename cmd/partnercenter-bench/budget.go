// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

// budget is the exact HTTP requests one command sends, per route and
// method as the emulator counts them, as a function of the command's size
// N. It is the single definition of a request row: the bench compares the
// emulator's counts with at(N), TestBenchRequests does the same at a small
// N in CI, and the scenario's section of BENCHMARKS.md records formula(),
// which TestBenchmarksDocRecordsBudgets compares with the code.
type budget struct {
	// command says what runs, e.g. "apply creating N transfers".
	command string
	counts  []count
}

// count is one route's share: perN per N (or per started group of every
// N, e.g. pages) plus fixed.
type count struct {
	key   string // "create POST": the emulator's route name and method
	perN  int
	every int // 0 or 1: per N; more: per started group of that many
	fixed int
}

// perN is k requests to key per N.
func perN(key string, k int) count { return count{key: key, perN: k} }

// perGroup is one request to key per started group of size N, e.g. a page.
func perGroup(key string, size int) count { return count{key: key, perN: 1, every: size} }

// fixed is k requests to key whatever N.
func fixed(key string, k int) count { return count{key: key, fixed: k} }

// authenticating is what authenticating costs the provider processes that call the
// API: MSAL (inside azidentity) reads the tenant's openid-configuration
// once per process to find the token endpoint, then asks for one token.
func authenticating(processes int) []count {
	return []count{fixed("openid-configuration GET", processes), fixed("token POST", processes)}
}

// configuring is what each provider process the CLI starts costs before
// its first operation, whether or not it calls Partner Center afterwards:
// authenticating, and Configure's connection check, one GET of the
// partner's organization profile (internal/provider/connection_check.go).
func configuring(processes int) []count {
	return append(authenticating(processes), fixed(emulator.RouteOrganizationProfile+" GET", processes))
}

// newBudget joins counts; the same key twice adds up.
func newBudget(command string, parts ...[]count) budget {
	b := budget{command: command}
	for _, p := range parts {
		b.counts = append(b.counts, p...)
	}
	return b
}

// each wraps single counts for newBudget.
func each(cs ...count) []count { return cs }

func (c count) at(n int) int {
	groups := n
	if c.every > 1 {
		groups = (n + c.every - 1) / c.every
	}
	return c.perN*groups + c.fixed
}

// at is the exact counts for size n (zero entries dropped, like countsOf).
func (b budget) at(n int) requestCounts {
	out := requestCounts{}
	for _, c := range b.counts {
		out[c.key] += c.at(n)
	}
	for k, v := range out {
		if v == 0 {
			delete(out, k)
		}
	}
	return out
}

// formula renders the budget as a function of N, keys sorted:
// "create POST N, list GET N, openid-configuration GET 1, token POST 1".
func (b budget) formula() string {
	terms := map[string][]string{}
	var keys []string
	for _, c := range b.counts {
		if _, seen := terms[c.key]; !seen {
			keys = append(keys, c.key)
		}
		var t string
		switch {
		case c.perN != 0 && c.every > 1:
			t = fmt.Sprintf("%sceil(N/%d)", coefficient(c.perN), c.every)
		case c.perN != 0:
			t = coefficient(c.perN) + "N"
		}
		if c.fixed != 0 {
			if t != "" {
				t += " + "
			}
			t += fmt.Sprint(c.fixed)
		}
		terms[c.key] = append(terms[c.key], t)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+" "+strings.Join(terms[k], " + "))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func coefficient(k int) string {
	if k == 1 {
		return ""
	}
	return fmt.Sprint(k)
}

// budgetsMarkdown is the record of a scenario's budgets in its section:
// what TestBenchmarksDocRecordsBudgets looks for.
func budgetsMarkdown(bs []budget) string {
	if len(bs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Exact requests of each command, the definitions the request rows were checked against (`budget` in the scenario's file; `TestBenchRequests` checks the same definitions in CI at a small N):\n\n")
	for _, bg := range bs {
		fmt.Fprintf(&b, "- %s: `%s`\n", bg.command, bg.formula())
	}
	return b.String()
}
