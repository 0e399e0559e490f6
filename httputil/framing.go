package httputil

import "strings"

// BodyLength determines how the body of a message is delimited, from its
// Content-Length and Transfer-Encoding fields, following RFC 9112 §6.3.
// isRequest selects the rules for a request (server side) or a response
// (client side). It returns:
//
//   - chunked == true, length == -1: the body uses the chunked coding
//     (decode it with a ChunkedDecoder);
//   - chunked == false, length >= 0: the body is exactly length bytes;
//   - chunked == false, length == -1: a response with neither field,
//     whose body runs until the server closes the connection.
//
// A request with neither field has no body (length 0). Responses to HEAD,
// 1xx, 204 and 304 responses have no body whatever their headers say: see
// ResponseHasBody, which the client must check first.
//
// BodyLength rejects every framing ambiguity that enables request
// smuggling, returning a *ParseError wrapping
//   - ErrConflictingFraming if both fields are present (RFC 9112 §6.3
//     allows a server to let Transfer-Encoding win, but a message like
//     that is almost always an attack, so it is refused as Tornado does);
//   - ErrBadContentLength if a Content-Length value is not 1*DIGIT, does
//     not fit in an int64, or if several values (repeated fields or a
//     comma-separated list such as "5, 6") differ; identical duplicates
//     ("5, 5") are accepted;
//   - ErrBadTransferEncoding if the last transfer coding is not chunked,
//     chunked appears more than once, or the list is empty or invalid.
//     For a request RFC 9112 §6.3 mandates 400. For a response the RFC
//     would fall back to reading until close, but (like Tornado) this
//     package refuses: the client should fail the request and close the
//     connection rather than guess;
//   - ErrUnsupportedTransferEncoding for any coding other than chunked
//     before the final chunked ("gzip, chunked"): a server answers 501, a
//     client fails the request and closes the connection.
//
// After any of these errors the connection must be closed. The caller
// should also close after an HTTP/1.0 message carrying Transfer-Encoding
// (RFC 9112 §6.1), since BodyLength does not see the version.
func BodyLength(h *Headers, isRequest bool) (length int64, chunked bool, err error) {
	var hasCL, hasTE bool
	for i := range h.fields {
		switch n := h.fields[i].name; {
		case equalFold(n, "Content-Length"):
			hasCL = true
		case equalFold(n, "Transfer-Encoding"):
			hasTE = true
		}
	}
	switch {
	case hasCL && hasTE:
		return 0, false, perr(ErrConflictingFraming, "Content-Length %q with Transfer-Encoding %q",
			h.Get("Content-Length"), h.Get("Transfer-Encoding"))
	case hasTE:
		if err := checkTransferEncoding(h); err != nil {
			return 0, false, err
		}
		return -1, true, nil
	case hasCL:
		n, err := contentLength(h)
		if err != nil {
			return 0, false, err
		}
		return n, false, nil
	case isRequest:
		return 0, false, nil
	}
	return -1, false, nil
}

// contentLength parses and reconciles every Content-Length value.
func contentLength(h *Headers) (int64, error) {
	result := int64(-1)
	for i := range h.fields {
		if !equalFold(h.fields[i].name, "Content-Length") {
			continue
		}
		rest := h.fields[i].value
		for {
			elem, more, found := strings.Cut(rest, ",")
			n, ok := parseDecimal(trimOWS(elem))
			if !ok {
				return 0, perr(ErrBadContentLength, "%s", snippet(h.fields[i].value))
			}
			if result >= 0 && n != result {
				return 0, perr(ErrBadContentLength, "differing values %d and %d", result, n)
			}
			result = n
			if !found {
				break
			}
			rest = more
		}
	}
	return result, nil
}

// parseDecimal parses 1*DIGIT into a non-negative int64.
func parseDecimal(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (1<<63-1-int64(c-'0'))/10 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// checkTransferEncoding verifies that the codings, across all
// Transfer-Encoding fields, are exactly one final "chunked".
func checkTransferEncoding(h *Headers) error {
	var codings, chunkedAt int
	chunkedAt = -1
	unsupported := ""
	for i := range h.fields {
		if !equalFold(h.fields[i].name, "Transfer-Encoding") {
			continue
		}
		for elem := range strings.SplitSeq(h.fields[i].value, ",") {
			elem = trimOWS(elem)
			if elem == "" {
				continue // empty list elements are allowed (RFC 9110 §5.6.1)
			}
			name, _, _ := strings.Cut(elem, ";")
			name = trimOWS(name)
			if !ValidHeaderName(name) {
				return perr(ErrBadTransferEncoding, "%s", snippet(h.fields[i].value))
			}
			if equalFold(name, "chunked") {
				if chunkedAt >= 0 || elem != name {
					return perr(ErrBadTransferEncoding, "chunked repeated or with parameters")
				}
				chunkedAt = codings
			} else if unsupported == "" {
				unsupported = name
			}
			codings++
		}
	}
	switch {
	case codings == 0:
		return perr(ErrBadTransferEncoding, "empty Transfer-Encoding")
	case chunkedAt != codings-1:
		return perr(ErrBadTransferEncoding, "chunked is not the final coding")
	case unsupported != "":
		return perr(ErrUnsupportedTransferEncoding, "%s", snippet(unsupported))
	}
	return nil
}
