package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lesson's browser clients, unchanged, in headless Chromium behind nginx (the configuration
 * of docs/scaling.md: round robin, no sticky sessions) over three {@code switchboard serve}
 * processes on one test-owned Redis. nginx serves the pages and {@code example.com} is nginx,
 * so the lesson's {@code wss://example.com/chat} and {@code fetch("/api/notifications/poll")} reach
 * whichever node it picks.
 */
class MultiNodeNginxTest {

    private static final String OPEN = "return socket.readyState === WebSocket.OPEN"
            + " && recorded.logs.includes('Connected to server')";
    private static final Pattern POLL_ANSWERED_BY = Pattern.compile("^GET /api/notifications/poll 200 (\\S+)$");

    @TempDir
    static Path certDir;
    static RedisNodes cluster;
    static Nginx nginx;
    Browser browser;

    @BeforeAll
    static void startRedisNodesAndNginx() throws Exception {
        cluster = RedisNodes.start(3);
        nginx = cluster.behindNginx(certDir);
    }

    @AfterAll
    static void stopNginxAndNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Browser.mappingExampleComTo(nginx.port);
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void twoChatPagesOnDifferentNodesSeeEachOthersMessages() throws Exception {
        // Round robin puts each new page's WebSocket on the next node; other requests (a favicon)
        // may take a turn, so open pages until two are on different nodes.
        Map<String, Integer> pageNode = new LinkedHashMap<>();
        int[] none = webSocketsPerNode();
        browser.driver.get("https://example.com/chat.html");
        pageNode.put(browser.driver.getWindowHandle(), awaitNewWebSocket(none));
        String pageA = browser.driver.getWindowHandle();
        String pageB = null;
        while (pageB == null && pageNode.size() < 6) {
            int[] before = webSocketsPerNode();
            browser.driver.switchTo().newWindow(WindowType.TAB).get("https://example.com/chat.html");
            int node = awaitNewWebSocket(before);
            pageNode.put(browser.driver.getWindowHandle(), node);
            if (node != pageNode.get(pageA)) {
                pageB = browser.driver.getWindowHandle();
            }
        }
        assertThat(pageB).as("a page whose WebSocket is on another node than page A's; pages on nodes %s", pageNode.values())
                .isNotNull();

        browser.driver.switchTo().window(pageA);
        browser.js("sendMessage(arguments[0])", "from page A");
        browser.driver.switchTo().window(pageB);
        browser.awaitTrue("return recorded.messages.length >= 1");
        browser.js("sendMessage(arguments[0])", "from page B");

        for (String page : List.of(pageA, pageB)) {
            browser.driver.switchTo().window(page);
            browser.awaitTrue("return recorded.messages.length >= 2");
            List<Map<String, Object>> shown = browser.js("return recorded.messages");
            assertThat(shown).as("displayMessage calls on the page on node %d", pageNode.get(page) + 1).containsExactly(
                    Map.of("from", "Rakibul", "message", "from page A"),
                    Map.of("from", "Rakibul", "message", "from page B"));
        }
    }

    @Test
    void theLessonsLongPollLoopAlternatingNodesLosesNothing() throws Exception {
        browser.driver.get("https://example.com/long-poll.html");
        awaitLoopLive();

        List<JsonNode> expected = new ArrayList<>();
        for (int round = 1; round <= 6; round++) {
            // Published on a node of its own each round, while the loop's poll waits on any node.
            Backend backend = cluster.backend(round % 3);
            for (int i = 1; i <= round; i++) {
                JsonNode notification = notification(round + "." + i);
                backend.notify(notification.toString());
                expected.add(notification);
            }
            String last = expected.get(expected.size() - 1).path("text").asText();
            browser.awaitTrue("return JSON.stringify(recorded.batches).includes('\"" + last + "\"')");
        }

        List<JsonNode> received = new ArrayList<>();
        JSON.readTree((String) browser.js("return JSON.stringify(recorded.batches)"))
                .forEach(batch -> batch.forEach(received::add));
        assertThat(received.stream().dropWhile(n -> n.path("text").asText().startsWith("warm-up")))
                .as("what processNotifications got, in order").containsExactlyElementsOf(expected);
        Set<String> answeredBy = new HashSet<>();
        for (String line : nginx.accessLog()) {
            Matcher poll = POLL_ANSWERED_BY.matcher(line);
            if (poll.matches()) {
                answeredBy.add(poll.group(1));
            }
        }
        assertThat(answeredBy).as("the nodes that answered the loop's polls (nginx's access log)").hasSize(3);
    }

    /** The loop's first poll carries no cookie, so it starts from what comes after it; a warm-up that arrives shows it is in place. */
    private void awaitLoopLive() throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            cluster.backend(0).notify(notification("warm-up " + attempt).toString());
            if (browser.becomesTrueWithin(Duration.ofSeconds(2), "return recorded.batches.length > 0")) {
                return;
            }
        }
        throw new AssertionError("no notification reached processNotifications; the page recorded " + browser.recorded());
    }

    /** Waits until one node holds one more WebSocket than in {@code before}, and returns its index. */
    private int awaitNewWebSocket(int[] before) throws Exception {
        browser.awaitTrue(OPEN);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (;;) {
            int[] now = webSocketsPerNode();
            for (int node = 0; node < now.length; node++) {
                if (now[node] > before[node]) {
                    return node;
                }
            }
            assertThat(System.nanoTime()).as("a node counts the new page's WebSocket").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Each node's open WebSocket connections, from its {@code GET /metrics}. */
    private static int[] webSocketsPerNode() throws Exception {
        int[] counts = new int[cluster.nodes.size()];
        for (int node = 0; node < counts.length; node++) {
            counts[node] = cluster.metric(node, "switchboard_connections", "transport=\"websocket\"");
        }
        return counts;
    }

    private static JsonNode notification(String text) {
        return JSON.createObjectNode().put("text", text);
    }
}
