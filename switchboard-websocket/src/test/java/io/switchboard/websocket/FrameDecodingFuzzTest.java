package io.switchboard.websocket;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of frame decoding on the server side (docs/fuzzing.md). An input is one
 * byte giving the size of each read (0: all at once), then the bytes a client sends after the
 * handshake. A normal build replays the corpus in {@code FrameDecodingFuzzTestInputs/}.
 */
class FrameDecodingFuzzTest {

    /** Small, so that 1009 is within the fuzzer's reach. */
    private static final ServerSideExchange SERVER = new ServerSideExchange(1024, null);

    @FuzzTest(maxDuration = "60s")
    void anyBytesEndInMessagesOrACloseWithAValidCode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        ServerSideExchange.Outcome whole = SERVER.run(bytes, 0);
        ServerSideExchange.Outcome inReads = SERVER.run(bytes, input[0] & 0xFF);
        assertThat(inReads).as("the same outcome however the bytes are split into reads").isEqualTo(whole);
    }
}
