package interop

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The pages of the CDP client (cdp_test.go): opening them, evaluating
// JavaScript in them, typing and clicking, and what they log.

// page is one tab.
type page struct {
	b       *browser
	session string
}

// newVisitor opens a tab in a browser context of its own (its own cookies
// and storage, like a separate person's browser) and loads url in it.
func (b *browser) newVisitor(url string) *page {
	b.t.Helper()
	var ctx struct {
		ID string `json:"browserContextId"`
	}
	json.Unmarshal(b.must("", "Target.createBrowserContext", map[string]any{"disposeOnDetach": true}), &ctx)
	var target struct {
		ID string `json:"targetId"`
	}
	json.Unmarshal(b.must("", "Target.createTarget", map[string]any{"url": url, "browserContextId": ctx.ID}), &target)
	var att struct {
		Session string `json:"sessionId"`
	}
	json.Unmarshal(b.must("", "Target.attachToTarget", map[string]any{"targetId": target.ID, "flatten": true}), &att)
	p := &page{b: b, session: att.Session}
	b.must(p.session, "Runtime.enable", nil)
	b.must(p.session, "Log.enable", nil) // the browser's own errors: failed loads, refused WebSockets
	p.waitUntil(`document.readyState === "complete" && location.href === `+jsString(url), "the page to load")
	return p
}

// eval evaluates a JavaScript expression in the page (awaiting it if it
// is a promise) and decodes its value into v (if v is not nil).
func (p *page) eval(expr string, v any) error {
	res, err := p.b.call(p.session, "Runtime.evaluate", map[string]any{
		"expression": expr, "returnByValue": true, "awaitPromise": true,
	})
	if err != nil {
		return err
	}
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(res, &r); err != nil {
		return err
	}
	if r.Exception != nil {
		return fmt.Errorf("%s: %s %s", expr, r.Exception.Text, r.Exception.Exception.Description)
	}
	if v == nil || len(r.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(r.Result.Value, v)
}

// mustEval is eval that fails the test on an error.
func (p *page) mustEval(expr string, v any) {
	p.b.t.Helper()
	if err := p.eval(expr, v); err != nil {
		p.b.t.Fatalf("%v\npage console:\n%s", err, p.b.Console())
	}
}

// waitUntil evaluates cond (a JavaScript boolean expression) until it is
// true, failing the test if it is not within waitFor.
func (p *page) waitUntil(cond, what string) {
	p.b.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		var ok bool
		err := p.eval("Boolean("+cond+")", &ok)
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var href string
			p.eval("location.href", &href)
			p.b.t.Fatalf("waited %v for %s (%s) at %s, in vain (last error: %v)\npage console:\n%s\nchromium's log:\n%s", waitFor, what, cond, href, err, p.b.Console(), p.b.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// typeText types text into the focused element, as a keyboard would.
func (p *page) typeText(text string) {
	p.b.t.Helper()
	for _, r := range text {
		p.b.must(p.session, "Input.dispatchKeyEvent", map[string]any{"type": "keyDown", "text": string(r), "unmodifiedText": string(r)})
		p.b.must(p.session, "Input.dispatchKeyEvent", map[string]any{"type": "keyUp"})
	}
}

// pressEnter presses and releases the Enter key.
func (p *page) pressEnter() {
	p.b.t.Helper()
	down := map[string]any{"type": "keyDown", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13, "text": "\r"}
	p.b.must(p.session, "Input.dispatchKeyEvent", down)
	p.b.must(p.session, "Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13})
}

// click clicks the middle of the element selector finds, with the mouse.
func (p *page) click(selector string) {
	p.b.t.Helper()
	var box struct{ X, Y float64 }
	p.mustEval(`(() => { const r = document.querySelector(`+jsString(selector)+`).getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2}; })()`, &box)
	p.b.must(p.session, "Input.dispatchMouseEvent", map[string]any{"type": "mouseMoved", "x": box.X, "y": box.Y})
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		p.b.must(p.session, "Input.dispatchMouseEvent", map[string]any{
			"type": typ, "x": box.X, "y": box.Y, "button": "left", "clickCount": 1,
		})
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// consoleEntry is one line of what the pages said; problem marks
// errors: console.error, an uncaught exception, or an error the browser
// logged itself (a failed load, a refused WebSocket handshake).
type consoleEntry struct {
	text    string
	problem bool
}

// consoleLine renders a console message, an entry of the browser's own
// log (Log.entryAdded) or an uncaught exception; other messages render
// as nothing.
func consoleLine(m cdpMessage) consoleEntry {
	switch m.Method {
	case "Runtime.consoleAPICalled":
		var p struct {
			Type string `json:"type"`
			Args []struct {
				Value       any    `json:"value"`
				Description string `json:"description"`
			} `json:"args"`
		}
		json.Unmarshal(m.Params, &p)
		parts := []string{"console." + p.Type + ":"}
		for _, a := range p.Args {
			if a.Value != nil {
				parts = append(parts, fmt.Sprint(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		return consoleEntry{strings.Join(parts, " "), p.Type == "error" || p.Type == "assert"}
	case "Log.entryAdded":
		var p struct {
			Entry struct {
				Source string `json:"source"`
				Level  string `json:"level"`
				Text   string `json:"text"`
				URL    string `json:"url"`
			} `json:"entry"`
		}
		json.Unmarshal(m.Params, &p)
		e := p.Entry
		// The browser asks for /favicon.ico on its own; a 404 there is
		// no fault of the page.
		problem := e.Level == "error" && !strings.HasSuffix(e.URL, "/favicon.ico")
		return consoleEntry{fmt.Sprintf("log.%s (%s): %s %s", e.Level, e.Source, e.Text, e.URL), problem}
	case "Runtime.exceptionThrown":
		return consoleEntry{"exception: " + string(m.Params), true}
	}
	return consoleEntry{}
}

// Console returns what the pages logged, for failure messages.
func (b *browser) Console() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	lines := make([]string, len(b.console))
	for i, e := range b.console {
		lines[i] = e.text
	}
	return strings.Join(lines, "\n")
}

// Problems returns the errors the pages logged or threw so far.
func (b *browser) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, e := range b.console {
		if e.problem {
			out = append(out, e.text)
		}
	}
	return out
}
