package io.switchboard.core.protocol;

import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.StreamPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CommandParserTest {

    private final CommandParser parser = new CommandParser(16);

    @Test
    void readsEachCommandWithItsId() {
        assertThat(parser.parse("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"since\":\"7:abc\"}}"))
                .isEqualTo(new Command.Subscribe(1, "news", new StreamPosition(7, "abc")));
        assertThat(parser.parse("{\"subscribe\":{\"channel\":\"news\"},\"id\":9}"))
                .isEqualTo(new Command.Subscribe(9, "news", null));
        assertThat(parser.parse("{\"id\":2,\"unsubscribe\":{\"channel\":\"news\"}}"))
                .isEqualTo(new Command.Unsubscribe(2, "news"));
        assertThat(parser.parse("{\"id\":3,\"publish\":{\"channel\":\"news\",\"data\":{\"text\":\"hi\"}}}"))
                .isEqualTo(new Command.Publish(3, "news", "{\"text\":\"hi\"}"));
        assertThat(parser.parse("{\"id\":4,\"history\":{\"channel\":\"news\",\"since\":\"7:abc\",\"limit\":5}}"))
                .isEqualTo(new Command.History(4, "news", new StreamPosition(7, "abc"), 5));
        assertThat(parser.parse("{\"id\":4,\"history\":{\"channel\":\"news\"}}"))
                .isEqualTo(new Command.History(4, "news", null, CommandParser.DEFAULT_HISTORY_LIMIT));
        assertThat(parser.parse("{\"id\":5,\"presence\":{\"channel\":\"news\"}}"))
                .isEqualTo(new Command.Presence(5, "news"));
        assertThat(parser.parse("{\"id\":6,\"connect\":{\"token\":\"a.b.c\"}}")).isEqualTo(new Command.Connect(6, "a.b.c"));
        assertThat(parser.parse("{\"id\":7,\"refresh\":{\"token\":\"d.e.f\"}}")).isEqualTo(new Command.Refresh(7, "d.e.f"));
        assertThat(parser.parse("{\"id\":8,\"subscribe\":{\"channel\":\"private:x\",\"token\":\"g.h.i\"}}"))
                .isEqualTo(new Command.Subscribe(8, "private:x", null, "g.h.i"));
    }

    @Test
    void keepsPublishedDataAsCompactJsonWithItsNumbersUnchanged() {
        Command.Publish p = (Command.Publish) parser.parse(
                "{\"id\":3,\"publish\":{\"channel\":\"n\",\"data\":{ \"price\" : 142.50, \"big\": 123456789012345678901234567890, \"tiny\": 1e-400, \"list\": [1, \"two\", null, true] }}}");

        assertThat(p.data()).isEqualTo("{\"price\":142.50,\"big\":123456789012345678901234567890,\"tiny\":1E-400,\"list\":[1,\"two\",null,true]}");
    }

    @Test
    void acceptsAnyJsonValueAsData() {
        assertThat(((Command.Publish) parser.parse("{\"id\":1,\"publish\":{\"channel\":\"n\",\"data\":\"text\"}}")).data())
                .isEqualTo("\"text\"");
        assertThat(((Command.Publish) parser.parse("{\"id\":1,\"publish\":{\"channel\":\"n\",\"data\":null}}")).data())
                .isEqualTo("null");
    }

    @Test
    void readsAPublishBodyByTheRulesOfThePublishCommandsBody() {
        assertThat(parser.parsePublish(utf8("{\"channel\":\"news\",\"data\":{\"price\":2.50}}")))
                .isEqualTo(new PublishRequest("news", "{\"price\":2.50}"));
        assertThat(parser.parsePublish("notes", utf8(" [1, 2] "))).isEqualTo(new PublishRequest("notes", "[1,2]"));

        assertThat(refusal(() -> parser.parsePublish(utf8("{\"channel\":\"news\",\"data\":1,\"data\":2}"))))
                .isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(refusal(() -> parser.parsePublish("notes", utf8("{\"a\":1,\"a\":2}")))).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(refusal(() -> parser.parsePublish(utf8("{\"channel\":\"news\",\"data\":1} 2")))).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(refusal(() -> parser.parsePublish(utf8("  ")))).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(refusal(() -> parser.parsePublish(utf8("{\"channel\":\"news\"}")))).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(refusal(() -> parser.parsePublish(utf8("{\"channel\":\"news\",\"data\":1,\"x\":1}")))).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(refusal(() -> parser.parsePublish(utf8("[1]")))).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(refusal(() -> parser.parsePublish(utf8("{\"channel\":\"a b\",\"data\":1}")))).isEqualTo(ErrorCode.BAD_CHANNEL);
    }

    private static ByteArrayInputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ErrorCode refusal(Runnable parse) {
        return catchThrowableOfType(ProtocolException.class, parse::run).code();
    }

    @Test
    void readsFromUtf8Bytes() {
        byte[] utf8 = "{\"id\":7,\"publish\":{\"channel\":\"n\",\"data\":\"é✓\"}}".getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse(new ByteArrayInputStream(utf8))).isEqualTo(new Command.Publish(7, "n", "\"é✓\""));
    }

    @Test
    void saysWhereTheJsonIsInvalidWithoutParserInternals() {
        assertThat(catchThrowableOfType(ProtocolException.class, () -> parser.parse("{\"id\":5,\"subscribe\":")))
                .hasMessage("invalid JSON: Unexpected end-of-input within/between Object entries at line 1, column 21");
        assertThat(catchThrowableOfType(ProtocolException.class, () -> parser.parse("hello")))
                .hasMessage("invalid JSON: Unrecognized token 'hello' at line 1, column 1");
        assertThat(catchThrowableOfType(ProtocolException.class, () -> parser.parse("{\"id\":1,\"id\":2}")))
                .hasMessage("invalid JSON: Duplicate field 'id' at line 1, column 13");
    }

    @ParameterizedTest(name = "{0} -> {1} (id {2})")
    @CsvSource(delimiter = '|', value = {
        "{\"id\":1,\"subscribe\":                                    | INVALID_JSON           | 0",
        "not json                                                    | INVALID_JSON           | 0",
        "{\"id\":1,\"id\":2,\"presence\":{\"channel\":\"a\"}}        | INVALID_JSON           | 0",
        "{\"id\":1,\"presence\":{\"channel\":\"a\"}} {}              | INVALID_JSON           | 0",
        "[1,2]                                                       | INVALID_JSON           | 0",
        "''                                                          | INVALID_JSON           | 0",
        "{\"subscribe\":{\"channel\":\"a\"}}                         | BAD_REQUEST            | 0",
        "{\"id\":\"1\",\"subscribe\":{\"channel\":\"a\"}}            | BAD_REQUEST            | 0",
        "{\"id\":1.5,\"subscribe\":{\"channel\":\"a\"}}              | BAD_REQUEST            | 0",
        "{\"id\":0,\"subscribe\":{\"channel\":\"a\"}}                | BAD_REQUEST            | 0",
        "{\"id\":3}                                                  | UNKNOWN_COMMAND        | 3",
        "{\"id\":3,\"subscribe\":{\"channel\":\"a\"},\"presence\":{\"channel\":\"a\"}} | UNKNOWN_COMMAND | 3",
        "{\"id\":3,\"shout\":{}}                                     | UNKNOWN_COMMAND        | 3",
        "{\"id\":3,\"connect\":{}}                                   | BAD_REQUEST            | 3",
        "{\"id\":3,\"refresh\":{\"token\":7}}                        | BAD_REQUEST            | 3",
        "{\"id\":3,\"connect\":{\"token\":\"t\",\"user\":\"x\"}}     | BAD_REQUEST            | 3",
        "{\"id\":3,\"subscribe\":\"a\"}                              | BAD_REQUEST            | 3",
        "{\"id\":3,\"subscribe\":{}}                                 | BAD_REQUEST            | 3",
        "{\"id\":3,\"subscribe\":{\"channel\":7}}                    | BAD_REQUEST            | 3",
        "{\"id\":3,\"subscribe\":{\"channel\":\"a\",\"offset\":1}}   | BAD_REQUEST            | 3",
        "{\"id\":3,\"subscribe\":{\"channel\":\"a b\"}}              | BAD_CHANNEL            | 3",
        "{\"id\":3,\"subscribe\":{\"channel\":\"\"}}                 | BAD_CHANNEL            | 3",
        "{\"id\":3,\"publish\":{\"channel\":\"seventeen-chars-x\",\"data\":1}} | BAD_CHANNEL  | 3",
        "{\"id\":3,\"subscribe\":{\"channel\":\"a\",\"since\":\"7\"}}      | BAD_CURSOR       | 3",
        "{\"id\":3,\"subscribe\":{\"channel\":\"a\",\"since\":\"x:abc\"}}  | BAD_CURSOR       | 3",
        "{\"id\":3,\"subscribe\":{\"channel\":\"a\",\"since\":7}}          | BAD_CURSOR       | 3",
        "{\"id\":3,\"history\":{\"channel\":\"a\",\"since\":\"-1:abc\"}}   | BAD_CURSOR       | 3",
        "{\"id\":3,\"history\":{\"channel\":\"a\",\"limit\":-1}}     | BAD_REQUEST            | 3",
        "{\"id\":3,\"history\":{\"channel\":\"a\",\"limit\":\"5\"}}  | BAD_REQUEST            | 3",
        "{\"id\":3,\"history\":{\"channel\":\"a\",\"limit\":10001}}  | BAD_REQUEST            | 3",
        "{\"id\":3,\"publish\":{\"channel\":\"a\"}}                  | BAD_REQUEST            | 3",
    })
    void refusesBadInputWithItsErrorCodeAndTheIdWhenReadable(String text, ErrorCode code, long id) {
        ProtocolException refusal = catchThrowableOfType(ProtocolException.class, () -> parser.parse(text));

        assertThat(refusal).as("refusal of %s", text).isNotNull();
        assertThat(refusal.code()).as(refusal.getMessage()).isEqualTo(code);
        assertThat(refusal.requestId()).isEqualTo(id);
        assertThat(refusal.getMessage()).isNotBlank();
    }
}
