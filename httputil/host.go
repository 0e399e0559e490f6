package httputil

// ValidHost reports whether s is a valid Host header value or the
// authority of a request-target: uri-host [ ":" port ] (RFC 9110 §7.2,
// RFC 3986 §3.2.2), with no userinfo. The host is a bracketed IPv6 (or
// IPvFuture) literal, or a reg-name of unreserved characters,
// percent-encodings and sub-delims, which takes in IPv4 addresses and DNS
// names; the port, if its colon is there, is digits (perhaps none, as
// the grammar allows). It returns false for "", for a "/", "?", "@" or
// space anywhere, and for bytes outside ASCII (a name that is not ASCII
// travels as punycode).
func ValidHost(s string) bool {
	if s == "" {
		return false
	}
	host, port := s, ""
	if s[0] == '[' {
		end := -1
		for i := 1; i < len(s); i++ {
			if s[i] == ']' {
				end = i
				break
			}
		}
		if end < 2 {
			return false
		}
		for i := 1; i < end; i++ {
			c := s[i]
			if charClass[c]&cHex == 0 && c != ':' && c != '.' && c != 'v' && c != 'V' {
				return false
			}
		}
		host, port = "", s[end+1:]
		if port != "" {
			if port[0] != ':' {
				return false
			}
			port = port[1:]
		}
	} else {
		for i := len(s) - 1; i >= 0; i-- {
			if s[i] == ':' {
				host, port = s[:i], s[i+1:]
				break
			}
		}
		if host == "" {
			return false
		}
	}
	for i := 0; i < len(host); i++ {
		if !regNameChar(host[i]) {
			return false
		}
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	return true
}

// regNameChar reports whether c may appear in a reg-name: unreserved,
// sub-delims, or the "%" of a percent-encoding.
func regNameChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '_', '~', '%', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=':
		return true
	}
	return false
}
