package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"path"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/locale"
	"github.com/gornado/gornado/websocket"
)

// Config configures an Application, Tornado's application settings.
// The zero value serves: no cookies secret (signed cookies fail with
// ErrNoCookieSecret), no XSRF checks, no templates, no static files, no
// compression, access log at Info on slog.Default().
type Config struct {
	// Debug turns on ServeTraceback and template reloading (templates
	// are parsed again from disk on every render).
	Debug bool
	// ServeTraceback puts the error and its stack in error pages.
	ServeTraceback bool

	// CookieSecret signs secure cookies (SetSignedCookie). For key
	// rotation, set CookieSecrets and CookieKeyVersion instead: cookies
	// are signed with the current version and accepted with any.
	CookieSecret     string
	CookieSecrets    map[int]string
	CookieKeyVersion int

	// LoginURL is where Authenticated sends a visitor who is not logged
	// in (with ?next=the page they wanted).
	LoginURL string
	// UserCookie, if set, names the signed cookie that holds the
	// logged-in user's name, for handlers without GetCurrentUser: their
	// CurrentUser is its value (a string; web.User[string]), or nil when
	// it is missing, forged or older than 31 days. A login handler sets
	// it with SetSignedCookie(UserCookie, name, ...) and a logout clears
	// it with ClearCookie.
	UserCookie string

	// XSRFCookies makes POST, PUT, PATCH and DELETE requests (every
	// method but GET, HEAD and OPTIONS, as Tornado) carry an
	// _xsrf argument (or X-XSRFToken / X-CSRFToken header) matching the
	// _xsrf cookie; others are answered 403.
	XSRFCookies bool
	// XSRFCookieConfig sets the attributes of the _xsrf cookie (Path,
	// Domain, Secure, SameSite...).
	XSRFCookieConfig CookieConfig

	// TemplatePath is the directory Render loads templates from;
	// TemplateFS, if set, is used instead of the disk, with TemplatePath
	// (if also set) a directory inside it:
	//
	//	//go:embed templates
	//	var templates embed.FS
	//	...
	//	web.Config{TemplateFS: templates, TemplatePath: "templates"}
	TemplatePath string
	TemplateFS   fs.FS
	// TemplateFuncs are added to every template, beside static_url,
	// reverse_url, xsrf_form_html, current_user, _ and locale.
	TemplateFuncs template.FuncMap

	// Translations are the languages RequestHandler.Locale chooses
	// among (locale.LoadCSV, locale.LoadGettext); nil is English only.
	Translations *locale.Translations

	// StaticPath is the directory served under StaticURLPrefix (default
	// "/static/") by a StaticFileHandler; StaticFS, if set, is used
	// instead of the disk, with StaticPath (if also set) a directory
	// inside it, as for templates.
	StaticPath      string
	StaticFS        fs.FS
	StaticURLPrefix string

	// Compress gzips responses to clients that accept it, for
	// compressible content types (Tornado's compress_response).
	Compress bool

	// CoroutinesURL, if set ("/debug/coroutines", say), serves a text
	// dump of the coroutines parked on the request's loop, what each
	// waits for, since when, and its stack (ioloop.IOLoop.DumpCoroutines)
	// to clients on a loopback address (Request.RemoteIP, so with
	// Server.XHeaders the client's, not the proxy's); others get 403. Off
	// by default: it shows code paths.
	CoroutinesURL string

	// DefaultHandler makes the handler for requests no route matches;
	// nil answers 404.
	DefaultHandler func() Handler

	// Logger receives errors; nil means slog.Default().
	Logger *slog.Logger
	// AccessLog receives one record per request (Info below 400, Warn
	// below 500, Error from 500); nil means Logger. NoAccessLog turns it
	// off.
	AccessLog   *slog.Logger
	NoAccessLog bool

	// Server configures the HTTP servers Listen and ListenAndServe start.
	Server httpserver.Config

	// WebSocket sets up the connections of WebSocketHandlers: message
	// limit (10 MiB by default), keepalive pings, close timeout, and the
	// compression a handler without GetCompressionOptions gets (Tornado's
	// websocket_max_message_size, websocket_ping_interval,
	// websocket_ping_timeout).
	WebSocket websocket.Config

	// Loop, if set, is the loop ServeHTTP runs native handlers on (you
	// start and close it); nil makes the application start one of its
	// own on first use (see Application.Loop and Close).
	Loop *ioloop.IOLoop
}

// subFS makes TemplateFS and StaticFS the directories TemplatePath and
// StaticPath name inside them, when both of a pair are set.
func (s *Config) subFS() error {
	for _, p := range []struct {
		fsys *fs.FS
		dir  *string
	}{{&s.TemplateFS, &s.TemplatePath}, {&s.StaticFS, &s.StaticPath}} {
		if *p.fsys == nil || *p.dir == "" {
			continue
		}
		sub, err := fs.Sub(*p.fsys, path.Clean(*p.dir))
		if err != nil {
			return fmt.Errorf("web: Config: %w", err)
		}
		*p.fsys, *p.dir = sub, ""
	}
	return nil
}

func (s *Config) serveTraceback() bool { return s.Debug || s.ServeTraceback }
