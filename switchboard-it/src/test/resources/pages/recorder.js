// The test's own side of the page: the functions the lesson's code calls but leaves to the
// application (displayMessage, reconnect, updateStockTicker, processNotifications), each
// recording what it was given, and a console that keeps what the lesson's code logs.
window.recorded = { logs: [], messages: [], reconnects: [], prices: [], batches: [] };

for (const level of ["log", "error"]) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    window.recorded.logs.push(args.map((arg) => {
      if (typeof arg === "string") return arg;
      if (arg instanceof Event) return "[" + arg.type + " event]";
      return JSON.stringify(arg);
    }).join(" "));
    original(...args);
  };
}

function displayMessage(from, message) {
  window.recorded.messages.push({ from, message });
  const item = document.createElement("li");
  item.textContent = from + ": " + message;
  document.getElementById("messages").appendChild(item);
}

function reconnect(code) {
  window.recorded.reconnects.push(code);
}

function updateStockTicker(price) {
  window.recorded.prices.push(price);
}

function processNotifications(notifications) {
  window.recorded.batches.push(notifications);
}
