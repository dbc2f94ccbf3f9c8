package io.switchboard.core.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.core.ProtocolException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the {@code /ws} command parser (docs/fuzzing.md): any message is a
 * command or a {@link ProtocolException} with an error code, nothing else. A normal build replays
 * the corpus in {@code CommandParserFuzzTestInputs/}; {@code JAZZER_FUZZ=1} explores from it.
 */
class CommandParserFuzzTest {

    private final CommandParser parser = new CommandParser(64);

    @FuzzTest(maxDuration = "60s")
    void everyMessageIsACommandOrAnErrorWithACode(byte[] message) {
        // The bytes as a /ws text message carries them, and the same message read as a string.
        Object fromBytes = outcome(() -> parser.parse(new ByteArrayInputStream(message)));
        Object fromText = outcome(() -> parser.parse(new String(message, StandardCharsets.UTF_8)));
        if (isUtf8(message)) {
            assertThat(fromBytes).as("the same command from bytes and from text").isEqualTo(fromText);
        }
    }

    /** The command, or the error code and request id it was refused with. */
    private static Object outcome(java.util.function.Supplier<Command> parse) {
        try {
            Command command = parse.get();
            assertThat(command).isNotNull();
            assertThat(command.id()).isPositive();
            return command;
        } catch (ProtocolException e) {
            assertThat(e.code()).as("error code of \"%s\"", e.getMessage()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            assertThat(e.requestId()).isNotNegative();
            return e.code() + " id " + e.requestId();
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
