// The test's own view of the page's EventSource, leaving the lesson's code untouched: it records
// every "open" and every price-update (its lastEventId and data). Opened as sse.html?stream=<url>,
// the page points the lesson's `new EventSource("/events")` at <url> instead.
(() => {
  const stream = new URLSearchParams(location.search).get("stream");
  const PageEventSource = window.EventSource;
  window.recorded.opens = 0;
  window.recorded.events = [];
  window.EventSource = class extends PageEventSource {
    constructor(url, init) {
      super(stream && url === "/events" ? stream : url, init);
      this.addEventListener("open", () => { window.recorded.opens++; });
      this.addEventListener("price-update", (event) => {
        window.recorded.events.push({ id: event.lastEventId, data: event.data });
      });
    }
  };
})();
