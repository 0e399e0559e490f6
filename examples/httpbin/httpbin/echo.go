package httpbin

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/gornado/gornado/gen"
)

// noBodyAnswer is the echo of a request without a body (/get, HEAD).
type noBodyAnswer struct {
	Args    map[string][]string `json:"args"`
	Headers map[string][]string `json:"headers"`
	Method  string              `json:"method"`
	Origin  string              `json:"origin"`
	URL     string              `json:"url"`
	Gzipped bool                `json:"gzipped,omitempty"`
}

// bodyAnswer is the echo of a request that may have a body.
type bodyAnswer struct {
	Args    map[string][]string `json:"args"`
	Headers map[string][]string `json:"headers"`
	Method  string              `json:"method"`
	Origin  string              `json:"origin"`
	URL     string              `json:"url"`
	Data    string              `json:"data"`
	Files   map[string][]string `json:"files"`
	Form    map[string][]string `json:"form"`
	JSON    any                 `json:"json"`
}

func (b *base) noBody() *noBodyAnswer {
	return &noBodyAnswer{Args: b.args(), Headers: b.headers(), Method: b.Request.Method, Origin: b.origin(), URL: b.url()}
}

// withBody builds the echo of a request and its body, parsed as its
// Content-Type says (go-httpbin's parseBody): form fields, uploaded files,
// JSON; any other type comes back as a base64 data URL. A body that does
// not parse is a 400.
func (b *base) withBody() (*bodyAnswer, error) {
	r := b.Request
	a := &bodyAnswer{Args: b.args(), Headers: b.headers(), Method: r.Method, Origin: b.origin(), URL: b.url(),
		Files: map[string][]string{}, Form: map[string][]string{}}
	if len(r.Body) == 0 {
		return a, nil
	}
	a.Data = string(r.Body)
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	switch ct {
	case "text/html", "text/plain":
	case "application/x-www-form-urlencoded", "multipart/form-data":
		// GetBodyArgument reports a body that does not parse.
		if _, err := b.GetBodyArgument("", ""); err != nil {
			return nil, err
		}
		a.Form = argsMap(r.BodyArguments())
		for name, files := range r.Files() {
			for _, f := range files {
				a.Files[name] = append(a.Files[name], string(f.Body))
			}
		}
	case "application/json":
		if err := b.DecodeJSON(&a.JSON); err != nil {
			return nil, err
		}
	default:
		if ct == "" {
			ct = binaryType
		}
		a.Data = "data:" + ct + ";base64," + base64.URLEncoding.EncodeToString(r.Body)
	}
	return a, nil
}

// echoBody writes the withBody echo.
func (b *base) echoBody() error {
	a, err := b.withBody()
	if err != nil {
		return err
	}
	return b.writeJSON(a)
}

// getHandler serves /get: GET (and HEAD) only.
type getHandler struct{ base }

func (h *getHandler) Get(*gen.Co) error { return h.writeJSON(h.noBody()) }

// postHandler, putHandler, patchHandler and deleteHandler serve /post,
// /put, /patch and /delete, each for its own method only.
type (
	postHandler   struct{ base }
	putHandler    struct{ base }
	patchHandler  struct{ base }
	deleteHandler struct{ base }
)

func (h *postHandler) Post(*gen.Co) error     { return h.echoBody() }
func (h *putHandler) Put(*gen.Co) error       { return h.echoBody() }
func (h *patchHandler) Patch(*gen.Co) error   { return h.echoBody() }
func (h *deleteHandler) Delete(*gen.Co) error { return h.echoBody() }

// anythingHandler serves /anything and below: any method, bodies even on
// GET; HEAD gets the /get answer.
type anythingHandler struct{ anyMethod }

func (h *anythingHandler) Serve(*gen.Co) error {
	if h.Request.Method == http.MethodHead {
		return h.writeJSON(h.noBody())
	}
	return h.echoBody()
}

// headersHandler serves /headers.
type headersHandler struct{ anyMethod }

func (h *headersHandler) Serve(*gen.Co) error {
	return h.writeJSON(map[string]any{"headers": h.headers()})
}

// ipHandler serves /ip (?format=text: the address alone, as text).
type ipHandler struct{ anyMethod }

func (h *ipHandler) Serve(*gen.Co) error {
	if v, _ := h.GetQueryArgument("format", ""); v == "text" {
		h.SetHeader("Content-Type", textType)
		return h.Write(h.origin() + "\n")
	}
	return h.writeJSON(map[string]string{"origin": h.origin()})
}

// userAgentHandler serves /user-agent.
type userAgentHandler struct{ anyMethod }

func (h *userAgentHandler) Serve(*gen.Co) error {
	return h.writeJSON(map[string]string{"user-agent": h.Request.Header.Get("User-Agent")})
}

// gzipHandler serves /gzip: the /get echo, without the URL, compressed
// whatever the client accepts (as httpbin).
type gzipHandler struct{ anyMethod }

func (h *gzipHandler) Serve(*gen.Co) error {
	a := h.noBody()
	a.URL, a.Gzipped = "", true // go-httpbin leaves the URL empty here
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(jsonLine(a))
	zw.Close()
	h.SetHeader("Content-Encoding", "gzip")
	h.SetHeader("Content-Type", jsonType)
	h.SetHeader("Content-Length", strconv.Itoa(buf.Len()))
	return h.Write(buf.Bytes())
}
