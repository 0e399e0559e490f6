// WebSocket peer for Gornado's interop tests: Node's ws (npm), as client
// or server. interop/run.sh installs ws in a cache outside the
// repository and the test passes it in NODE_PATH.
//
//   node ws_node.js client URL deflate|plain whole|fragmented
//       sends text and binary messages of 0 B to 16 MiB (with
//       "fragmented", up to 1 MiB in three fragments each with a ping
//       between the first two, as the Go side's wsCase.sizes), requires
//       each echo to be equal and a pong for each ping, closes with
//       4000 "bye ✓", requires the server's close code to be 4000 and
//       prints "OK <count>".
//   node ws_node.js bye URL
//       asks the server to close first (the text message "bye"),
//       requires its close frame to be 4000 "bye ✓" and prints "OK bye".
//   node ws_node.js server deflate|plain whole|fragmented
//       serves an echo server on 127.0.0.1 (echoing in three fragments
//       with "fragmented", and a ping between the first two; a text
//       message "bye" is answered with a close frame 4000 "bye ✓"),
//       prints "PORT <port>", then for each connection
//       "OPEN <extensions>", and once it is closed "PINGS <n> PONGS <n>"
//       and "CLOSE <code> <reason>"; it runs until killed.
'use strict';
const { WebSocket, WebSocketServer } = require('ws');

const SIZES = [0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20];
const MAX = 17 << 20;
const BYE_CODE = 4000;
const BYE_REASON = 'bye ✓';
const BYE_REQUEST = 'bye';

function payload(n, binary) {
  if (binary) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 8)) & 0xff;
    return b;
  }
  const b = Buffer.from('Gornado héllo wörld ✓ 𝄞 '.repeat(Math.floor(n / 20) + 1)).subarray(0, n);
  // Cut at a character: drop a sequence the cut left incomplete.
  let lead = b.length - 1;
  while (lead >= 0 && (b[lead] & 0xc0) === 0x80) lead--;
  if (lead >= 0) {
    const c = b[lead];
    const need = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    if (lead + need > b.length) return b.subarray(0, lead);
  }
  return b;
}

// send sends data whole, or in three frames, cut through characters as
// it may, with a ping between the first two (RFC 6455 lets control
// frames come between fragments); it returns the pings sent.
function send(ws, data, binary, fragmented) {
  if (!fragmented) {
    ws.send(data, { binary });
    return 0;
  }
  const i = Math.floor(data.length / 3);
  const j = Math.floor((2 * data.length) / 3);
  ws.send(data.subarray(0, i), { binary, fin: false });
  ws.ping(`inside ${data.length}`);
  ws.send(data.subarray(i, j), { binary, fin: false });
  ws.send(data.subarray(j), { binary, fin: true });
  return 1;
}

// countPongs counts the pongs ws receives.
function countPongs(ws) {
  const n = { pongs: 0 };
  ws.on('pong', () => n.pongs++);
  return n;
}

function fail(msg) {
  console.error(msg);
  process.exit(1);
}

async function client(url, deflate, fragmented) {
  const ws = new WebSocket(url, { perMessageDeflate: deflate, maxPayload: MAX });
  const queue = [];
  const waiting = [];
  ws.on('message', (data, isBinary) => {
    const m = { data, isBinary };
    if (waiting.length) waiting.shift()(m);
    else queue.push(m);
  });
  const next = () => new Promise((resolve) => (queue.length ? resolve(queue.shift()) : waiting.push(resolve)));
  const closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('error', (err) => fail(`ws error: ${err.message}`));
  await new Promise((resolve) => ws.once('open', resolve));
  if (ws.extensions.includes('permessage-deflate') !== deflate) fail(`extensions: ${ws.extensions}`);
  let count = 0;
  let pings = 0;
  const pongs = countPongs(ws);
  for (const n of fragmented ? SIZES.slice(0, -1) : SIZES) {
    for (const binary of [false, true]) {
      const want = payload(n, binary);
      pings += send(ws, want, binary, fragmented);
      const got = await next();
      if (got.isBinary !== binary || !want.equals(got.data)) {
        fail(`echo of ${n} bytes (binary ${binary}): ${got.data.length} bytes, binary ${got.isBinary}`);
      }
      count++;
    }
  }
  // Each pong came before its message's echo.
  if (pongs.pongs !== pings) fail(`${pongs.pongs} pongs to ${pings} pings`);
  ws.close(BYE_CODE, BYE_REASON);
  const { code } = await closed;
  if (code !== BYE_CODE) fail(`the server's close code: ${code}`);
  console.log('OK', count);
}

async function bye(url) {
  const ws = new WebSocket(url);
  ws.on('error', (err) => fail(`ws error: ${err.message}`));
  const closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(BYE_REQUEST);
  const { code, reason } = await closed;
  if (code !== BYE_CODE || reason !== BYE_REASON) fail(`the server's close frame: ${code} ${reason}`);
  console.log('OK bye');
}

function server(deflate, fragmented) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: deflate, maxPayload: MAX });
  wss.on('listening', () => console.log('PORT', wss.address().port));
  wss.on('connection', (ws) => {
    console.log('OPEN', ws.extensions);
    let pings = 0;
    const pongs = countPongs(ws);
    ws.on('message', (data, isBinary) => {
      if (!isBinary && data.toString() === BYE_REQUEST) ws.close(BYE_CODE, BYE_REASON);
      else pings += send(ws, data, isBinary, fragmented);
    });
    ws.on('close', (code, reason) => {
      console.log('PINGS', pings, 'PONGS', pongs.pongs);
      console.log('CLOSE', code, reason.toString());
    });
    ws.on('error', (err) => console.error('ws error:', err.message));
  });
}

const [role, ...args] = process.argv.slice(2);
if (role === 'client') {
  client(args[0], args[1] === 'deflate', args[2] === 'fragmented').catch((err) => fail(err.stack));
} else if (role === 'bye') {
  bye(args[0]).catch((err) => fail(err.stack));
} else {
  server(args[0] === 'deflate', args[1] === 'fragmented');
}
