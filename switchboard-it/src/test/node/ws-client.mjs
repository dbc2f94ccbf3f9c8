// Drives Node's `ws` package (a WebSocket client nobody on this project wrote) against a
// Switchboard server and prints what it observed as JSON lines; the Java test asserts on them.
// Usage: node ws-client.mjs <echo|chat|deflate> <ws://host:port>
import WebSocket from 'ws';

const [mode, base] = process.argv.slice(2);
const out = (record) => process.stdout.write(JSON.stringify(record) + '\n');

// A bounded run: a hung exchange fails the test instead of hanging the build.
setTimeout(() => { out({ event: 'timeout' }); process.exit(2); }, 20000).unref();

function open(url, options) {
  const ws = new WebSocket(url, options);
  const inbox = [];
  const waiters = [];
  ws.on('message', (data, isBinary) => {
    const item = { data, isBinary };
    const waiter = waiters.shift();
    if (waiter) waiter(item); else inbox.push(item);
  });
  ws.next = () => inbox.length ? Promise.resolve(inbox.shift()) : new Promise((resolve) => waiters.push(resolve));
  ws.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.opened = new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  return ws;
}

async function echo() {
  const ws = open(base + '/echo', { perMessageDeflate: false });
  await ws.opened;
  out({ event: 'open', extensions: ws.extensions });

  ws.send('héllo ✓ 👋');
  const text = await ws.next();
  out({ event: 'text', isBinary: text.isBinary, data: text.data.toString('utf8') });

  ws.send(Buffer.from([0, 1, 2, 254, 255]));
  const binary = await ws.next();
  out({ event: 'binary', isBinary: binary.isBinary, hex: Buffer.from(binary.data).toString('hex') });

  // Over 65535 bytes: the frame carries the 64-bit extended length.
  const large = 'x'.repeat(70000);
  ws.send(large);
  const back = await ws.next();
  out({ event: 'large', length: back.data.length, equal: back.data.toString('utf8') === large });

  ws.close(1000, 'done');
  out({ event: 'close', ...(await ws.closed) });
}

async function chat() {
  const alice = open(base + '/chat', { perMessageDeflate: false });
  const bob = open(base + '/chat', { perMessageDeflate: false });
  await Promise.all([alice.opened, bob.opened]);
  out({ client: 'alice', event: 'message', data: JSON.parse((await alice.next()).data) });
  out({ client: 'bob', event: 'message', data: JSON.parse((await bob.next()).data) });

  alice.send(JSON.stringify({ type: 'chat', username: 'alice', message: 'hi from node' }));
  for (const [name, ws] of [['alice', alice], ['bob', bob]]) {
    // Anything the server sends before the broadcast (e.g. presence) is reported too.
    for (;;) {
      const message = JSON.parse((await ws.next()).data);
      out({ client: name, event: 'message', data: message });
      if (message.type === 'chat') break;
    }
  }
  alice.close(1000);
  bob.close(1000);
  out({ client: 'alice', event: 'close', ...(await alice.closed) });
  out({ client: 'bob', event: 'close', ...(await bob.closed) });
}

async function deflate() {
  // ws offers permessage-deflate with client_max_window_bits by default.
  const ws = open(base + '/echo', { perMessageDeflate: { threshold: 0 } });
  await ws.opened;
  out({ event: 'open', extensions: ws.extensions });

  const text = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ seq: i % 10, note: 'compressible' })));
  const readBefore = ws._socket.bytesRead; // the TCP socket's count: shows whether the reply was compressed
  ws.send(text);
  const back = await ws.next();
  out({
    event: 'echo',
    length: text.length,
    equal: back.data.toString('utf8') === text,
    wireBytes: ws._socket.bytesRead - readBefore,
  });

  ws.close(1000, 'done');
  out({ event: 'close', ...(await ws.closed) });
}

const modes = { echo, chat, deflate };
if (!modes[mode]) { out({ event: 'usage', error: 'unknown mode ' + mode }); process.exit(64); }
modes[mode]().then(() => process.exit(0), (err) => { out({ event: 'error', message: String(err) }); process.exit(1); });
