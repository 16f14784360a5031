// SPDX-License-Identifier: MPL-2.0

// Command bench measures how the provider's cost grows with the work,
// against baselines measured in the same run: the real Terraform CLI
// applying N transfers against the local emulator next to N terraform_data
// resources, HTTP requests per command against the minimum, long waits on
// the emulator's virtual clock, a throttled apply, listing 10,000 transfers
// and provider start-up. It prints one table with every figure, its target
// and pass/fail, and with -write splices the table into BENCHMARKS.md.
//
//	go run ./cmd/partnercenter-bench [-quick] [-only apply,wait,throttle,list,startup,scan,bulk] [-write BENCHMARKS.md]
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
}

// scenario is one numbered part of the report.
type scenario struct {
	name string
	// usesCLI is false for scenarios that run in process only.
	usesCLI bool
	run     func(*benchEnv) []Result
}

var scenarios = []scenario{
	{"apply", true, applyScenario},
	{"wait", false, waitScenario},
	{"throttle", true, throttleScenario},
	{"list", true, listScenario},
	{"startup", true, startupScenario},
	{"scan", true, scanScenario},
	{"bulk", true, bulkScenario},
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
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	var only, throttleParallelism string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.quick, "quick", false, "smaller N everywhere, for development (well under a minute)")
	fs.StringVar(&o.write, "write", "", "splice the results into this Markdown file (e.g. BENCHMARKS.md) between its bench markers")
	fs.StringVar(&only, "only", "", "comma-separated scenarios to run: apply, wait, throttle, list, startup, scan, bulk (default all)")
	fs.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism for the apply scenario (Terraform's default is 10)")
	fs.IntVar(&o.throttleRate, "throttle-rate", defaultThrottleRate, "emulator rate limit (requests per second per partner) of the throttled apply")
	fs.StringVar(&throttleParallelism, "throttle-parallelism", defaultThrottleParallelism, "terraform -parallelism values of the throttled apply, one run each (comma-separated)")
	fs.StringVar(&o.provider, "provider", "", "benchmark this provider binary instead of building the working tree (to compare builds)")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory (configurations, state) for inspection")
	fs.Float64Var(&o.quietLoad, "quiet-load", 1.5, "with -quiet-wait, the 1-minute load average to wait for")
	fs.DurationVar(&o.quietWait, "quiet-wait", 0, "wait up to this long for the machine to be quiet before measuring")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if o.parallelism < 1 || o.throttleRate < 1 {
		return o, errors.New("-parallelism and -throttle-rate must be at least 1")
	}
	for _, f := range strings.Split(throttleParallelism, ",") {
		p, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || p < 1 {
			return o, fmt.Errorf("-throttle-parallelism: %q is not a positive number", f)
		}
		o.throttleParallelism = append(o.throttleParallelism, p)
	}
	known := map[string]bool{}
	for _, s := range scenarios {
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
	for _, s := range scenarios {
		if s.usesCLI && opts.selected(s.name) {
			logf("building the provider and finding the Terraform CLI")
			if env.cli, err = newTerraformCLI(ctx, root, workDir, opts.provider); err != nil {
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
	meta.loadBefore = loadAverage()
	meta.started = time.Now()
	var results []Result
	for _, s := range scenarios {
		if !opts.selected(s.name) || ctx.Err() != nil {
			continue
		}
		results = append(results, s.run(env)...)
	}
	meta.took = time.Since(meta.started)
	meta.loadAfter = loadAverage()

	_, _ = fmt.Fprintf(stdout, "%s\n\n", meta.summary())
	if err := writeTable(stdout, results); err != nil {
		logf("%v", err)
		return 2
	}
	if opts.write != "" {
		if err := writeReport(opts.write, meta.markdown(results)); err != nil {
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
	machine               machine
	cli                   string
	args                  []string
	parallelism           int
	quick                 bool
	started               time.Time
	took                  time.Duration
	loadBefore, loadAfter float64
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
	if status, err := git("status", "--porcelain", "--untracked-files=no"); err == nil && status != "" {
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
	return fmt.Sprintf("%s, %s in %s\nmeasured: %s\nmachine: %s\nCLI: %s; load average (1 min) %.2f before, %.2f after",
		m.command(), mode, m.took.Round(time.Second), m.measured(), m.machine, m.cli, m.loadBefore, m.loadAfter)
}

func (m runMeta) markdown(rs []Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured on %s UTC with `%s` (%s); %d measurements, %d failed.\n\n",
		m.started.UTC().Format("2006-01-02 15:04"), m.command(), m.took.Round(time.Second), len(rs), failures(rs))
	fmt.Fprintf(&b, "- Measured: %s.\n", m.measured())
	fmt.Fprintf(&b, "- Machine: %s.\n", m.machine)
	fmt.Fprintf(&b, "- CLI: %s, `-parallelism=%d` unless a row says otherwise.\n", m.cli, m.parallelism)
	fmt.Fprintf(&b, "- Load average (1 min): %.2f before the run, %.2f after.\n", m.loadBefore, m.loadAfter)
	if m.quick {
		b.WriteString("- Quick run: smaller N than the targets are defined for.\n")
	}
	b.WriteString("\n")
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
