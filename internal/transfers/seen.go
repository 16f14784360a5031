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

// RecordPost notes, before a create is sent, that this provider
// configuration (creator) of the Terraform process that started this
// provider (the parent process) creates a request for customerID.
// creator names the Service (one provider configuration) in the process.
func (l *SeenLog) RecordPost(customerID, creator string, now time.Time) {
	l.append(fmt.Sprintf("%d post %s %d %s\n", now.Unix(), strings.ToLower(customerID), os.Getppid(), creator))
}

// OtherCreatorRunning reports whether another provider configuration
// noted a create for customerID since `since` in a Terraform process that
// is still running: Terraform records that request in its state, so it
// must not be taken for an orphan. Terraform closes a provider as soon as
// its resources are done, so the Terraform process, not the provider's,
// tells whether the run goes on. (Where a process cannot be probed, as on
// Windows, it counts as gone.)
func (l *SeenLog) OtherCreatorRunning(customerID, creator string, since time.Time) bool {
	for _, e := range l.entries(since) {
		if e.customer == strings.ToLower(customerID) && e.creator != creator && processAlive(e.pid) {
			return true
		}
	}
	return false
}

type seenEntry struct {
	id       string // a transfer held in state, or
	customer string // a create under way, in the Terraform process
	pid      int
	creator  string
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
		case len(fields) >= 4 && fields[1] == "post":
			pid, _ := strconv.Atoi(fields[3])
			e := seenEntry{customer: fields[2], pid: pid, line: sc.Text()}
			if len(fields) > 4 {
				e.creator = fields[4]
			}
			out = append(out, e)
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

// processAlive reports whether pid is a running process. A zombie (a
// killed process nobody reaped, common in containers) is not running.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// "pid (comm) state ...": the state follows the last ')'.
		if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) {
			return stat[i+2] != 'Z' && stat[i+2] != 'X'
		}
		return true
	} else if _, statErr := os.Stat("/proc/self/stat"); statErr == nil {
		return false // /proc works and has no such process
	}
	p, err := os.FindProcess(pid)
	if err != nil {
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
