const socket = new WebSocket("wss://example.com/echo");

socket.onopen    = () => socket.send(JSON.stringify({ type: "hello" }));
socket.onmessage = (e) => console.log(JSON.parse(e.data));
socket.onclose   = (e) => reconnect(e.code);
socket.onerror   = (e) => console.error(e);

// Check state before sending
if (socket.readyState === WebSocket.OPEN) {
  socket.send(data);
}
