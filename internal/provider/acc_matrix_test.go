// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"os"
	"slices"
	"testing"
)

// envAccMatrix selects how much of the CLI-independent test matrices (wire
// variants, fault profiles) a run covers. CI's main leg (`make test`,
// Terraform 1.11) runs them whole and renders RELIABILITY.md from them; the
// OpenTofu and Terraform 1.14 legs set it to "representative" and run a few
// cases of each, which exercise the same provider code through the other
// CLI (scripts/ci/go-test.sh). Unset means the whole matrix.
const envAccMatrix = "PARTNERCENTER_ACC_MATRIX"

// representativeMatrix reports whether this run covers only a
// representative part of the matrices.
func representativeMatrix() bool { return os.Getenv(envAccMatrix) == "representative" }

// matrixCases returns all, or on a representative run only the names in
// representative (which must all be in all), and logs the choice so a
// reader of the test log sees what ran.
func matrixCases(t *testing.T, all []string, representative ...string) []string {
	t.Helper()
	for _, name := range representative {
		if !slices.Contains(all, name) {
			t.Fatalf("representative case %q is not in the matrix %q", name, all)
		}
	}
	if !representativeMatrix() {
		return all
	}
	t.Logf("%s=representative: running %d of %d cases (%q); the whole matrix runs in CI's main leg (make test)",
		envAccMatrix, len(representative), len(all), representative)
	return representative
}
