// SPDX-License-Identifier: MPL-2.0

// Command bench measures how the provider's cost grows with the work,
// against baselines measured in the same run: the real Terraform CLI
// applying N transfers against the local emulator next to N terraform_data
// resources and a minimal framework provider (the floor, ./floorprovider),
// HTTP requests per command against exact budgets, long waits on the
// emulator's virtual clock, a throttled apply, listing 10,000 transfers and
// provider start-up. It prints one table with every figure, its target and
// pass/fail, and with -write replaces the generated section of each
// scenario it ran in BENCHMARKS.md (-only X rewrites only X's section).
//
//	go run ./cmd/partnercenter-bench [-quick] [-only apply,wait,...] [-write BENCHMARKS.md]
//
// Adding a scenario: one file, scenario_<name>.go, and no other change:
//
//	func init() {
//		register(scenario{name: "history", order: 80, title: "500 creates after history",
//			usesCLI: true, run: historyScenario, budgets: historyBudgets})
//	}
//
// run returns rows (info, checked, requestRow; note for findings in words,
// written from the figures). Sizes come from b.pick(full, quick, ci). If the
// scenario counts requests, declare each command's exact requests as a
// budget (budget.go: perN, perGroup, fixed, authenticating) and compare with
// requestRow(section, name, stats, budget.at(n), ""): the same budgets are recorded
// in the scenario's section of BENCHMARKS.md, TestBenchmarksDocRecordsBudgets
// fails when the code's budgets differ from that record, and
// TestBenchRequests (TF_ACC=1) runs the scenario at its ci size and fails on
// any request row that does not pass. Then write the section with
// `make bench BENCHARGS='-only <name> -write BENCHMARKS.md'`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// benchEnv is what every scenario needs.
type benchEnv struct {
	ctx         context.Context
	cli         *terraformCLI
	workDir     string
	quick       bool
	parallelism int
	// throttleRate and throttleParallelism shape the throttled apply.
	throttleRate        int
	throttleParallelism []int
	logf                func(format string, args ...any)
	// ci runs the smallest sizes, for TestBenchRequests: the request
	// rows still compare with the full budgets.
	ci bool
	// repeats is how often the apply scenario repeats the commands at
	// the sizes with a target (-repeats).
	repeats int
	// profileDir, when set, is where the provider and the floor write a
	// CPU profile per process (-cpuprofile).
	profileDir string
}

// options are the command-line flags.
type options struct {
	quick               bool
	write               string
	only                []string
	parallelism         int
	throttleRate        int
	throttleParallelism []int
	keep                bool
	provider            string
	quietLoad           float64
	quietWait           time.Duration
	cpuProfile          bool
	repeats             int
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	var only, throttleParallelism string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.quick, "quick", false, "smaller N everywhere, for development (well under a minute)")
	fs.StringVar(&o.write, "write", "", "replace the generated section of each scenario run in this Markdown file (e.g. BENCHMARKS.md)")
	fs.StringVar(&only, "only", "", "comma-separated scenarios to run: "+scenarioNames()+" (default all)")
	fs.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism for the apply scenario (Terraform's default is 10)")
	fs.IntVar(&o.throttleRate, "throttle-rate", defaultThrottleRate, "emulator rate limit (requests per second per partner) of the throttled apply")
	fs.StringVar(&throttleParallelism, "throttle-parallelism", defaultThrottleParallelism, "terraform -parallelism values of the throttled apply, one run each (comma-separated)")
	fs.StringVar(&o.provider, "provider", "", "benchmark this provider binary instead of building the working tree (to compare builds)")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory (configurations, state) for inspection")
	fs.Float64Var(&o.quietLoad, "quiet-load", 1.5, "with -quiet-wait, the 1-minute load average to wait for")
	fs.IntVar(&o.repeats, "repeats", targetRepeats, "runs of each command at the sizes with a target (the medians are compared); fewer is faster and noisier")
	fs.BoolVar(&o.cpuProfile, "cpuprofile", false, "profile the provider and floor processes of the apply scenario and show the top functions of the largest N")
	fs.DurationVar(&o.quietWait, "quiet-wait", 0, "wait up to this long for the machine to be quiet before measuring")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if o.parallelism < 1 || o.throttleRate < 1 || o.repeats < 1 {
		return o, errors.New("-parallelism, -throttle-rate and -repeats must be at least 1")
	}
	for _, f := range strings.Split(throttleParallelism, ",") {
		p, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || p < 1 {
			return o, fmt.Errorf("-throttle-parallelism: %q is not a positive number", f)
		}
		o.throttleParallelism = append(o.throttleParallelism, p)
	}
	known := map[string]bool{}
	for _, s := range registered() {
		known[s.name] = true
	}
	for _, name := range strings.Split(only, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !known[name] {
			return o, fmt.Errorf("-only: unknown scenario %q", name)
		}
		o.only = append(o.only, name)
	}
	return o, nil
}

func (o options) selected(name string) bool {
	if len(o.only) == 0 {
		return true
	}
	for _, n := range o.only {
		if n == name {
			return true
		}
	}
	return false
}

func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseOptions(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "bench:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logf := func(format string, a ...any) { _, _ = fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }

	root, err := moduleRoot()
	if err != nil {
		logf("%v", err)
		return 2
	}
	workDir, err := os.MkdirTemp("", "partnercenter-bench-")
	if err != nil {
		logf("%v", err)
		return 2
	}
	if opts.keep {
		logf("working directory: %s", workDir)
	} else {
		defer func() { _ = os.RemoveAll(workDir) }()
	}

	env := &benchEnv{
		ctx: ctx, workDir: workDir, quick: opts.quick, parallelism: opts.parallelism,
		throttleRate: opts.throttleRate, throttleParallelism: opts.throttleParallelism, logf: logf,
	}
	env.repeats = opts.repeats
	if opts.cpuProfile {
		env.profileDir = filepath.Join(workDir, "profiles")
	}
	for _, s := range registered() {
		if s.usesCLI && opts.selected(s.name) {
			logf("building the provider and finding the Terraform CLI")
			if env.cli, err = newTerraformCLI(ctx, root, workDir, opts.provider, true); err != nil {
				logf("%v", err)
				return 2
			}
			break
		}
	}

	meta := runMeta{machine: describeMachine(), args: args, parallelism: opts.parallelism, quick: opts.quick,
		commit: describeCommit(ctx, root), prebuilt: opts.provider != ""}
	if env.cli != nil {
		meta.cli = env.cli.version
	}
	if opts.quietWait > 0 {
		waitForQuiet(ctx, opts.quietLoad, opts.quietWait, logf)
	}
	meta.started = time.Now()
	var results []Result
	generated := map[string]string{}
	for _, s := range registered() {
		if !opts.selected(s.name) || ctx.Err() != nil {
			continue
		}
		sm := scenarioMeta{started: time.Now(), loadBefore: loadAverage()}
		rows := s.run(env)
		sm.took, sm.loadAfter = time.Since(sm.started), loadAverage()
		logf("%s: took %s; load average (1 min) %.2f before, %.2f after", s.name, sm.took.Round(time.Second), sm.loadBefore, sm.loadAfter)
		results = append(results, rows...)
		generated[s.name] = meta.sectionMarkdown(s, sm, rows)
	}
	meta.took = time.Since(meta.started)

	_, _ = fmt.Fprintf(stdout, "%s\n\n", meta.summary())
	if err := writeTable(stdout, results); err != nil {
		logf("%v", err)
		return 2
	}
	if opts.write != "" && ctx.Err() == nil {
		var order []string
		for _, s := range registered() {
			order = append(order, s.name)
		}
		if err := writeReport(opts.write, order, generated, len(opts.only) == 0); err != nil {
			logf("%v", err)
			return 2
		}
		logf("wrote %s", opts.write)
	}
	if ctx.Err() != nil || failures(results) > 0 {
		return 1
	}
	return 0
}

// moduleRoot finds the directory of this module's go.mod from the working
// directory up, where `go build` of the provider runs.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod")) // #nosec G304 -- go.mod of an ancestor directory.
		if err == nil && strings.Contains(string(b), "module github.com/partnercenter-terraform/terraform-provider-partnercenter\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the benchmark from the provider's module (its go.mod was not found above the working directory)")
		}
		dir = parent
	}
}

// runMeta is the context printed with the figures.
type runMeta struct {
	machine     machine
	cli         string
	args        []string
	parallelism int
	quick       bool
	started     time.Time
	took        time.Duration
	// commit is the working tree's commit (see describeCommit); prebuilt
	// says the provider measured was another build (-provider).
	commit   string
	prebuilt bool
}

// describeCommit names the commit of the working tree the benchmark built
// the provider from, marked when the tree had uncommitted changes, or says
// why it is unknown.
func describeCommit(ctx context.Context, root string) string {
	git := func(args ...string) (string, error) {
		out, err := exec.CommandContext(ctx, "git", append([]string{"-C", root}, args...)...).Output() // #nosec G204 -- fixed git arguments.
		return strings.TrimSpace(string(out)), err
	}
	head, err := git("rev-parse", "--short=12", "HEAD")
	if err != nil || head == "" {
		return "unknown (not a git checkout)"
	}
	// Documents do not change what is measured: a bench writing
	// BENCHMARKS.md while another runs must not mark the other's commit.
	if status, err := git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)*.md"); err == nil && status != "" {
		return head + " with uncommitted changes"
	}
	return head
}

// measured says what was measured: the commit, or another build.
func (m runMeta) measured() string {
	if m.prebuilt {
		return fmt.Sprintf("a prebuilt provider (-provider); the bench itself is commit %s", m.commit)
	}
	return "commit " + m.commit
}

func (m runMeta) command() string {
	cmd := "go run ./cmd/partnercenter-bench"
	if len(m.args) > 0 {
		cmd += " " + strings.Join(m.args, " ")
	}
	return cmd
}

func (m runMeta) summary() string {
	mode := "full run"
	if m.quick {
		mode = "quick run (-quick: smaller N, targets still checked)"
	}
	return fmt.Sprintf("%s, %s in %s\nmeasured: %s\nmachine: %s\nCLI: %s",
		m.command(), mode, m.took.Round(time.Second), m.measured(), m.machine, m.cli)
}

// scenarioMeta is when one scenario ran and how loaded the machine was.
type scenarioMeta struct {
	started               time.Time
	took                  time.Duration
	loadBefore, loadAfter float64
}

// sectionMarkdown is a scenario's generated section: its own stamp (commit,
// date, CLI, load while it ran), its budgets, its table and its notes.
func (m runMeta) sectionMarkdown(s scenario, sm scenarioMeta, rs []Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s (`-only %s`)\n\n", s.title, s.name)
	rows, _ := splitNotes(rs)
	fmt.Fprintf(&b, "Measured on %s UTC by `%s` (this scenario took %s); %d measurements, %d failed.\n\n",
		sm.started.UTC().Format("2006-01-02 15:04"), m.command(), sm.took.Round(time.Second), len(rows), failures(rs))
	fmt.Fprintf(&b, "- Measured: %s.\n", m.measured())
	if s.usesCLI {
		fmt.Fprintf(&b, "- CLI: %s, `-parallelism=%d` unless a row says otherwise.\n", m.cli, m.parallelism)
	}
	fmt.Fprintf(&b, "- Machine: %s; load average (1 min) %.2f before this scenario, %.2f after.\n", m.machine, sm.loadBefore, sm.loadAfter)
	if m.quick {
		b.WriteString("- Quick run: smaller N than the targets are defined for.\n")
	}
	b.WriteString("\n")
	if bm := budgetsMarkdown(s.budgets); bm != "" {
		b.WriteString(bm + "\n")
	}
	b.WriteString(markdownTable(rs))
	return b.String()
}

// seconds formats a duration as seconds with two decimals.
func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// megabytes formats bytes in MB (10^6 bytes).
func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// shortDuration formats durations the way people say them: 1m, 72h, 2m30s, 1.2ms.
func shortDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d < time.Second:
		return d.Round(time.Microsecond).String()
	}
	s := d.Round(time.Second).String()
	for _, unit := range []string{"h", "m"} {
		s = strings.Replace(s, unit+"0s", unit, 1)
	}
	return strings.Replace(s, "h0m", "h", 1)
}
