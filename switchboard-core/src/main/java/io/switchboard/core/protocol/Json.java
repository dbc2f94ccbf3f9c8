package io.switchboard.core.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Switchboard's one strict JSON configuration, used by every endpoint that reads JSON from a
 * client ({@code /ws}, {@code /chat}, the publish API), and a small writer for replies and pushes.
 */
public final class Json {

    /** Strict reading: duplicate keys and trailing text are errors; numbers keep their digits (142.50 stays 142.50). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {
    }

    /**
     * Reads one JSON value from UTF-8 (read to its end, not closed); the missing node when there is
     * none. Not JSON: a {@link ProtocolException} {@link ErrorCode#INVALID_JSON} in Switchboard's words.
     */
    public static JsonNode read(InputStream utf8) {
        // Read as UTF-8 only: Jackson would take bytes with NULs among them for UTF-16 or UTF-32.
        return read(() -> MAPPER.readTree(new InputStreamReader(utf8, StandardCharsets.UTF_8.newDecoder())));
    }

    /** Reads one JSON value from text, like {@link #read(InputStream)}. */
    public static JsonNode read(String text) {
        return read(() -> MAPPER.readTree(text));
    }

    /** One way of reading a tree: from bytes or from text. */
    @FunctionalInterface
    private interface Source {
        JsonNode read() throws IOException;
    }

    private static JsonNode read(Source source) {
        try {
            JsonNode node = source.read();
            return node == null ? MAPPER.missingNode() : node;
        } catch (JacksonException e) {
            throw invalid(e);
        } catch (NumberFormatException e) {
            // A float is read as a BigDecimal, whose exponent is an int: 1e2147483648 is refused, not thrown.
            throw new ProtocolException(ErrorCode.INVALID_JSON, "invalid JSON: a number's exponent is out of range");
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "invalid JSON: not UTF-8");
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "unreadable message");
        }
    }

    /** "invalid JSON: Unexpected end-of-input at line 1, column 22": Jackson's reason without its details. */
    private static ProtocolException invalid(JacksonException e) {
        String reason = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        for (String end : new String[] {" (", ":", "\n"}) {
            int at = reason.indexOf(end);
            if (at > 0) {
                reason = reason.substring(0, at);
            }
        }
        JsonLocation where = e.getLocation();
        String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return new ProtocolException(ErrorCode.INVALID_JSON, "invalid JSON: " + reason + at);
    }

    /** What writes one JSON text. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /** The JSON text {@code body} writes. */
    static String text(Body body) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
