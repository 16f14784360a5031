// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Every example file is claimed by a test (exampleTests), and the claim is
// proved: tests reach examples/ only through exampleFile and
// exampleDirPath, which record what each test read or handed to Terraform,
// and after the package's tests ran, TestMain fails when a claimed test ran
// but never read a file it claims (unreadExamples). The check does not
// depend on test order: it looks at what each test recorded itself.

// exampleReads holds, per top-level test, the example files (relative to
// examples/, forward slashes) it read or handed to a command.
var exampleReads = struct {
	sync.Mutex
	byTest map[string]map[string]bool
}{byTest: map[string]map[string]bool{}}

func recordExampleRead(t *testing.T, rel string) {
	t.Helper()
	test, _, _ := strings.Cut(t.Name(), "/")
	exampleReads.Lock()
	defer exampleReads.Unlock()
	if exampleReads.byTest[test] == nil {
		exampleReads.byTest[test] = map[string]bool{}
	}
	exampleReads.byTest[test][filepath.ToSlash(rel)] = true
}

// exampleFile reads examples/<rel> for the test.
func exampleFile(t *testing.T, rel string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(examplesDir, filepath.FromSlash(rel))) // #nosec G304 -- the repository's own example files.
	if err != nil {
		t.Fatal(err)
	}
	recordExampleRead(t, rel)
	return src
}

// exampleDirPath is the path of the example directory examples/<rel>,
// which the test hands as a whole to Terraform or another command: every
// file under it counts as read.
func exampleDirPath(t *testing.T, rel string) string {
	t.Helper()
	dir := filepath.Join(examplesDir, filepath.FromSlash(rel))
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		sub, err := filepath.Rel(examplesDir, path)
		if err != nil {
			return err
		}
		recordExampleRead(t, sub)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// listExampleFiles lists every file under examples/ except Markdown,
// relative and with forward slashes.
func listExampleFiles() ([]string, error) {
	var files []string
	err := filepath.WalkDir(examplesDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.EqualFold(filepath.Ext(path), ".md") {
			return nil
		}
		rel, err := filepath.Rel(examplesDir, path)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	slices.Sort(files)
	return files, err
}

// unreadExamples lists the example files whose claiming test ran in this
// process without reading them. It runs after m.Run, with TF_ACC set (the
// example tests skip before reading anything otherwise), and only for the
// tests -run selected.
func unreadExamples() []string {
	if os.Getenv("TF_ACC") == "" || flagValue("test.list") != "" {
		return nil
	}
	files, err := listExampleFiles()
	if err != nil {
		return []string{err.Error()}
	}
	exampleReads.Lock()
	defer exampleReads.Unlock()
	var problems []string
	for _, rel := range files {
		test := exampleTestFor(rel)
		if !strings.HasPrefix(test, "Test") || !testSelected(test) {
			continue
		}
		if !exampleReads.byTest[test][rel] {
			problems = append(problems, fmt.Sprintf("examples/%s is claimed by %s, which ran without reading it "+
				"(read examples through exampleFile or exampleDirPath, or claim it for the test that does)", rel, test))
		}
	}
	return problems
}

// testSelected reports whether -run (and -skip) select the top-level test.
func testSelected(name string) bool {
	matches := func(pattern string) bool {
		top, _, _ := strings.Cut(pattern, "/")
		re, err := regexp.Compile(top)
		return err == nil && re.MatchString(name)
	}
	if run := flagValue("test.run"); run != "" && !matches(run) {
		return false
	}
	if skip := flagValue("test.skip"); skip != "" && matches(skip) {
		return false
	}
	return true
}

func flagValue(name string) string {
	if f := flag.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}
