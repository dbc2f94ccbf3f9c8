// Client — SSE is built into browsers
const source = new EventSource("/events");

source.addEventListener("price-update", (event) => {
  const data = JSON.parse(event.data);
  updateStockTicker(data.price);
});

source.onerror = () => {
  console.log("SSE connection lost — browser auto-reconnects");
};
