package interop

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A small Chrome DevTools Protocol client, enough to drive headless
// Chromium as a person would: open pages, type, press keys, click, and
// read what the page shows. It speaks CDP over --remote-debugging-pipe
// (JSON messages ending in a NUL byte, on the browser's fds 3 and 4), so
// it needs no WebSocket and no Go dependency, and no port is opened.
// This file has the browser and the protocol; cdp_page_test.go the pages.

// cdpTimeout bounds each protocol call; waitFor bounds each wait for the
// page to show something. Both are hang guards, not timing assertions.
const (
	cdpTimeout = 30 * time.Second
	waitFor    = 30 * time.Second
)

// chromiumFlags are the flags known to work here, as root, in a container.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-dev-shm-usage", "--remote-debugging-pipe",
}

// browser is one headless Chromium process and its protocol connection.
type browser struct {
	t      *testing.T
	cmd    *exec.Cmd
	toB    *os.File      // the browser reads this pipe (its fd 3)
	fromB  *os.File      // and writes this one (its fd 4)
	stderr *os.File      // the browser's stdout and stderr, for failure messages
	prof   string        // the browser's fresh --user-data-dir
	config string        // its XDG_CONFIG_HOME, where its crash handler keeps its database
	read   chan struct{} // closed when the reader goroutine ends

	mu      sync.Mutex
	nextID  int
	pending map[int]chan cdpMessage
	console []consoleEntry // console messages, log entries and exceptions of every page
	readErr error
}

// cdpMessage is any message from the browser: a reply (ID) or an event
// (Method).
type cdpMessage struct {
	ID        int             `json:"id"`
	Result    json.RawMessage `json:"result"`
	Error     *cdpError       `json:"error"`
	Method    string          `json:"method"`
	Params    json.RawMessage `json:"params"`
	SessionID string          `json:"sessionId"`
}

type cdpError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *cdpError) Error() string { return fmt.Sprintf("cdp error %d: %s", e.Code, e.Message) }

// needChromium returns the path of Debian's chromium, or skips the test
// if it is not installed (interop/run.sh installs it).
func needChromium(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("chromium")
	if err != nil {
		t.Skipf("SKIP: Debian's chromium is not installed (%v), so the browser test cannot run: interop/run.sh installs it", err)
	}
	return p
}

// launchBrowser starts headless Chromium with a fresh profile. At the end
// of the test it closes the browser and kills its whole process group, so
// no renderer or helper outlives the test.
func launchBrowser(t *testing.T) *browser {
	t.Helper()
	bin := needChromium(t)
	bReads, toB, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromB, bWrites, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// A file, not a pipe, takes the output: Wait then need not wait for
	// every helper process to close its copy.
	stderr, err := os.Create(t.TempDir() + "/chromium.log")
	if err != nil {
		t.Fatal(err)
	}
	prof, config := t.TempDir(), t.TempDir()
	args := append(append([]string{}, chromiumFlags...), "--user-data-dir="+prof, "about:blank")
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+config)
	cmd.ExtraFiles = []*os.File{bReads, bWrites} // fds 3 and 4
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stdout, cmd.Stderr = stderr, stderr
	b := &browser{t: t, cmd: cmd, toB: toB, fromB: fromB, stderr: stderr, prof: prof, config: config, read: make(chan struct{}), pending: map[int]chan cdpMessage{}}
	err = cmd.Start()
	bReads.Close()
	bWrites.Close()
	if err != nil {
		stderr.Close()
		toB.Close()
		fromB.Close()
		t.Fatalf("start chromium: %v", err)
	}
	go b.readLoop()
	t.Cleanup(b.close)
	// The browser is ready once it answers.
	if _, err := b.call("", "Browser.getVersion", nil); err != nil {
		t.Fatalf("chromium does not answer on its debugging pipe: %v\nstderr:\n%s", err, b.log())
	}
	return b
}

// close asks the browser to quit, then kills its process group and
// waits for it, whatever happened.
func (b *browser) close() {
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		b.cmd.Wait()
	}()
	b.send("", "Browser.close", nil) // best effort; the kill below is the guarantee
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
	}
	syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL) // the helpers too
	select {
	case <-exited:
	case <-time.After(cdpTimeout):
		b.t.Errorf("chromium (pid %d) did not exit after SIGKILL", b.cmd.Process.Pid)
	}
	// The crash handler starts in a session of its own, out of reach of
	// the group kill; it and anything else that slipped away go by pid.
	deadline := time.Now().Add(cdpTimeout)
	for left := b.leftovers(); len(left) > 0; left = b.leftovers() {
		if time.Now().After(deadline) {
			b.t.Errorf("chromium processes %v outlived the browser and SIGKILL", left)
			break
		}
		for _, pid := range left {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.toB.Close()
	b.fromB.Close() // ends readLoop, should a helper still hold the pipe
	<-b.read
	b.stderr.Close()
}

// log returns what the browser printed.
func (b *browser) log() string {
	out, _ := os.ReadFile(b.stderr.Name())
	return clip(string(out))
}

// leftovers returns the live processes (zombies aside) that run with this
// browser's profile or configuration directory (the crash handler's
// --database), wherever they went.
func (b *browser) leftovers() []int {
	var pids []int
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + d.Name() + "/cmdline")
		if err != nil || !bytes.Contains(cmdline, []byte(b.prof)) && !bytes.Contains(cmdline, []byte(b.config)) {
			continue
		}
		stat, _ := os.ReadFile("/proc/" + d.Name() + "/stat")
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
			continue
		}
		pids = append(pids, pid)
	}
	return pids
}

// readLoop reads the browser's messages until the pipe closes, handing
// replies to their callers and keeping console output.
func (b *browser) readLoop() {
	defer close(b.read)
	br := bufio.NewReader(b.fromB)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			b.readErr = err
			for id, ch := range b.pending {
				close(ch)
				delete(b.pending, id)
			}
			b.mu.Unlock()
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(raw[:len(raw)-1], &m); err != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.pending[m.ID]; ok {
				delete(b.pending, m.ID)
				ch <- m
			}
		} else if e := consoleLine(m); e.text != "" {
			b.console = append(b.console, e)
		}
		b.mu.Unlock()
	}
}

// send writes a command and returns the channel its reply arrives on.
func (b *browser) send(session, method string, params any) (chan cdpMessage, error) {
	b.mu.Lock()
	if b.readErr != nil {
		b.mu.Unlock()
		return nil, fmt.Errorf("%s: the browser is gone: %w", method, b.readErr)
	}
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMessage, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	if params == nil {
		params = struct{}{}
	}
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params, "sessionId": session})
	if err != nil {
		return nil, err
	}
	if session == "" {
		msg, _ = json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	}
	if _, err := b.toB.Write(append(msg, 0)); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	return ch, nil
}

// call sends a command and waits for its result (within cdpTimeout).
func (b *browser) call(session, method string, params any) (json.RawMessage, error) {
	ch, err := b.send(session, method, params)
	if err != nil {
		return nil, err
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return nil, fmt.Errorf("%s: the browser closed the pipe", method)
		}
		if m.Error != nil {
			return nil, fmt.Errorf("%s: %w", method, m.Error)
		}
		return m.Result, nil
	case <-time.After(cdpTimeout):
		return nil, fmt.Errorf("%s: no reply within %v (hang guard)", method, cdpTimeout)
	}
}

// must is call that fails the test on an error.
func (b *browser) must(session, method string, params any) json.RawMessage {
	b.t.Helper()
	res, err := b.call(session, method, params)
	if err != nil {
		b.t.Fatalf("%v\npage console:\n%s\nchromium stderr:\n%s", err, b.Console(), b.log())
	}
	return res
}
