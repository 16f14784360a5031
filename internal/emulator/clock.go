// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"sync"
	"time"
)

// virtualClock is Start + real elapsed*speed + manual advances. Every change
// rebases it on the current instant, so changing speed never makes time jump
// and virtual time never goes backwards.
type virtualClock struct {
	mu          sync.Mutex
	wall        func() time.Time
	baseVirtual time.Time
	baseReal    time.Time
	speed       float64
}

func newVirtualClock(start time.Time, speed float64, wall func() time.Time) *virtualClock {
	return &virtualClock{wall: wall, baseVirtual: start.UTC(), baseReal: wall(), speed: speed}
}

func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked(c.wall())
}

func (c *virtualClock) nowLocked(wall time.Time) time.Time {
	elapsed := wall.Sub(c.baseReal)
	if elapsed < 0 {
		elapsed = 0
	}
	return c.baseVirtual.Add(time.Duration(float64(elapsed) * c.speed))
}

// Advance moves virtual time forward by d (negative values are ignored).
func (c *virtualClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := c.wall()
	c.baseVirtual = c.nowLocked(wall)
	if d > 0 {
		c.baseVirtual = c.baseVirtual.Add(d)
	}
	c.baseReal = wall
	return c.baseVirtual
}

// SetSpeed changes the rate from now on; 0 freezes the clock.
func (c *virtualClock) SetSpeed(f float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := c.wall()
	c.baseVirtual = c.nowLocked(wall)
	c.baseReal = wall
	c.speed = f
}

func (c *virtualClock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// SetNow jumps to t if it is later than the current virtual time (restoring a
// state file must not move time backwards past existing deadlines).
func (c *virtualClock) SetNow(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := c.wall()
	now := c.nowLocked(wall)
	if t.After(now) {
		now = t.UTC()
	}
	c.baseVirtual, c.baseReal = now, wall
}
