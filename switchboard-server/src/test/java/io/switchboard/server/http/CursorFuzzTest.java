package io.switchboard.server.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.HubConfig;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.StreamPosition;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of cursor parsing (docs/fuzzing.md): a stream position {@code 7:e}, and
 * the multi-channel cursor {@code a=7:e b=2:e} of SSE {@code Last-Event-ID} and poll {@code since=}.
 * Any text is a cursor, which reads back the same once written, or a refusal with an error code.
 *
 * <p>An input is UTF-8 text: the first line names the channels, space separated, the rest is the
 * cursor; without a line break the whole is the cursor of channel {@code news}. A normal build
 * replays the corpus in {@code CursorFuzzTestInputs/}.
 */
class CursorFuzzTest {

    private static final HubConfig LIMITS = HubConfig.defaults();
    private static final Set<ErrorCode> QUERY_REFUSALS =
            EnumSet.of(ErrorCode.BAD_REQUEST, ErrorCode.BAD_CHANNEL, ErrorCode.BAD_CURSOR, ErrorCode.TOO_MANY_SUBSCRIPTIONS);

    @FuzzTest(maxDuration = "60s")
    void everyCursorReadsBackOrIsRefusedWithACode(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        List<String> channels = newline < 0 ? List.of("news") : List.of(text.substring(0, newline).split(" ", -1));
        String cursor = newline < 0 ? text : text.substring(newline + 1);

        try {
            StreamPosition position = StreamPosition.parse(cursor);
            assertThat(position.offset()).isNotNegative();
            assertThat(StreamPosition.parse(position.toString())).as("read back from %s", position).isEqualTo(position);
        } catch (ProtocolException e) {
            assertThat(e.code()).as("refusal of \"%s\": %s", cursor, e.getMessage()).isEqualTo(ErrorCode.BAD_CURSOR);
        }

        ChannelQuery query;
        try {
            query = ChannelQuery.of(channels, cursor, LIMITS);
        } catch (ProtocolException e) {
            assertThat(e.code()).as("refusal of %s \"%s\": %s", channels, cursor, e.getMessage()).isIn(QUERY_REFUSALS);
            return;
        }
        assertThat(query.channels()).doesNotHaveDuplicates().containsAll(channels);
        assertThat(query.channels()).containsAll(query.since().keySet());
        String written = ChannelQuery.cursor(query.channels(), query.since());
        assertThat(ChannelQuery.of(query.channels(), written, LIMITS).since())
                .as("positions read back from the cursor \"%s\" written for them", written)
                .isEqualTo(query.since());
    }
}
