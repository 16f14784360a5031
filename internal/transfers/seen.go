// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SeenLog records the transfers Terraform state holds, as Read sees them,
// in a file shared by every provider process of this user. Terraform shows a
// provider no other resource's state; but the plan of an apply reads every
// resource in state before the apply creates anything, so a create can
// leave out of adoption every transfer a recent Read saw: those are held by
// a resource, not orphaned. Lines are "<unix seconds> <transfer id>".
type SeenLog struct {
	path string
	mu   sync.Mutex
}

// NewSeenLog returns a log in dir; an empty dir turns it off.
func NewSeenLog(dir string) *SeenLog {
	if dir == "" {
		return nil
	}
	return &SeenLog{path: filepath.Join(dir, "transfers-in-state.log")}
}

// Record notes that a resource in state holds transferID. Failures are
// ignored: the log only makes adoption more careful.
func (l *SeenLog) Record(transferID string, now time.Time) {
	if l == nil || transferID == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		return
	}
	f, err := os.OpenFile(l.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer func() { _ = f.Close() }()
	// One short write per line: appends of this size do not interleave.
	_, _ = fmt.Fprintf(f, "%d %s\n", now.Unix(), strings.ToLower(transferID))
}

// Since returns the transfer IDs recorded at or after since. When most of
// the file is older than that, it is rewritten with the recent lines only.
func (l *SeenLog) Since(since time.Time) map[string]bool {
	out := map[string]bool{}
	if l == nil {
		return out
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.Open(l.path)
	if err != nil {
		return out
	}
	var keep []string
	old := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		at, id, ok := strings.Cut(sc.Text(), " ")
		secs, err := strconv.ParseInt(at, 10, 64)
		if !ok || err != nil || time.Unix(secs, 0).Before(since) {
			old++
			continue
		}
		out[id] = true
		keep = append(keep, sc.Text())
	}
	_ = f.Close()
	if old > compactAfter && old > len(keep) {
		l.rewrite(keep)
	}
	return out
}

// compactAfter is how many stale lines the log tolerates.
const compactAfter = 10_000

// rewrite replaces the log with lines, atomically.
func (l *SeenLog) rewrite(lines []string) {
	tmp, err := os.CreateTemp(filepath.Dir(l.path), ".transfers-in-state-*")
	if err != nil {
		return
	}
	for _, line := range lines {
		_, _ = fmt.Fprintln(tmp, line)
	}
	if tmp.Close() != nil || os.Rename(tmp.Name(), l.path) != nil {
		_ = os.Remove(tmp.Name())
	}
}
