package httputil

import (
	"bytes"
)

// MaxMultipartParts bounds the number of parts ParseMultipartFormData
// accepts, as net/http's mime/multipart does, so that a body of tiny parts
// cannot make the server allocate without bound.
const MaxMultipartParts = 1000

// HTTPFile is a file uploaded in a multipart/form-data body, as in
// Tornado.
type HTTPFile struct {
	Filename    string // from Content-Disposition filename (or filename*)
	Body        []byte // the part's content; aliases the request body
	ContentType string // the part's Content-Type, "application/unknown" if absent
}

// ParseBodyArguments parses a request body according to its Content-Type,
// like Tornado's parse_body_arguments. Form fields are appended to args,
// which must not be nil; uploaded files are appended to files[name] (if
// files is nil, file parts are skipped).
//
//   - application/x-www-form-urlencoded: parsed with ParseQuery;
//   - multipart/form-data: parsed with ParseMultipartFormData, using the
//     boundary parameter of contentType;
//   - any other type: nothing is done and nil is returned.
//
// If maxSize > 0 and the body is longer, it returns ErrBodyTooLarge (413)
// without parsing. Other errors are *ParseError values wrapping
// ErrBadMultipart. The caller should refuse bodies with a
// Content-Encoding other than identity before calling (Tornado ignores
// them).
func ParseBodyArguments(contentType string, body []byte, args *Args, files map[string][]HTTPFile, maxSize int) error {
	if maxSize > 0 && len(body) > maxSize {
		return perr(ErrBodyTooLarge, "%d bytes, limit %d", len(body), maxSize)
	}
	mediaType, params := ParseHeaderParams(contentType)
	switch mediaType {
	case "application/x-www-form-urlencoded":
		ParseQuery(string(body), args)
	case "multipart/form-data":
		boundary, ok := params["boundary"]
		if !ok {
			return perr(ErrBadMultipart, "no boundary in Content-Type")
		}
		return ParseMultipartFormData(boundary, body, args, files)
	}
	return nil
}

// validBoundary checks RFC 2046 §5.1.1: 1 to 70 bchars, not ending in SP.
func validBoundary(b string) bool {
	if len(b) == 0 || len(b) > 70 || b[len(b)-1] == ' ' {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		switch c {
		case '\'', '(', ')', '+', '_', ',', '-', '.', '/', ':', '=', '?', ' ':
			continue
		}
		return false
	}
	return true
}

// ParseMultipartFormData parses a multipart/form-data body (RFC 7578) with
// the given boundary (surrounding quotes are removed) and appends its
// fields to args (not nil) and its files to files[name] (skipped if files
// is nil), like Tornado's parse_multipart_form_data.
//
// The preamble before the first delimiter and the epilogue after the
// closing one are ignored. Each part must have a header block with a
// Content-Disposition of type form-data and a non-empty name. A part
// whose filename is present and non-empty is a file; otherwise (browsers
// send filename="" for an empty file input) it is a field. File bodies
// alias body; field values are copied into strings.
//
// It returns a *ParseError wrapping ErrBadMultipart for an invalid
// boundary, a missing closing delimiter, a part without headers or
// without a proper Content-Disposition, invalid part headers, or more than
// MaxMultipartParts parts. Fields parsed before the error stay in args and
// files.
func ParseMultipartFormData(boundary string, body []byte, args *Args, files map[string][]HTTPFile) error {
	if len(boundary) >= 2 && boundary[0] == '"' && boundary[len(boundary)-1] == '"' {
		boundary = boundary[1 : len(boundary)-1]
	}
	if !validBoundary(boundary) {
		return perr(ErrBadMultipart, "invalid boundary %s", snippet(boundary))
	}
	delim := []byte("\r\n--" + boundary) // delimiter, RFC 2046 §5.1.1
	pos, ok := nextDelimiter(body, delim[2:], 0)
	if !ok {
		if pos, ok = nextDelimiter(body, delim, 0); !ok {
			return perr(ErrBadMultipart, "no delimiter found")
		}
	}
	// pos is just past a delimiter, at "--" or at transport padding + CRLF.
	var ph Headers
	for parts := 0; ; parts++ {
		if bytes.HasPrefix(body[pos:], []byte("--")) {
			return nil // close delimiter; the epilogue is ignored
		}
		for pos < len(body) && isOWS(body[pos]) {
			pos++
		}
		pos += 2 // CRLF, checked by nextDelimiter
		if parts == MaxMultipartParts {
			return perr(ErrBadMultipart, "more than %d parts", MaxMultipartParts)
		}
		end, ok := nextDelimiter(body, delim, pos)
		if !ok {
			return perr(ErrBadMultipart, "no closing delimiter")
		}
		part := body[pos : end-len(delim)]
		pos = end
		ph.Reset()
		if err := parsePart(part, &ph, args, files); err != nil {
			return err
		}
	}
}

// nextDelimiter finds the first occurrence of delim at or after from that
// is followed by "--" or by optional SP/HTAB and CRLF, and returns the
// index just past delim. Occurrences followed by anything else are part of
// the content (as in mime/multipart). If from is 0 and delim starts with
// "--", only a match at the very start of body counts.
func nextDelimiter(body, delim []byte, from int) (int, bool) {
	for {
		i := bytes.Index(body[from:], delim)
		if i < 0 || delim[0] == '-' && from+i != 0 {
			return 0, false
		}
		end := from + i + len(delim)
		rest := body[end:]
		if bytes.HasPrefix(rest, []byte("--")) {
			return end, true
		}
		rest = trimLeftOWS(rest)
		if bytes.HasPrefix(rest, []byte("\r\n")) {
			return end, true
		}
		from += i + 1
	}
}

func trimLeftOWS(b []byte) []byte {
	for len(b) > 0 && isOWS(b[0]) {
		b = b[1:]
	}
	return b
}

// parsePart handles one body part (headers, blank line, content).
func parsePart(part []byte, ph *Headers, args *Args, files map[string][]HTTPFile) error {
	var content []byte
	if bytes.HasPrefix(part, []byte("\r\n")) {
		content = part[2:]
	} else {
		eoh := bytes.Index(part, []byte("\r\n\r\n"))
		if eoh < 0 {
			return perr(ErrBadMultipart, "part without header block")
		}
		if err := ParseHeaders(part[:eoh+2], ph); err != nil {
			return perr(ErrBadMultipart, "part headers: %v", err)
		}
		content = part[eoh+4:]
	}
	disp, params := ParseHeaderParams(ph.Get("Content-Disposition"))
	if disp != "form-data" {
		return perr(ErrBadMultipart, "part Content-Disposition is %s, want form-data", snippet(disp))
	}
	name := params["name"]
	if name == "" {
		return perr(ErrBadMultipart, "part without a name")
	}
	if filename := params["filename"]; filename != "" {
		if files == nil {
			return nil
		}
		ctype := ph.Get("Content-Type")
		if ctype == "" {
			ctype = "application/unknown"
		}
		files[name] = append(files[name], HTTPFile{Filename: filename, Body: content, ContentType: ctype})
		return nil
	}
	args.Add(name, string(content))
	return nil
}
