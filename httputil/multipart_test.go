package httputil

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/textproto"
	"slices"
	"strings"
	"testing"
)

func TestMultipartRoundTrip(t *testing.T) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WriteField("title", "hello world"))
	must(w.WriteField("tag", "a"))
	fw, err := w.CreateFormFile("upload", "report.txt")
	must(err)
	fileData := []byte("line1\r\n--not-a-boundary\r\nline3\x00\xff")
	_, err = fw.Write(fileData)
	must(err)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="upload"; filename="img.png"`)
	h.Set("Content-Type", "image/png")
	pw, err := w.CreatePart(h)
	must(err)
	_, err = pw.Write([]byte("\x89PNG"))
	must(err)
	must(w.WriteField("tag", "b"))
	must(w.WriteField("empty", ""))
	must(w.Close())

	var args Args
	files := map[string][]HTTPFile{}
	err = ParseBodyArguments(w.FormDataContentType(), body.Bytes(), &args, files, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if got := argsOf(&args); !slices.Equal(got, []string{"title=hello world", "tag=a", "tag=b", "empty="}) {
		t.Errorf("args = %q", got)
	}
	up := files["upload"]
	if len(up) != 2 {
		t.Fatalf("files = %+v", files)
	}
	if up[0].Filename != "report.txt" || !bytes.Equal(up[0].Body, fileData) || up[0].ContentType != "application/octet-stream" {
		t.Errorf("file 0 = %+v", up[0])
	}
	if up[1].Filename != "img.png" || string(up[1].Body) != "\x89PNG" || up[1].ContentType != "image/png" {
		t.Errorf("file 1 = %+v", up[1])
	}

	// With files == nil, file parts are skipped.
	var args2 Args
	if err := ParseBodyArguments(w.FormDataContentType(), body.Bytes(), &args2, nil, 0); err != nil || args2.Len() != 4 {
		t.Errorf("nil files: %v %d", err, args2.Len())
	}
	// Size limit.
	err = ParseBodyArguments(w.FormDataContentType(), body.Bytes(), &args2, nil, 10)
	if !errors.Is(err, ErrBodyTooLarge) || StatusCode(err) != 413 {
		t.Errorf("limit: %v", err)
	}
}

const mpHead = "multipart/form-data; boundary=\"xyz\""

func TestMultipartParse(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ctype string
		body  string
		args  []string
		files []string // name:filename:ctype:body
		err   error
	}{
		{"tornado style", mpHead,
			"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"ab.txt\"\r\n\r\nFoo\r\n--xyz--\r\n",
			nil, []string{"files:ab.txt:application/unknown:Foo"}, nil},
		{"preamble and epilogue", "multipart/form-data; boundary=xyz",
			"preamble\r\n--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--xyz--\r\nepilogue --xyz\r\n",
			[]string{"a=1"}, nil, nil},
		{"transport padding", "multipart/form-data; boundary=xyz",
			"--xyz  \r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--xyz \t\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n--xyz--",
			[]string{"a=1", "b=2"}, nil, nil},
		{"boundary-like content", "multipart/form-data; boundary=xyz",
			"--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--xyzabc\r\n--xyz--",
			[]string{"a=x\r\n--xyzabc"}, nil, nil},
		{"utf8 filename", "multipart/form-data; boundary=xyz",
			"--xyz\r\nContent-Disposition: form-data; name=f; filename=\"\xc3\xa9t\xc3\xa9.txt\"; filename*=UTF-8''%C3%A9t%C3%A9%E2%82%AC.txt\r\nContent-Type: text/plain\r\n\r\nhi\r\n--xyz--",
			nil, []string{"f:été€.txt:text/plain:hi"}, nil},
		{"empty filename is a field", "multipart/form-data; boundary=xyz",
			"--xyz\r\nContent-Disposition: form-data; name=f; filename=\"\"\r\n\r\n\r\n--xyz--",
			[]string{"f="}, nil, nil},
		{"urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "a=1&b=%20", []string{"a=1", "b= "}, nil, nil},
		{"other type ignored", "application/json", `{"a":1}`, nil, nil, nil},

		{"no boundary param", "multipart/form-data", "--xyz--", nil, nil, ErrBadMultipart},
		{"empty boundary", "multipart/form-data; boundary=", "----", nil, nil, ErrBadMultipart},
		{"boundary too long", "multipart/form-data; boundary=" + strings.Repeat("a", 71), "", nil, nil, ErrBadMultipart},
		{"boundary bad char", "multipart/form-data; boundary=\"a\\\"b\"", "", nil, nil, ErrBadMultipart},
		{"no delimiter", mpHead, "hello", nil, nil, ErrBadMultipart},
		{"no final boundary", mpHead, "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n", nil, nil, ErrBadMultipart},
		{"no headers end", mpHead, "--xyz\r\nContent-Disposition: form-data; name=a\r\n--xyz--", nil, nil, ErrBadMultipart},
		{"no disposition", mpHead, "--xyz\r\n\r\nvalue\r\n--xyz--", nil, nil, ErrBadMultipart},
		{"wrong disposition", mpHead, "--xyz\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--xyz--", nil, nil, ErrBadMultipart},
		{"no name", mpHead, "--xyz\r\nContent-Disposition: form-data\r\n\r\n1\r\n--xyz--", nil, nil, ErrBadMultipart},
		{"bad part header", mpHead, "--xyz\r\nContent-Disposition: form-data; name=a\r\nBad Header: x\r\n\r\n1\r\n--xyz--", nil, nil, ErrBadMultipart},
		{"obs-fold part header", mpHead, "--xyz\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n1\r\n--xyz--", nil, nil, ErrBadMultipart},
		{"too many parts", "multipart/form-data; boundary=b",
			strings.Repeat("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n", MaxMultipartParts+1) + "--b--", nil, nil, ErrBadMultipart},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var args Args
			files := map[string][]HTTPFile{}
			err := ParseBodyArguments(tc.ctype, []byte(tc.body), &args, files, 0)
			if tc.err != nil {
				if !errors.Is(err, tc.err) || StatusCode(err) != 400 {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := argsOf(&args); !slices.Equal(got, tc.args) {
				t.Errorf("args = %q, want %q", got, tc.args)
			}
			var got []string
			for name, fs := range files {
				for _, f := range fs {
					got = append(got, name+":"+f.Filename+":"+f.ContentType+":"+string(f.Body))
				}
			}
			if !slices.Equal(got, tc.files) {
				t.Errorf("files = %q, want %q", got, tc.files)
			}
		})
	}
}

func TestMultipartPartLimit(t *testing.T) {
	part := "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
	var args Args
	body := []byte(strings.Repeat(part, MaxMultipartParts) + "--b--")
	if err := ParseMultipartFormData("b", body, &args, nil); err != nil || args.Len() != MaxMultipartParts {
		t.Fatalf("at limit: %v, %d", err, args.Len())
	}
	body = []byte(strings.Repeat(part, MaxMultipartParts+1) + "--b--")
	err := ParseMultipartFormData("b", body, &args, nil)
	if !errors.Is(err, ErrBadMultipart) || !strings.Contains(err.Error(), "parts") {
		t.Fatalf("over limit: %v", err)
	}
}
