// The test's own view of the page's EventSource, leaving the lesson's code untouched: it records
// every "open" and every event of the recorded types (price-update, or those named by ?types=a,b)
// with its type, lastEventId and data. Opened as sse.html?stream=<url>, the page points the
// lesson's `new EventSource("/events")` at <url> instead.
(() => {
  const params = new URLSearchParams(location.search);
  const stream = params.get("stream");
  const types = (params.get("types") || "price-update").split(",");
  const PageEventSource = window.EventSource;
  window.recorded.opens = 0;
  window.recorded.events = [];
  window.EventSource = class extends PageEventSource {
    constructor(url, init) {
      super(stream && url === "/events" ? stream : url, init);
      this.addEventListener("open", () => { window.recorded.opens++; });
      for (const type of types) {
        this.addEventListener(type, (event) => {
          window.recorded.events.push({ type: event.type, id: event.lastEventId, data: event.data });
        });
      }
    }
  };
})();
