package httputil

// statusText holds the reason phrases of RFC 9110 §15 and common
// extensions, like Python's http.client.responses used by Tornado.
var statusText = map[int]string{
	100: "Continue",
	101: "Switching Protocols",
	102: "Processing",
	103: "Early Hints",
	200: "OK",
	201: "Created",
	202: "Accepted",
	203: "Non-Authoritative Information",
	204: "No Content",
	205: "Reset Content",
	206: "Partial Content",
	207: "Multi-Status",
	208: "Already Reported",
	226: "IM Used",
	300: "Multiple Choices",
	301: "Moved Permanently",
	302: "Found",
	303: "See Other",
	304: "Not Modified",
	305: "Use Proxy",
	307: "Temporary Redirect",
	308: "Permanent Redirect",
	400: "Bad Request",
	401: "Unauthorized",
	402: "Payment Required",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	406: "Not Acceptable",
	407: "Proxy Authentication Required",
	408: "Request Timeout",
	409: "Conflict",
	410: "Gone",
	411: "Length Required",
	412: "Precondition Failed",
	413: "Content Too Large",
	414: "URI Too Long",
	415: "Unsupported Media Type",
	416: "Range Not Satisfiable",
	417: "Expectation Failed",
	418: "I'm a Teapot",
	421: "Misdirected Request",
	422: "Unprocessable Content",
	423: "Locked",
	424: "Failed Dependency",
	425: "Too Early",
	426: "Upgrade Required",
	428: "Precondition Required",
	429: "Too Many Requests",
	431: "Request Header Fields Too Large",
	451: "Unavailable For Legal Reasons",
	500: "Internal Server Error",
	501: "Not Implemented",
	502: "Bad Gateway",
	503: "Service Unavailable",
	504: "Gateway Timeout",
	505: "HTTP Version Not Supported",
	506: "Variant Also Negotiates",
	507: "Insufficient Storage",
	508: "Loop Detected",
	510: "Not Extended",
	511: "Network Authentication Required",
}

// StatusText returns the standard reason phrase for code ("Not Found" for
// 404), or "" if the code is unknown.
func StatusText(code int) string { return statusText[code] }

// ResponseHasBody reports whether a response with status code to a request
// with the given method can carry a body (RFC 9112 §6.3): it returns false
// for responses to HEAD, for 1xx, 204 and 304, and for 2xx responses to
// CONNECT. When it returns false the message ends with its header block,
// whatever Content-Length or Transfer-Encoding say, and the client must
// not call BodyLength.
func ResponseHasBody(method string, code int) bool {
	switch {
	case method == "HEAD", code >= 100 && code < 200, code == 204, code == 304:
		return false
	case method == "CONNECT" && code >= 200 && code < 300:
		return false
	}
	return true
}
