// Client — Browser
const socket = new WebSocket("wss://example.com/chat");

// Connection opened
socket.addEventListener("open", () => {
  console.log("Connected to server");
  socket.send(JSON.stringify({
    type: "join",
    username: "Rakibul"
  }));
});

// Receive messages from server (server-initiated!)
socket.addEventListener("message", (event) => {
  const data = JSON.parse(event.data);
  if (data.type === "chat") {
    displayMessage(data.from, data.message);
  }
});

// Send a message when user presses Enter
function sendMessage(text) {
  if (socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({
      type: "chat",
      username: "Rakibul",
      message: text
    }));
  }
}

// Connection closed
socket.addEventListener("close", (event) => {
  console.log("Disconnected:", event.code, event.reason);
  // Reconnect logic here if needed
});
