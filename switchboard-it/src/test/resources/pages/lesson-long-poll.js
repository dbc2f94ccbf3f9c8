// Long polling — client keeps asking, server delays response until data exists
async function longPoll() {
  while (true) {
    try {
      const res = await fetch("/api/notifications/poll");
      // Server held this request for up to 30s waiting for a notification
      const notifications = await res.json();
      processNotifications(notifications);
    } catch (err) {
      await new Promise(resolve => setTimeout(resolve, 1000)); // retry after 1s
    }
  }
}
