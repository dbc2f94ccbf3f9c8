package io.switchboard.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lesson's EventSource client, unchanged, in headless Chromium behind nginx (docs/scaling.md's
 * configuration) over three {@code switchboard serve} processes on one test-owned Redis: the node
 * holding its stream is killed with SIGKILL, and the browser's own reconnect, sent with
 * {@code Last-Event-ID}, lands on another node and misses nothing.
 */
class MultiNodeEventSourceTest {

    static final String CHANNEL = "price-update";
    static final String PAGE = "https://example.com/sse.html?stream="
            + URLEncoder.encode("/sse?channel=" + CHANNEL, StandardCharsets.UTF_8) + "&types=" + CHANNEL;

    @TempDir
    Path certDir;
    RedisNodes cluster;
    Browser browser;
    final List<Backend.Published> published = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    void theLessonsEventSourceResumesOnAnotherNodeWhenItsNodeIsKilledAndMissesNothing() throws Exception {
        cluster = RedisNodes.start(3);
        browser = Browser.mappingExampleComTo(cluster.behindNginx(certDir).port);

        browser.driver.get(PAGE);
        browser.awaitTrue("return recorded.opens === 1");
        int streaming = nodeHoldingTheStream();
        int survivor = (streaming + 1) % 3;
        publishPrices(survivor, 3);
        browser.awaitTrue("return recorded.events.length === 3");

        cluster.nodes.get(streaming).kill();
        // Published while the page is away: its reconnect must bring them from another node.
        publishPrices(survivor, 3);
        browser.awaitTrue("return recorded.opens === 2");
        publishPrices(survivor, 1);
        browser.awaitTrue("return recorded.events.length >= 7");

        List<Map<String, Object>> events = browser.js("return recorded.events");
        assertThat(events).extracting(e -> e.get("data")).as("prices the page got, in order")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 7).mapToObj(p -> "{\"price\":" + p + "}").toList());
        assertThat(events).extracting(e -> e.get("id")).as("each event's lastEventId")
                .containsExactlyElementsOf(published.stream().map(Backend.Published::cursor).toList());
        assertThat(nodeHoldingTheStream()).as("the node of the resumed stream").isNotEqualTo(streaming);
    }

    /** The one live node whose hub has a subscriber (the page's stream), from the nodes' {@code /metrics}. */
    private int nodeHoldingTheStream() throws Exception {
        List<Integer> holding = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            if (cluster.nodes.get(node).isAlive() && cluster.metric(node, "switchboard_subscribers", "") > 0) {
                holding.add(node);
            }
        }
        assertThat(holding).as("nodes with a subscriber").hasSize(1);
        return holding.get(0);
    }

    private void publishPrices(int node, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            published.add(cluster.backend(node).publish(CHANNEL, "{\"price\":" + (published.size() + 1) + "}"));
        }
    }
}
