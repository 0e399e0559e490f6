package websocket

import (
	"strconv"
	"strings"
)

// permessage-deflate negotiation (RFC 7692 §7.1), as Tornado does it:
// the server accepts the first offer it can honour and echoes its
// parameters; the client offers client_max_window_bits.
//
// compress/flate always compresses with a 32 KiB window (15 bits) and
// cannot be told to use a smaller one. So:
//   - a window bound on the other side's compressor (client_max_window_bits
//     on the server, server_max_window_bits on the client) costs nothing:
//     flate inflates any window up to 15 bits;
//   - a bound below 15 on this side's compressor (server_max_window_bits
//     on the server, client_max_window_bits on the client) is honoured by
//     compressing with Huffman coding only (flate.HuffmanOnly): no
//     back-references, so within any window, at a worse ratio.

const extDeflate = "permessage-deflate"

// deflateParams is what a connection agreed: which sides reset their
// context per message, and whether this side may not use LZ77 matches.
type deflateParams struct {
	ownNoTakeover  bool // this side compresses each message on its own
	peerNoTakeover bool // the peer does: inflate without history
	huffmanOnly    bool // the peer bounded this side's window below 15
	level          int
}

type extParam struct{ name, value string }

type extOffer struct {
	name   string
	params []extParam
}

// parseExtensions reads Sec-WebSocket-Extensions values into offers.
func parseExtensions(values []string) []extOffer {
	var out []extOffer
	for _, v := range values {
		for _, ext := range strings.Split(v, ",") {
			parts := strings.Split(ext, ";")
			o := extOffer{name: strings.ToLower(strings.TrimSpace(parts[0]))}
			if o.name == "" {
				continue
			}
			for _, p := range parts[1:] {
				k, val, _ := strings.Cut(p, "=")
				o.params = append(o.params, extParam{
					name:  strings.ToLower(strings.TrimSpace(k)),
					value: strings.Trim(strings.TrimSpace(val), `"`),
				})
			}
			out = append(out, o)
		}
	}
	return out
}

// windowBits parses a max_window_bits value: 8 to 15.
func windowBits(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 8 && n <= 15 && len(v) <= 2
}

// acceptDeflate is the server's side: the first permessage-deflate offer
// it can honour, the parameters agreed and the response header value;
// ok is false when there is none (the connection goes on uncompressed).
func acceptDeflate(offers []extOffer, cfg *CompressionConfig) (p deflateParams, response string, ok bool) {
next:
	for _, o := range offers {
		if o.name != extDeflate {
			continue
		}
		p = deflateParams{level: cfg.level(), ownNoTakeover: cfg.NoContextTakeover}
		resp := []string{extDeflate}
		seen := map[string]bool{}
		for _, prm := range o.params {
			if seen[prm.name] {
				continue next // RFC 7692 §7: a repeated parameter voids the offer
			}
			seen[prm.name] = true
			switch prm.name {
			case "server_no_context_takeover":
				if prm.value != "" {
					continue next
				}
				p.ownNoTakeover = true
			case "client_no_context_takeover":
				if prm.value != "" {
					continue next
				}
				p.peerNoTakeover = true
				resp = append(resp, prm.name)
			case "server_max_window_bits":
				n, valid := windowBits(prm.value)
				if !valid {
					continue next
				}
				p.huffmanOnly = n < 15
				resp = append(resp, prm.name+"="+prm.value)
			case "client_max_window_bits":
				if prm.value == "" {
					continue // offered without a value: not echoed, as in Tornado
				}
				if _, valid := windowBits(prm.value); !valid {
					continue next
				}
				resp = append(resp, prm.name+"="+prm.value)
			default:
				continue next
			}
		}
		if p.ownNoTakeover {
			resp = append(resp, "server_no_context_takeover")
		}
		return p, strings.Join(resp, "; "), true
	}
	return deflateParams{}, "", false
}

// deflateOffer is the client's Sec-WebSocket-Extensions value.
func deflateOffer(cfg *CompressionConfig) string {
	s := extDeflate + "; client_max_window_bits"
	if cfg.NoContextTakeover {
		s += "; client_no_context_takeover"
	}
	return s
}

// agreeDeflate is the client's side: it checks the server's response
// against what deflateOffer offered. ok is false, and the handshake
// fails, for anything but one permessage-deflate with known parameters.
func agreeDeflate(resp []extOffer, cfg *CompressionConfig) (p deflateParams, on, ok bool) {
	if len(resp) == 0 {
		return p, false, true
	}
	if len(resp) > 1 || resp[0].name != extDeflate || cfg == nil {
		return p, false, false
	}
	// Compressing each message on its own is always allowed (context
	// takeover is a permission): NoContextTakeover needs no agreement.
	p.level, p.ownNoTakeover = cfg.level(), cfg.NoContextTakeover
	seen := map[string]bool{}
	for _, prm := range resp[0].params {
		if seen[prm.name] {
			return p, false, false
		}
		seen[prm.name] = true
		switch prm.name {
		case "server_no_context_takeover":
			p.peerNoTakeover = true
		case "client_no_context_takeover":
			p.ownNoTakeover = true
		case "server_max_window_bits":
			if _, valid := windowBits(prm.value); !valid {
				return p, false, false
			}
		case "client_max_window_bits":
			n, valid := windowBits(prm.value)
			if !valid {
				return p, false, false
			}
			p.huffmanOnly = n < 15
		default:
			return p, false, false
		}
	}
	return p, true, true
}
