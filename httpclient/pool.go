package httpclient

import (
	"fmt"
	"strings"
)

// poolKey names the connections a request may share: same scheme, host,
// port, proxy and TLS settings.
func (c *AsyncHTTPClient) poolKey(r *Request, t *target) (string, error) {
	tlsOpts := t.https && (r.InsecureSkipVerify || r.CACerts != "" || r.RootCAs != nil ||
		r.ClientCert != "" || r.TLSConfig != nil)
	if r.ProxyHost == "" && !tlsOpts && r.UnixSocket == "" {
		return t.key, nil
	}
	var b strings.Builder
	b.WriteString(t.key)
	if r.UnixSocket != "" {
		fmt.Fprintf(&b, "|unix=%q", r.UnixSocket)
	}
	if r.ProxyHost != "" {
		fmt.Fprintf(&b, "|proxy=%s:%d:%q:%q", r.ProxyHost, r.ProxyPort, r.ProxyUsername, r.ProxyPassword)
	}
	if tlsOpts {
		fmt.Fprintf(&b, "|tls=%t,%q,%p,%q,%q,%p", r.InsecureSkipVerify, r.CACerts, r.RootCAs,
			r.ClientCert, r.ClientKey, r.TLSConfig)
	}
	return b.String(), nil
}

// idle takes a pooled connection for key, the most recently used first,
// dropping those that closed or idled too long.
func (c *AsyncHTTPClient) idle(key string) *conn {
	list := c.pool[key]
	now := c.loop.Time().UnixNano()
	for len(list) > 0 {
		cn := list[len(list)-1]
		list[len(list)-1] = nil
		list = list[:len(list)-1]
		c.npool--
		if cn.state != stIdle || cn.s.Closed() {
			continue
		}
		if c.opts.IdleTimeout > 0 && now-cn.idleAt > int64(c.opts.IdleTimeout) {
			cn.close()
			continue
		}
		c.pool[key] = list
		return cn
	}
	delete(c.pool, key)
	return nil
}

// release puts a connection whose exchange ended cleanly back in the pool,
// or closes it if the pool for its key is full.
func (c *AsyncHTTPClient) release(cn *conn) {
	list := c.pool[cn.key]
	if c.closed || len(list) >= c.opts.MaxIdlePerHost {
		cn.close()
		return
	}
	cn.idleAt = c.loop.Time().UnixNano()
	c.pool[cn.key] = append(list, cn)
	c.npool++
	if c.sweep == nil && c.opts.IdleTimeout > 0 {
		c.scheduleSweep()
	}
}

// scheduleSweep closes connections that idled past IdleTimeout, checking
// every half IdleTimeout while any connection is pooled: one timer for the
// pool rather than one per connection.
func (c *AsyncHTTPClient) scheduleSweep() {
	c.sweep = c.loop.CallLater(c.opts.IdleTimeout/2, func() {
		c.sweep = nil
		now := c.loop.Time().UnixNano()
		for key, list := range c.pool {
			kept := list[:0]
			for _, cn := range list {
				if cn.state == stIdle && !cn.s.Closed() && now-cn.idleAt <= int64(c.opts.IdleTimeout) {
					kept = append(kept, cn)
					continue
				}
				c.npool--
				cn.close()
			}
			clear(list[len(kept):])
			if len(kept) == 0 {
				delete(c.pool, key)
			} else {
				c.pool[key] = kept
			}
		}
		if c.npool > 0 {
			c.scheduleSweep()
		}
	})
}

// forget removes a closed connection from the pool.
func (c *AsyncHTTPClient) forget(cn *conn) {
	list := c.pool[cn.key]
	for i, x := range list {
		if x == cn {
			copy(list[i:], list[i+1:])
			list[len(list)-1] = nil
			list = list[:len(list)-1]
			c.npool--
			if len(list) == 0 {
				delete(c.pool, cn.key)
			} else {
				c.pool[cn.key] = list
			}
			return
		}
	}
}
