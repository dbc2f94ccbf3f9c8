package io.switchboard.core.protocol;

import io.switchboard.core.ClientInfo;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.HistoryResult;
import io.switchboard.core.Message;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.StreamPosition;
import io.switchboard.core.SubscribeResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RepliesTest {

    private final Message message = new Message("news", 10, "abc", "{\"text\":\"hi \\\"you\\\"\"}", 1_700_000_000_000L, "c1");

    @Test
    void publicationJsonEmbedsDataAsJsonAndIsEncodedOnce() {
        byte[] json = Publications.json(message);

        assertThat(new String(json, StandardCharsets.UTF_8))
                .isEqualTo("{\"channel\":\"news\",\"offset\":10,\"epoch\":\"abc\",\"data\":{\"text\":\"hi \\\"you\\\"\"}}");
        assertThat(Publications.json(message)).isSameAs(json);
    }

    @Test
    void pushesWrapThePublicationAndNameTheirEvent() {
        assertThat(new String(Pushes.pub(message), StandardCharsets.UTF_8))
                .isEqualTo("{\"pub\":{\"channel\":\"news\",\"offset\":10,\"epoch\":\"abc\",\"data\":{\"text\":\"hi \\\"you\\\"\"}}}");
        assertThat(Pushes.connect("n-1")).isEqualTo("{\"connect\":{\"client\":\"n-1\"}}");
        assertThat(Pushes.join("news", new ClientInfo("n-2", "ann", "{\"color\":\"red\"}")))
                .isEqualTo("{\"join\":{\"channel\":\"news\",\"client\":{\"client\":\"n-2\",\"user\":\"ann\",\"info\":{\"color\":\"red\"}}}}");
        assertThat(Pushes.leave("news", new ClientInfo("n-2", null, null)))
                .isEqualTo("{\"leave\":{\"channel\":\"news\",\"client\":{\"client\":\"n-2\"}}}");
    }

    @Test
    void aLostStretchIsPushedInTheShapeOfASubscribeReplyWithoutId() {
        assertThat(Pushes.notRecovered("news", new StreamPosition(12, "abc")))
                .isEqualTo("{\"subscribe\":{\"channel\":\"news\",\"offset\":12,\"epoch\":\"abc\",\"recovered\":false}}");
    }

    @Test
    void repliesRepeatTheIdAndNameTheirCommand() {
        assertThat(Replies.subscribe(1, "news", new SubscribeResult(new StreamPosition(9, "abc"), true)))
                .isEqualTo("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"offset\":9,\"epoch\":\"abc\",\"recovered\":true}}");
        assertThat(Replies.unsubscribe(2)).isEqualTo("{\"id\":2,\"unsubscribe\":{}}");
        assertThat(Replies.publish(3, message)).isEqualTo("{\"id\":3,\"publish\":{\"offset\":10,\"epoch\":\"abc\"}}");
        assertThat(Replies.history(4, new HistoryResult(List.of(message), new StreamPosition(10, "abc"), false)))
                .isEqualTo("{\"id\":4,\"history\":{\"publications\":[{\"offset\":10,\"data\":{\"text\":\"hi \\\"you\\\"\"}}],"
                        + "\"offset\":10,\"epoch\":\"abc\",\"recovered\":false}}");
        assertThat(Replies.presence(5, List.of(new ClientInfo("n-1", "ann", null), new ClientInfo("n-2", null, null))))
                .isEqualTo("{\"id\":5,\"presence\":{\"clients\":[{\"client\":\"n-1\",\"user\":\"ann\"},{\"client\":\"n-2\"}]}}");
    }

    @Test
    void errorRepliesCarryTheCodeNumberItsNameAndAnEscapedMessage() {
        assertThat(Replies.error(new ProtocolException(ErrorCode.BAD_CURSOR, "cursor \"x\" is bad", 7)))
                .isEqualTo("{\"id\":7,\"error\":{\"code\":105,\"name\":\"bad_cursor\",\"message\":\"cursor \\\"x\\\" is bad\"}}");
        assertThat(Replies.error(0, ErrorCode.INVALID_JSON, "invalid JSON"))
                .isEqualTo("{\"id\":0,\"error\":{\"code\":101,\"name\":\"invalid_json\",\"message\":\"invalid JSON\"}}");
    }
}
