// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readmeMinimums reads the minimum Terraform and OpenTofu versions README.md
// promises, e.g. "[Terraform](...) 1.7 or later".
func readmeMinimums(t *testing.T) (terraform, tofu [2]int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	find := func(name string) [2]int {
		m := regexp.MustCompile(`\[` + name + `\]\([^)]*\)\s+(\d+)\.(\d+) or later`).FindStringSubmatch(string(b))
		if m == nil {
			t.Fatalf("README.md no longer states a minimum %s version as \"[%s](...) X.Y or later\"", name, name)
		}
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		return [2]int{major, minor}
	}
	return find("Terraform"), find("OpenTofu")
}

// The examples declare the same minimum the README promises.
func TestReadmeMinimumMatchesExamples(t *testing.T) {
	tf, _ := readmeMinimums(t)
	want := `required_version = ">= ` + strconv.Itoa(tf[0]) + "." + strconv.Itoa(tf[1]) + `.0"`
	found := 0
	examples := os.DirFS(filepath.Join("..", "..", "examples"))
	err := fs.WalkDir(examples, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".tf" {
			return err
		}
		b, err := fs.ReadFile(examples, p)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "required_version") {
				found++
				if strings.TrimSpace(line) != want {
					t.Errorf("%s: %q, README.md promises %s", p, strings.TrimSpace(line), want)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("no example declares required_version")
	}
}

// The CLI the acceptance suite runs on is one the README supports, so a CI
// that passes on an older CLI cannot make the README's promise untrue.
func TestAccCLIVersionIsSupported(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests (TF_ACC) not enabled")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set: the suite must name the CLI it runs on")
	}
	out, err := exec.CommandContext(t.Context(), cli, "version", "-json").Output() // #nosec G702 -- the CLI under test, named by the test environment.
	if err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	var v struct {
		TerraformVersion string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(v.TerraformVersion, ".", 3)
	if len(parts) < 2 {
		t.Fatalf("unexpected version %q", v.TerraformVersion)
	}
	major, _ := strconv.Atoi(parts[0])
	minor, _ := strconv.Atoi(parts[1])
	tf, tofu := readmeMinimums(t)
	name, minimum := "Terraform", tf
	if strings.Contains(filepath.Base(cli), "tofu") {
		name, minimum = "OpenTofu", tofu
	}
	if major < minimum[0] || (major == minimum[0] && minor < minimum[1]) {
		t.Fatalf("the suite runs on %s %s, older than the %d.%d README.md supports", name, v.TerraformVersion, minimum[0], minimum[1])
	}
	t.Logf("acceptance suite runs on %s %s (README.md: %d.%d or later)", name, v.TerraformVersion, minimum[0], minimum[1])
}
