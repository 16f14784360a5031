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
	"syscall"
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
	if transferID == "" {
		return
	}
	l.append(fmt.Sprintf("%d %s\n", now.Unix(), strings.ToLower(transferID)))
}

// append writes one line; one short write per line, so appends of several
// processes do not interleave.
func (l *SeenLog) append(line string) {
	if l == nil {
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
	_, _ = f.WriteString(line)
}

// Since returns the transfer IDs recorded at or after since.
func (l *SeenLog) Since(since time.Time) map[string]bool {
	out := map[string]bool{}
	for _, e := range l.entries(since) {
		if e.customer == "" {
			out[e.id] = true
		}
	}
	return out
}

// RecordPost notes, before a create is sent, that this process is creating
// a request for customerID.
func (l *SeenLog) RecordPost(customerID string, now time.Time) {
	l.append(fmt.Sprintf("%d post %s %d\n", now.Unix(), strings.ToLower(customerID), os.Getpid()))
}

// OtherCreatorRunning reports whether another live process noted a create
// for customerID since `since`: a request it is making now must not be
// taken for an orphan. (Where a process cannot be probed, as on Windows,
// it counts as gone.)
func (l *SeenLog) OtherCreatorRunning(customerID string, since time.Time) bool {
	self := os.Getpid()
	for _, e := range l.entries(since) {
		if e.customer == strings.ToLower(customerID) && e.pid != self && processAlive(e.pid) {
			return true
		}
	}
	return false
}

type seenEntry struct {
	id       string // a transfer held in state, or
	customer string // a create under way, by
	pid      int
	line     string
}

// entries reads the log's entries at or after since. When most of the file
// is older, it is rewritten with the recent lines only.
func (l *SeenLog) entries(since time.Time) []seenEntry {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.Open(l.path)
	if err != nil {
		return nil
	}
	var out []seenEntry
	old := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		var secs int64
		if len(fields) > 0 {
			secs, err = strconv.ParseInt(fields[0], 10, 64)
		}
		if len(fields) == 0 || err != nil || time.Unix(secs, 0).Before(since) {
			old++
			continue
		}
		switch {
		case len(fields) == 2:
			out = append(out, seenEntry{id: fields[1], line: sc.Text()})
		case len(fields) == 4 && fields[1] == "post":
			pid, _ := strconv.Atoi(fields[3])
			out = append(out, seenEntry{customer: fields[2], pid: pid, line: sc.Text()})
		default:
			old++
		}
	}
	_ = f.Close()
	if old > compactAfter && old > len(out) {
		lines := make([]string, len(out))
		for i, e := range out {
			lines[i] = e.line
		}
		l.rewrite(lines)
	}
	return out
}

// processAlive reports whether pid is a running process.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil || pid <= 0 {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
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
