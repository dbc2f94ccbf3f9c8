// The lesson's server (Lesson 8.3, "Building a WebSocket Server and Client"), as the lesson writes it,
// for switchboard-bench's side-by-side runs. Run: node server.js <port>
//
// Changes from the lesson, and only these:
//   REMOVED: the per-message logging (console.log("Received:", parsed)), so a run measures the server,
//            not the terminal.
//   ADDED:   the port from the command line; one HTTP server on 127.0.0.1 whose upgrades are routed by
//            path: /chat to the lesson's server, /echo to an echo server. Both are marked "ADDED" below;
//            everything between "lesson: begin" and "lesson: end" is the lesson's code.

const http = require("http"); // ADDED
const WebSocket = require("ws");

const port = Number(process.argv[2] || 8080); // ADDED
const server = http.createServer(); // ADDED

// lesson: begin (the lesson's { port: 8080 } becomes { noServer: true }: the ADDED router below hands it /chat)
const wss = new WebSocket.Server({ noServer: true });

wss.on("connection", (socket, request) => {
  console.log("Client connected:", request.socket.remoteAddress);

  // Send a message to this client
  socket.send(JSON.stringify({ type: "welcome", message: "Connected!" }));

  // Receive messages from this client
  socket.on("message", (data) => {
    const parsed = JSON.parse(data.toString());

    // Broadcast to ALL connected clients
    wss.clients.forEach((client) => {
      if (client.readyState === WebSocket.OPEN) {
        client.send(JSON.stringify({
          type: "chat",
          from: parsed.username,
          message: parsed.message,
          timestamp: Date.now()
        }));
      }
    });
  });

  socket.on("close", (code, reason) => {
    console.log("Client disconnected:", code, reason.toString());
  });

  socket.on("error", (err) => {
    console.error("Socket error:", err.message);
  });
});
// lesson: end

// ADDED: ws /echo, every text and binary message back unchanged.
const echo = new WebSocket.Server({ noServer: true });
echo.on("connection", (socket) => {
  socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
  socket.on("error", () => {});
});

// ADDED: route upgrades by path; anything else gets 404.
server.on("upgrade", (request, socket, head) => {
  const path = request.url.split("?")[0];
  const target = path === "/chat" ? wss : path === "/echo" ? echo : null;
  if (target === null) {
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    return;
  }
  target.handleUpgrade(request, socket, head, (ws) => target.emit("connection", ws, request));
});
server.listen(port, "127.0.0.1", () => console.log(`node-lesson peer listening on 127.0.0.1:${port}`)); // ADDED
