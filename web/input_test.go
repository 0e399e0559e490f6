package web_test

import (
	"bytes"
	"mime/multipart"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/web"
)

func TestArguments(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/args`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			name, err := h.GetArgument("name")
			if err != nil {
				return err
			}
			def, _ := h.GetArgument("missing", "fallback")
			q, _ := h.GetQueryArgument("name", "-")
			b, _ := h.GetBodyArgument("name", "-")
			return h.Write(map[string]any{
				"name": name, "def": def, "query": q, "body": b,
				"all": h.GetArguments("name"), "qall": h.GetQueryArguments("name"), "ball": h.GetBodyArguments("name"),
			})
		})},
		{Pattern: `/json`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			var v struct{ N int }
			if err := h.DecodeJSON(&v); err != nil {
				return err
			}
			return h.Write(map[string]int{"double": 2 * v.N})
		})},
		{Pattern: `/upload`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			f := h.Request.Files()["doc"]
			if len(f) != 1 {
				return web.NewHTTPError(400, "no file")
			}
			title, _ := h.GetArgument("title")
			return h.Write(map[string]string{"name": f[0].Filename, "type": f[0].ContentType, "body": string(f[0].Body), "title": title})
		})},
	}, web.Config{})

	cases := []struct {
		name, method, path, ctype, body string
		status                          int
		want                            string
	}{
		{"query", "GET", "/args?name=+a%20b+&name=c", "", "", 200,
			`{"name":"c","def":"fallback","query":"c","body":"-","all":["a b","c"],"qall":["a b","c"],"ball":null}`},
		{"body wins", "POST", "/args?name=q", "application/x-www-form-urlencoded", "name=b1&name=%01b2", 200,
			`{"name":"b2","def":"fallback","query":"q","body":"b2","all":["q","b1","b2"],"qall":["q"],"ball":["b1","b2"]}`},
		{"missing", "GET", "/args", "", "", 400, ""},
		{"json", "POST", "/json", "application/json", `{"N": 21}`, 200, `{"double":42}`},
		{"bad json", "POST", "/json", "application/json", `{"N": `, 400, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var hdr []string
			if c.ctype != "" {
				hdr = []string{"Content-Type", c.ctype}
			}
			resp, body := s.Do(c.method, c.path, c.body, hdr...)
			assert.Equal(t, c.status, resp.StatusCode, body)
			if c.want != "" {
				assert.JSONEq(t, c.want, body)
			}
		})
	}
	t.Run("missing says which", func(t *testing.T) {
		_, body := s.Get("/args")
		assert.Contains(t, body, "400: Bad Request")
	})

	t.Run("multipart", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("title", "report")
		fw, err := mw.CreateFormFile("doc", "r.txt")
		require.NoError(t, err)
		fw.Write([]byte("file body"))
		mw.Close()
		resp, body := s.Do("POST", "/upload", buf.String(), "Content-Type", mw.FormDataContentType())
		assert.Equal(t, 200, resp.StatusCode, body)
		assert.JSONEq(t, `{"name":"r.txt","type":"application/octet-stream","body":"file body","title":"report"}`, body)
	})
	t.Run("bad multipart", func(t *testing.T) {
		resp, _ := s.Do("POST", "/upload", "garbage", "Content-Type", "multipart/form-data; boundary=xyz")
		assert.Equal(t, 400, resp.StatusCode)
	})
}
