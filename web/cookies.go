package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gornado/gornado/httputil"
)

// CookieConfig sets a cookie's attributes, for SetCookie, SetSignedCookie
// and ClearCookie (the keyword arguments of Tornado's set_cookie). The
// zero value is a session cookie for the whole site: Path "/", no Domain,
// no expiry.
type CookieConfig struct {
	// Path is the cookie's path; empty means "/".
	Path string
	// Domain, if set, shares the cookie with the domain's subdomains.
	Domain string
	// Expires, ExpiresDays (Tornado's expires_days) and MaxAge (seconds;
	// negative deletes the cookie now) are alternatives; with none the
	// cookie lasts the browser session. Expires wins over ExpiresDays.
	Expires     time.Time
	ExpiresDays float64
	MaxAge      int
	// Secure sends the cookie over HTTPS only; HttpOnly hides it from
	// scripts; SameSite sets the SameSite attribute (none if zero).
	Secure   bool
	HttpOnly bool
	SameSite httputil.SameSite
}

// Errors of signed cookies.
var (
	ErrNoCookieSecret  = errors.New("web: signed cookies need Config.CookieSecret")
	ErrCookieMissing   = errors.New("web: no such cookie")
	ErrCookieSignature = errors.New("web: cookie signature is invalid")
	ErrCookieExpired   = errors.New("web: signed cookie has expired")
)

// GetCookie returns the value of the request's cookie name, or def if the
// request has none.
func (h *RequestHandler) GetCookie(name, def string) string {
	if v, ok := h.Request.Cookie(name); ok {
		return v
	}
	return def
}

// SetCookie sets a cookie on the response. It returns an error (a
// *httputil.ParseError) if the name, value or an attribute cannot go in a
// Set-Cookie header; encode arbitrary data (or use SetSignedCookie, which
// does) first, and ErrHeadersSent after a Flush. Setting the same name
// again replaces the earlier cookie. Cookies survive SendError's reset of
// the headers, as in Tornado (set_cookie).
func (h *RequestHandler) SetCookie(name, value string, o CookieConfig) error {
	c := httputil.Cookie{Name: name, Value: value, Path: o.Path, Domain: o.Domain,
		Expires: o.Expires, MaxAge: o.MaxAge, Secure: o.Secure, HttpOnly: o.HttpOnly, SameSite: o.SameSite}
	if c.Path == "" {
		c.Path = "/"
	}
	if o.ExpiresDays != 0 && c.Expires.IsZero() {
		c.Expires = h.loop.Time().Add(time.Duration(o.ExpiresDays * float64(24*time.Hour)))
	}
	if err := c.Valid(); err != nil {
		return err
	}
	if h.flushed {
		return ErrHeadersSent
	}
	for i, nc := range h.newCookies {
		if nc.name == name {
			h.newCookies[i].header = c.String()
			return nil
		}
	}
	h.newCookies = append(h.newCookies, newCookie{name, c.String()})
	return nil
}

type newCookie struct{ name, header string }

// addCookieHeaders puts the cookies set so far in the headers, as they go
// out.
func (h *RequestHandler) addCookieHeaders() {
	for _, c := range h.newCookies {
		h.out.Header().Add("Set-Cookie", c.header)
	}
}

// ClearCookie deletes a cookie in the browser: it sets it empty and
// expired. Path and Domain must be those it was set with.
func (h *RequestHandler) ClearCookie(name string, o CookieConfig) {
	o.Expires = h.loop.Time().Add(-365 * 24 * time.Hour)
	o.ExpiresDays = 0
	o.MaxAge = -1
	h.SetCookie(name, "", o)
}

// ClearAllCookies deletes every cookie the request sent.
func (h *RequestHandler) ClearAllCookies(o CookieConfig) {
	for name := range h.Request.Cookies() {
		h.ClearCookie(name, o)
	}
}

// SetSignedCookie sets a cookie whose value is signed (and timestamped)
// with Config.CookieSecret, so it cannot be forged: Tornado's
// set_signed_cookie, in its version 2 format, readable by Tornado with the
// same secret. The value is readable by the client, not secret. ExpiresDays
// defaults to 30.
func (h *RequestHandler) SetSignedCookie(name, value string, o CookieConfig) error {
	version, secret, err := h.Application.signingKey()
	if err != nil {
		return err
	}
	if o.ExpiresDays == 0 && o.Expires.IsZero() && o.MaxAge == 0 {
		o.ExpiresDays = 30
	}
	return h.SetCookie(name, CreateSignedValue(secret, version, name, value, h.loop.Time()), o)
}

// GetSignedCookie returns the value of a cookie set with SetSignedCookie,
// if its signature is good and it was signed less than maxAge ago (zero
// means 31 days, Tornado's default). Otherwise it returns
// ErrCookieMissing, ErrCookieSignature, ErrCookieExpired or
// ErrNoCookieSecret.
func (h *RequestHandler) GetSignedCookie(name string, maxAge time.Duration) (string, error) {
	raw, ok := h.Request.Cookie(name)
	if !ok {
		return "", ErrCookieMissing
	}
	return h.Application.DecodeSignedValue(name, raw, maxAge, h.loop.Time())
}

func (a *Application) signingKey() (int, string, error) {
	s := &a.settings
	if len(s.CookieSecrets) > 0 {
		k, ok := s.CookieSecrets[s.CookieKeyVersion]
		if !ok {
			return 0, "", ErrNoCookieSecret
		}
		return s.CookieKeyVersion, k, nil
	}
	if s.CookieSecret == "" {
		return 0, "", ErrNoCookieSecret
	}
	return 0, s.CookieSecret, nil
}

// DecodeSignedValue checks a value made by CreateSignedValue with the
// application's secret(s) and returns what was signed, if it was signed
// less than maxAge before now (zero means 31 days).
func (a *Application) DecodeSignedValue(name, signed string, maxAge time.Duration, now time.Time) (string, error) {
	s := &a.settings
	secrets := s.CookieSecrets
	if len(secrets) == 0 {
		if s.CookieSecret == "" {
			return "", ErrNoCookieSecret
		}
		secrets = map[int]string{0: s.CookieSecret}
	}
	if maxAge <= 0 {
		maxAge = 31 * 24 * time.Hour
	}
	return decodeSignedValue(secrets, name, signed, maxAge, now)
}

// CreateSignedValue signs value for the cookie name with secret, in
// Tornado's version 2 format:
// 2|1:<key version>|10:<timestamp>|<n>:<name>|<n>:<base64 value>|<hex HMAC-SHA256>.
func CreateSignedValue(secret string, keyVersion int, name, value string, now time.Time) string {
	var b strings.Builder
	b.WriteString("2|")
	for _, f := range []string{strconv.Itoa(keyVersion), strconv.FormatInt(now.Unix(), 10), name, base64.StdEncoding.EncodeToString([]byte(value))} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte('|')
	}
	signed := b.String()
	return signed + signature(secret, signed)
}

func signature(secret, s string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}

func decodeSignedValue(secrets map[int]string, name, signed string, maxAge time.Duration, now time.Time) (string, error) {
	rest, ok := strings.CutPrefix(signed, "2|")
	if !ok {
		return "", ErrCookieSignature
	}
	var fields [4]string
	for i := range fields {
		n, after, ok := strings.Cut(rest, ":")
		size, err := strconv.Atoi(n)
		if !ok || err != nil || size < 0 || size >= len(after) || after[size] != '|' {
			return "", ErrCookieSignature
		}
		fields[i], rest = after[:size], after[size+1:]
	}
	version, err := strconv.Atoi(fields[0])
	if err != nil {
		return "", ErrCookieSignature
	}
	secret, ok := secrets[version]
	if !ok || !hmac.Equal([]byte(rest), []byte(signature(secret, signed[:len(signed)-len(rest)]))) {
		return "", ErrCookieSignature
	}
	if fields[2] != name {
		return "", ErrCookieSignature // a value signed for another cookie
	}
	ts, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		return "", ErrCookieSignature
	}
	signedAt := time.Unix(ts, 0)
	if signedAt.Before(now.Add(-maxAge)) || signedAt.After(now.Add(31*24*time.Hour)) {
		return "", ErrCookieExpired
	}
	v, err := base64.StdEncoding.DecodeString(fields[3])
	if err != nil {
		return "", ErrCookieSignature
	}
	return string(v), nil
}
