package websocket

import (
	"time"

	"github.com/gornado/gornado/ioloop"
)

// keepalive is the state of Config.PingInterval, allocated only for
// connections that ping.
type keepalive struct {
	timer    *ioloop.Timeout
	lastPing time.Time
	lastPong time.Time
}

func (c *Conn) startKeepalive() {
	if c.set.pingInterval <= 0 || c.state != stateOpen {
		return
	}
	now := c.loop.Time()
	c.ka = &keepalive{lastPing: now, lastPong: now}
	c.ka.timer = c.loop.CallLater(c.set.pingInterval, c.periodicPing)
}

// periodicPing is Tornado's periodic_ping: it fails the connection if no
// pong came for PingTimeout (when the last ping went out on time: a loop
// that was suspended does not count against the peer), and else sends
// a ping.
func (c *Conn) periodicPing() {
	ka := c.ka
	if ka == nil || c.state != stateOpen {
		return
	}
	now := c.loop.Time()
	if now.Sub(ka.lastPing) < 2*c.set.pingInterval && now.Sub(ka.lastPong) > c.set.pingTimeout {
		c.fail(CloseInternalError, ErrPingTimeout)
		return
	}
	c.writeControl(opPing, nil)
	ka.lastPing = now
	ka.timer = c.loop.CallLater(c.set.pingInterval, c.periodicPing)
}

func (c *Conn) stopKeepalive() {
	if c.ka != nil {
		if c.ka.timer != nil {
			c.loop.RemoveTimeout(c.ka.timer)
		}
		c.ka = nil
	}
}
