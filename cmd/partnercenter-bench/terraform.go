// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// providerAddress is the provider's source address in configurations,
// floorAddress the floor provider's.
const (
	providerAddress = "partnercenter-terraform/partnercenter"
	floorAddress    = "partnercenter-terraform/floor"
)

// terraformCLI runs the real Terraform (or OpenTofu) CLI against a locally
// built provider through dev_overrides, so no `init` is needed.
type terraformCLI struct {
	path    string
	version string
	// cliConfig is the TF_CLI_CONFIG_FILE with the dev_overrides block.
	cliConfig string
}

// findTerraform picks the CLI: $TERRAFORM (a path or a name on PATH), then
// terraform on PATH, then /usr/local/bin/terraform, then tofu.
func findTerraform(getenv func(string) string) (string, error) {
	if v := strings.TrimSpace(getenv("TERRAFORM")); v != "" {
		p, err := exec.LookPath(v)
		if err != nil {
			return "", fmt.Errorf("TERRAFORM=%q: %w", v, err)
		}
		return p, nil
	}
	for _, name := range []string{"terraform", "/usr/local/bin/terraform", "tofu"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Terraform CLI found: set TERRAFORM, or put terraform or tofu on PATH")
}

// cliConfigText is a CLI configuration that serves the provider and the
// floor from their directories without init, and never calls HashiCorp's
// checkpoint service.
func cliConfigText(pluginDir, floorDir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
    %q = %q
  }
  direct {}
}
disable_checkpoint = true
`, providerAddress, pluginDir, floorAddress, floorDir)
}

// newTerraformCLI finds the CLI, builds the provider into workDir/plugins
// (or copies prebuilt there, to compare builds) and writes the CLI
// configuration.
func newTerraformCLI(ctx context.Context, moduleRoot, workDir, prebuilt string, release bool) (*terraformCLI, error) {
	path, err := findTerraform(os.Getenv)
	if err != nil {
		return nil, err
	}
	pluginDir, floorDir := filepath.Join(workDir, "plugins"), filepath.Join(workDir, "floor")
	dest := filepath.Join(pluginDir, providerProcessName)
	if prebuilt != "" {
		err = copyExecutable(prebuilt, dest)
	} else {
		err = buildProvider(ctx, moduleRoot, ".", dest, release)
	}
	if err != nil {
		return nil, err
	}
	if err := buildProvider(ctx, moduleRoot, "./cmd/partnercenter-bench/floorprovider", filepath.Join(floorDir, floorProcessName), release); err != nil {
		return nil, fmt.Errorf("floor provider: %w", err)
	}
	cfg := filepath.Join(workDir, "terraform.tfrc")
	if err := os.WriteFile(cfg, []byte(cliConfigText(pluginDir, floorDir)), 0o600); err != nil {
		return nil, fmt.Errorf("writing the CLI configuration: %w", err)
	}
	t := &terraformCLI{path: path, cliConfig: cfg}
	t.version = t.readVersion(ctx)
	return t, nil
}

// buildProvider compiles the provider; with release as a release would
// (trimmed paths), else like the acceptance tests' build, which shares
// their build cache (TestBenchRequests).
func buildProvider(ctx context.Context, moduleRoot, pkg, dest string, release bool) error {
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = "/usr/local/go/bin/go"
	}
	args := []string{"build", "-ldflags", "-X main.version=bench", "-o", dest, pkg}
	if release {
		args = append([]string{"build", "-trimpath"}, args[1:]...)
	}
	cmd := exec.CommandContext(ctx, goBin, args...) // #nosec G204 -- fixed arguments.
	cmd.Dir = moduleRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return nil
}

func copyExecutable(src, dest string) error {
	b, err := os.ReadFile(src) // #nosec G304 -- the operator's -provider binary.
	if err != nil {
		return fmt.Errorf("reading the -provider binary: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o700); err != nil {
		return err
	}
	return os.WriteFile(dest, b, 0o700) // #nosec G306 G703 -- an executable in the benchmark directory, run only by this user.
}

func (t *terraformCLI) readVersion(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, t.path, "version", "-json").Output() // #nosec G204 -- the operator's CLI.
	if err != nil {
		return "unknown"
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if json.Unmarshal(out, &v) != nil || v.Version == "" {
		return "unknown"
	}
	return filepath.Base(t.path) + " " + v.Version
}

// runResult is what one CLI command cost.
type runResult struct {
	Wall time.Duration
	// CPU is the CPU time of the CLI and every process it started.
	CPU      time.Duration
	Provider providerUsage
	ExitCode int
	Output   string
}

// run executes the CLI in dir with env added to a clean environment and
// watches the provider processes it starts. A non-zero exit is an error.
func (t *terraformCLI) run(ctx context.Context, dir string, env []string, args ...string) (runResult, error) {
	cmd := exec.CommandContext(ctx, t.path, args...) // #nosec G204 -- the operator's CLI with arguments built here.
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(os.Environ()), append([]string{
		"TF_CLI_CONFIG_FILE=" + t.cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	}, env...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return runResult{}, fmt.Errorf("starting %s: %w", t.path, err)
	}
	watcher := watchProviders(cmd.Process.Pid)
	err := cmd.Wait()
	res := runResult{Wall: time.Since(started), Output: out.String(), Provider: watcher.finish()}
	// Kept with -keep, to read what the CLI said.
	_ = appendFile(filepath.Join(dir, "terraform.log"), fmt.Sprintf("$ terraform %s\n%s\n", strings.Join(args, " "), res.Output))
	if cmd.ProcessState != nil {
		// The rusage of a waited-for process includes its reaped children.
		res.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
		return res, fmt.Errorf("terraform %s exited with %d:\n%s", strings.Join(args, " "), res.ExitCode, tail(res.Output, 2000))
	case err != nil:
		return res, fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	return res, nil
}

// cleanEnv drops the caller's Terraform and provider settings, which would
// change what is measured (logging, extra CLI arguments, other credentials).
func cleanEnv(environ []string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "PARTNERCENTER_") || strings.HasPrefix(name, "ARM_") ||
			name == "SSL_CERT_FILE" || name == "SSL_CERT_DIR" {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// tail keeps the end of long CLI output for error messages.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600) // #nosec G304 -- a file in the benchmark's own directory.
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// writeFiles writes name -> content into a new directory dir.
func writeFiles(dir string, files map[string]string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			return err
		}
	}
	return nil
}
