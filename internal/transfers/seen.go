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

// Since returns the transfer IDs recorded at or after since.
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
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		at, id, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		if secs, err := strconv.ParseInt(at, 10, 64); err == nil && !time.Unix(secs, 0).Before(since) {
			out[id] = true
		}
	}
	return out
}
