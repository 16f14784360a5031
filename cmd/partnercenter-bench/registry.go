// SPDX-License-Identifier: MPL-2.0

package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// scenario is one part of the report and one generated section of
// BENCHMARKS.md. A scenario registers itself from its own file (see the
// comment at the top of main.go), so adding one changes no other file.
type scenario struct {
	// name is the -only name and the key of its section in BENCHMARKS.md
	// (lower case, no spaces).
	name string
	// order places the scenario in the run and its section in the
	// document; the built-in ones use 10, 20, ...
	order int
	// title heads its section in BENCHMARKS.md.
	title string
	// usesCLI is false for scenarios that run in process only.
	usesCLI bool
	run     func(*benchEnv) []Result
	// budgets are the exact requests of the scenario's commands, the one
	// definition its request rows compare with (requestRow). Each is
	// written into the scenario's section, and TestBenchmarksDocRecordsBudgets
	// fails when BENCHMARKS.md records other definitions than the code;
	// TestBenchRequests runs the scenario at its CI size (benchEnv.ci) and
	// fails when a request row does not pass.
	budgets []budget
}

// registry holds the registered scenarios, in registration order; use
// registered() for the run order.
var registry []scenario

// register adds a scenario; call it from an init function in the
// scenario's file. A name registered twice is a programming error.
func register(s scenario) {
	if s.name == "" || strings.ContainsAny(s.name, " ,") || s.run == nil {
		panic(fmt.Sprintf("bench: scenario %q needs a name without spaces or commas and a run function", s.name))
	}
	for _, r := range registry {
		if r.name == s.name {
			panic(fmt.Sprintf("bench: scenario %q registered twice", s.name))
		}
	}
	if s.title == "" {
		s.title = s.name
	}
	registry = append(registry, s)
}

// registered returns the scenarios in run order (order, then name).
func registered() []scenario {
	out := slices.Clone(registry)
	slices.SortStableFunc(out, func(a, b scenario) int {
		return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.name, b.name))
	})
	return out
}

// scenarioNames lists the registered names in run order, for -only's help.
func scenarioNames() string {
	var names []string
	for _, s := range registered() {
		names = append(names, s.name)
	}
	return strings.Join(names, ", ")
}

// pick chooses a size: full for a measurement, quick for -quick, ci for
// TestBenchRequests (seconds of CLI time, requests still exact).
func (b *benchEnv) pick(full, quick, ci int) int {
	switch {
	case b.ci:
		return ci
	case b.quick:
		return quick
	}
	return full
}
