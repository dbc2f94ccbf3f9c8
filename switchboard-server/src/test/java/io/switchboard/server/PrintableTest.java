package io.switchboard.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrintableTest {

    @Test
    void aClientTextCannotStartANewLogLine() {
        assertThat(Printable.of("bye\n2026-12-04 INFO admin logged in\r\n"))
                .isEqualTo("bye\\n2026-12-04 INFO admin logged in\\r\\n")
                .doesNotContain("\n", "\r");
    }

    @Test
    void otherControlCharactersAreEscapedAndLongTextIsCut() {
        assertThat(Printable.of("a\u001b[31mred\u2028b\tc")).isEqualTo("a\\u001b[31mred\\u2028b\\tc");
        String cut = Printable.of("x".repeat(10_000));
        assertThat(cut).startsWith("x".repeat(Printable.MAX_LENGTH)).endsWith("...(10000 chars)");
        assertThat(Printable.of(null)).isNull();
    }
}
