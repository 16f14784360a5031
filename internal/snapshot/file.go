// SPDX-License-Identifier: MPL-2.0

package snapshot

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

// PartialSuffix names the file an unfinished run keeps its progress in,
// next to the output: <output>.partial, always marked complete=false.
const PartialSuffix = ".partial"

// WriteFile writes s as indented JSON atomically: a temporary file in the
// same directory, synced, then renamed over path. A reader never sees a
// half-written file, and a killed run leaves only the temporary file
// (hidden, named .<base>.tmp-*). Owner-only: a snapshot holds customer data.
func WriteFile(path string, s emulator.Seed) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the snapshot: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // Gone after a successful rename.
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	return nil
}

// ReadPartial reads an unfinished snapshot without the emulator's checks
// (which refuse it). It returns (nil, nil) when the file does not exist.
func ReadPartial(path string) (*emulator.Seed, error) {
	b, err := os.ReadFile(path) // #nosec G304 -- the operator's own output file.
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s emulator.Seed
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// ResumeProblem says why a partial snapshot cannot be continued by a run
// for partner with the given anonymization, or "" when it can.
func ResumeProblem(partial *emulator.Seed, partner string, anonymized bool) string {
	h := partial.Snapshot
	switch {
	case h == nil:
		return "it has no snapshot header"
	case h.Format != emulator.SnapshotFormat:
		return fmt.Sprintf("it is format %d, this command writes %d", h.Format, emulator.SnapshotFormat)
	case h.Complete:
		return "it says complete"
	case !strings.EqualFold(h.PartnerTenantID, partner):
		return fmt.Sprintf("it is partner %s's, this run signs in as %s", h.PartnerTenantID, partner)
	case h.Anonymized != anonymized:
		return fmt.Sprintf("it was taken with -anonymize=%v", h.Anonymized)
	}
	return ""
}
