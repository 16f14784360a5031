// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Every Terraform snippet in the documentation runs as written: each
// ```terraform, ```hcl or ```tf block of docs/, README.md and the examples'
// READMEs is extracted and validated (`terraform validate`) with the
// provider under test installed through dev_overrides, as a reader with a
// local build would (see the install section of docs/index.md).
//
// The convention, for whoever writes a guide:
//
//   - A snippet with a `terraform` block, or in a guide or README one with a
//     `variable` block, is a whole configuration, run as it is: it declares
//     `required_providers` itself (without it Terraform looks for
//     hashicorp/partnercenter) and every variable and resource it uses.
//   - Any other snippet, and every snippet of the reference pages
//     (docs/index.md, docs/resources, docs/data-sources: the registry's
//     examples), is pasted into a configuration that has the install
//     section's `required_providers`: the test adds only that, so
//     everything else it references must be in the snippet.
//   - A block whose fence follows the line `<!-- snippet: continued -->`
//     is another file of the previous snippet's configuration (for
//     example its variables.tf): they are validated together.
//   - A snippet importing by resource identity (`identity = {`) needs
//     Terraform or OpenTofu 1.12+ and is validated only on such a CLI.
//   - A block that cannot be a configuration (CLI configuration, a partial
//     attribute list) is skipped only when the line before its fence is
//     `<!-- snippet: fragment: <reason> -->`; maxSnippetFragments keeps
//     that list short.
//
// Guides' flows run against the emulator in the examples_*_test.go tests;
// this test checks that what a reader copies is complete and valid.

const maxSnippetFragments = 3

var (
	snippetFence    = regexp.MustCompile("^```(terraform|hcl|tf)\\s*$")
	fragmentMarker  = regexp.MustCompile(`^<!--\s*snippet:\s*fragment:\s*(\S.*?)\s*-->$`)
	terraformBlock  = regexp.MustCompile(`(?m)^\s*terraform\s*\{`)
	variableBlock   = regexp.MustCompile(`(?m)^\s*variable\s+"`)
	identityImport  = regexp.MustCompile(`(?m)^\s*identity\s*=\s*\{`)
	continuedMarker = regexp.MustCompile(`^<!--\s*snippet:\s*continued\s*-->$`)
)

// snippet is one fenced block of a Markdown file.
type snippet struct {
	file     string // relative to the module root
	line     int    // of the opening fence
	text     string
	fragment string // the reason, for a marked fragment
	// continued marks a block that joins the previous snippet.
	continued bool
}

// wholeConfiguration reports a snippet that must run without the
// install section's required_providers (see the convention above).
func (s snippet) wholeConfiguration() bool {
	if terraformBlock.MatchString(s.text) {
		return true
	}
	reference := s.file == "docs/index.md" || strings.HasPrefix(s.file, "docs/resources/") || strings.HasPrefix(s.file, "docs/data-sources/")
	return !reference && variableBlock.MatchString(s.text)
}

func (s snippet) String() string { return fmt.Sprintf("%s:%d", s.file, s.line) }

// docSnippets extracts every Terraform snippet of the documentation.
func docSnippets(t *testing.T, root string) []snippet {
	t.Helper()
	files := []string{"README.md"}
	for _, dir := range []string{"docs", "examples"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || filepath.Ext(path) != ".md" || (dir == "examples" && !strings.EqualFold(d.Name(), "README.md")) {
				return nil
			}
			rel, err := filepath.Rel(root, path)
			files = append(files, filepath.ToSlash(rel))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var out []snippet
	for _, rel := range files {
		out = append(out, snippetsOf(t, root, rel)...)
	}
	return out
}

func snippetsOf(t *testing.T, root, rel string) []snippet {
	t.Helper()
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel))) // #nosec G304 -- the repository's own documentation.
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var (
		out      []snippet
		cur      *snippet
		inOther  bool
		previous string
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur != nil && trimmed == "```":
			if cur.continued && len(out) > 0 {
				out[len(out)-1].text += "\n" + cur.text
			} else {
				if cur.continued {
					t.Errorf("%s:%d: a continued snippet without a snippet before it", rel, cur.line)
				}
				out = append(out, *cur)
			}
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		case inOther && strings.HasPrefix(trimmed, "```"):
			inOther = false
		case inOther:
		case snippetFence.MatchString(trimmed):
			cur = &snippet{file: rel, line: n}
			if m := fragmentMarker.FindStringSubmatch(previous); m != nil {
				cur.fragment = m[1]
			}
			cur.continued = continuedMarker.MatchString(previous)
		case strings.HasPrefix(trimmed, "```"):
			inOther = true
		}
		if trimmed != "" {
			previous = trimmed
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cur != nil {
		t.Errorf("%s:%d: unterminated code block", rel, cur.line)
	}
	return out
}

// snippetHeader is what a non-root snippet is pasted below.
const snippetHeader = `terraform {
  required_providers {
    partnercenter = {
      source = "partnercenter-terraform/partnercenter"
    }
  }
}
`

var (
	providerAliasRef  = regexp.MustCompile(`\bpartnercenter\.([a-z_][a-z0-9_]*)\b`)
	providerAliasDecl = regexp.MustCompile(`\balias\s*=\s*"([^"]+)"`)
)

// aliasBlocks declares the provider configurations a snippet uses
// (provider = partnercenter.source) but leaves to the page around it.
func aliasBlocks(text string) string {
	declared := map[string]bool{}
	for _, m := range providerAliasDecl.FindAllStringSubmatch(text, -1) {
		declared[m[1]] = true
	}
	var b strings.Builder
	for _, m := range providerAliasRef.FindAllStringSubmatch(text, -1) {
		if !declared[m[1]] {
			declared[m[1]] = true
			fmt.Fprintf(&b, "provider \"partnercenter\" {\n  alias = %q\n}\n", m[1])
		}
	}
	return b.String()
}

// devOverridesConfig is a CLI configuration installing the provider under
// test from dir for both registries' short address.
func devOverridesConfig(t *testing.T, dir string) string {
	t.Helper()
	rc := filepath.Join(t.TempDir(), "dev.tfrc")
	text := fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
    %q = %q
  }
  direct {}
}
disable_checkpoint = true
`, providerSource, dir, openTofuSource, dir)
	if err := os.WriteFile(rc, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return rc
}

// TestAccDocSnippetsValidate validates every snippet with the real CLI.
func TestAccDocSnippetsValidate(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run the Terraform CLI")
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH")
	}
	externalProviders(t) // Builds the provider into the mirror.
	built := filepath.Join(mirrorDir, providerSource, mirrorVersion, runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-partnercenter_v"+mirrorVersion)
	pluginDir := t.TempDir()
	if err := linkInto(built, filepath.Join(pluginDir, "terraform-provider-partnercenter")); err != nil {
		t.Fatal(err)
	}
	rc := devOverridesConfig(t, pluginDir)
	identityImports := cliAtLeast(t, bin, 1, 12)

	snippets := docSnippets(t, filepath.Join("..", ".."))
	var fragments []string
	skipped := 0
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, s := range snippets {
		if s.fragment != "" {
			fragments = append(fragments, fmt.Sprintf("%s (%s)", s, s.fragment))
			continue
		}
		if !identityImports && identityImport.MatchString(s.text) {
			t.Logf("%s imports by identity: not validated on this CLI (before 1.12)", s)
			skipped++
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if out, err := validateSnippet(t, bin, rc, s); err != nil {
				t.Errorf("%s does not validate as written (%v):\n%s\n--- snippet ---\n%s", s, err, out, s.text)
			}
		})
	}
	wg.Wait()
	if len(fragments) > maxSnippetFragments {
		t.Errorf("%d snippets are marked as fragments, at most %d may be: make them complete\n%s", len(fragments), maxSnippetFragments, strings.Join(fragments, "\n"))
	}
	t.Logf("validated %d snippets (%d need a newer CLI); %d marked fragments: %s", len(snippets)-len(fragments)-skipped, skipped, len(fragments), strings.Join(fragments, "; "))
}

// validateSnippet runs terraform validate on s in a directory of its own.
func validateSnippet(t *testing.T, bin, rc string, s snippet) (string, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(s.text), 0o600); err != nil {
		return "", err
	}
	if !s.wholeConfiguration() {
		if err := os.WriteFile(filepath.Join(dir, "snippet_provider.tf"), []byte(snippetHeader+aliasBlocks(s.text)), 0o600); err != nil {
			return "", err
		}
	}
	cmd := exec.CommandContext(t.Context(), bin, "validate", "-no-color") // #nosec G204 G702 -- the CLI the test run was configured with.
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// cliAtLeast reports whether the CLI at bin is version major.minor or later.
func cliAtLeast(t *testing.T, bin string, major, minor int) bool {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), bin, "version", "-json").Output() // #nosec G204 G702 -- the CLI the test run was configured with.
	if err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	var gotMajor, gotMinor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &gotMajor, &gotMinor); err != nil {
		t.Fatalf("CLI version %q: %v", v.Version, err)
	}
	return gotMajor > major || gotMajor == major && gotMinor >= minor
}

// TestDocsInitSaysWhatToDoUnderDevOverrides: `terraform init` fails for a
// provider installed through dev_overrides (it still asks the registry), so
// every `terraform init` an example README tells the reader to run says on
// its line what to do with a local build.
func TestDocsInitSaysWhatToDoUnderDevOverrides(t *testing.T) {
	root := filepath.Join("..", "..")
	readmes, err := filepath.Glob(filepath.Join(root, "examples", "*", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	deeper, err := filepath.Glob(filepath.Join(root, "examples", "*", "*", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, path := range append(readmes, deeper...) {
		data, err := os.ReadFile(path) // #nosec G304 -- the repository's own documentation.
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			command := strings.TrimSpace(line)
			if _, after, ok := strings.Cut(command, "&&"); ok {
				command = strings.TrimSpace(after) // "cd target && terraform init"
			}
			if !strings.HasPrefix(command, "terraform init") {
				continue
			}
			checked++
			if !strings.Contains(line, "dev_overrides") {
				t.Errorf("%s:%d: %q: say on this line what to do with a local build under dev_overrides (skip init)", path, i+1, strings.TrimSpace(line))
			}
		}
	}
	t.Logf("%d terraform init commands in example READMEs checked", checked)
}
