package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.bench.peer.RedisServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PublishScenarioTest {

    @Test
    void acknowledgesPublishesOnTheMemoryBroker() throws Exception {
        List<Result> results = Smoke.run("publish", "switchboard");

        assertThat(results).hasSize(1);
        Result result = results.get(0);
        assertThat(result.variant()).isEqualTo("4 conns x 2 in flight");
        assertThat(result.get("publishes/s")).isPositive();
        assertThat(result.get("errors")).isZero();
        assertThat(result.get("dropped conns")).isZero();
        assertThat(result.get("Redis CPU (cores)")).isNaN();
    }

    @Test
    void setsTwoNodesOnRedisBesideRedisBenchmarkRunningTheSameScript() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not on the PATH");

        List<Result> results = Smoke.run("publish", "switchboard+redis");

        assertThat(results).extracting(Result::peer).containsExactly("switchboard+redis", "redis-benchmark");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.variant()).isEqualTo("4 conns x 2 in flight");
            assertThat(r.get("publishes/s")).isPositive();
            assertThat(r.get("errors")).isZero();
        });
    }

    @Test
    void readsTheIdOfAReplyNegatedForAnError() {
        assertThat(PublishScenario.replyId(utf8("{\"id\":1234,\"publish\":{\"offset\":7,\"epoch\":\"abc\"}}"))).isEqualTo(1234);
        assertThat(PublishScenario.replyId(utf8("{\"id\":9,\"error\":{\"code\":110,\"name\":\"too_many_requests\"}}"))).isEqualTo(-9);
        assertThat(PublishScenario.replyId(utf8("{\"connect\":{\"client\":\"3fa2-1\"}}"))).isZero();
    }

    @Test
    void givesTheScriptTheKeysAndArgumentsOfANodesPublish() throws Exception {
        List<String> command = PublishScenario.evalsha("abc", "switchboard:", "demo:board");

        assertThat(command).startsWith("EVALSHA", "abc", "2", "switchboard:{demo:board}:meta", "switchboard:{demo:board}:stream")
                .endsWith("switchboard:{demo:board}", "PUBLISH")
                .hasSize(13) // 2 keys, then the script's 8 arguments
                .allSatisfy(arg -> assertThat(arg).doesNotContain("\"", ","));
        assertThat(PublishScenario.script()).contains("XADD").endsWith("\n");
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
