package io.switchboard.core.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.ChannelName;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.StreamPosition;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Reads the client commands of {@code ws /ws}, strictly: one JSON object with a positive integer
 * {@code "id"} and exactly one command ({@code subscribe}, {@code unsubscribe}, {@code publish},
 * {@code history}, {@code presence}) whose body has only the fields that command knows, of the right
 * types. Anything else throws a {@link ProtocolException} carrying the {@link ErrorCode} and, when
 * it could be read, the request id. Each message is parsed once. Thread-safe.
 */
public final class CommandParser {

    /** History entries a {@code history} command gets when it names no {@code limit}. */
    public static final int DEFAULT_HISTORY_LIMIT = 100;
    /** The largest {@code limit} a {@code history} command may ask for. */
    public static final int MAX_HISTORY_LIMIT = 10_000;

    private static final Set<String> CHANNEL_ONLY = Set.of("channel");
    private static final Set<String> SUBSCRIBE_FIELDS = Set.of("channel", "since");
    private static final Set<String> PUBLISH_FIELDS = Set.of("channel", "data");
    private static final Set<String> HISTORY_FIELDS = Set.of("channel", "since", "limit");

    private final int maxChannelLength;

    /** A parser that accepts channel names of at most {@code maxChannelLength} characters. */
    public CommandParser(int maxChannelLength) {
        this.maxChannelLength = maxChannelLength;
    }

    /** Parses one command from JSON text. */
    public Command parse(String text) {
        try {
            return parse(Json.MAPPER.readTree(text));
        } catch (JacksonException e) {
            throw invalidJson(e);
        } catch (NumberFormatException e) {
            throw numberOutOfRange();
        }
    }

    /**
     * Parses one command from a UTF-8 message (the stream is read to its end). Read as UTF-8 only:
     * Jackson would otherwise take bytes with NULs among them for UTF-16 or UTF-32.
     */
    public Command parse(InputStream utf8) {
        try {
            return parse(Json.MAPPER.readTree(new InputStreamReader(utf8, StandardCharsets.UTF_8.newDecoder())));
        } catch (JacksonException e) {
            throw invalidJson(e);
        } catch (NumberFormatException e) {
            throw numberOutOfRange();
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "unreadable message");
        }
    }

    /** Jackson reads a float as a BigDecimal, whose exponent is an int: 1e2147483648 is refused, not thrown. */
    private static ProtocolException numberOutOfRange() {
        return new ProtocolException(ErrorCode.INVALID_JSON, "invalid JSON: a number's exponent is out of range");
    }

    /** "invalid JSON: Unexpected end-of-input at line 1, column 22": Jackson's reason without its details. */
    private static ProtocolException invalidJson(JacksonException e) {
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

    private Command parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "a command is a JSON object like {\"id\":1,\"subscribe\":{\"channel\":\"news\"}}");
        }
        long id = id(root.get("id"));
        if (root.size() != 2) {
            throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND, root.size() < 2
                    ? "no command: expected one of subscribe, unsubscribe, publish, history, presence"
                    : "one command per message", id);
        }
        Map.Entry<String, JsonNode> command = commandOf(root);
        String name = command.getKey();
        JsonNode body = command.getValue();
        try {
            return switch (name) {
                case "subscribe" -> {
                    fields(body, name, SUBSCRIBE_FIELDS);
                    yield new Command.Subscribe(id, channel(body), cursor(body));
                }
                case "unsubscribe" -> {
                    fields(body, name, CHANNEL_ONLY);
                    yield new Command.Unsubscribe(id, channel(body));
                }
                case "publish" -> {
                    fields(body, name, PUBLISH_FIELDS);
                    yield new Command.Publish(id, channel(body), data(body));
                }
                case "history" -> {
                    fields(body, name, HISTORY_FIELDS);
                    yield new Command.History(id, channel(body), cursor(body), limit(body));
                }
                case "presence" -> {
                    fields(body, name, CHANNEL_ONLY);
                    yield new Command.Presence(id, channel(body));
                }
                default -> throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND, "unknown command \"" + name
                        + "\": expected one of subscribe, unsubscribe, publish, history, presence");
            };
        } catch (ProtocolException e) {
            throw e.withRequestId(id);
        }
    }

    private static long id(JsonNode id) {
        if (id == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing \"id\": every command has a numeric id");
        }
        if (!id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() < 1) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"id\" must be a positive integer");
        }
        return id.longValue();
    }

    private static Map.Entry<String, JsonNode> commandOf(JsonNode root) {
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!field.getKey().equals("id")) {
                return field;
            }
        }
        throw new IllegalStateException("a two-field object without a command");
    }

    private static void fields(JsonNode body, String command, Set<String> known) {
        if (!body.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"" + command + "\" must be an object");
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = field.getKey();
            if (!known.contains(name)) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "unknown field \"" + name + "\" in " + command);
            }
        }
    }

    private String channel(JsonNode body) {
        JsonNode channel = body.get("channel");
        if (channel == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing \"channel\"");
        }
        if (!channel.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"channel\" must be a string");
        }
        return ChannelName.validate(channel.textValue(), maxChannelLength);
    }

    private static StreamPosition cursor(JsonNode body) {
        JsonNode since = body.get("since");
        if (since == null || since.isNull()) {
            return null;
        }
        if (!since.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_CURSOR, "\"since\" must be a cursor string \"<offset>:<epoch>\"");
        }
        return StreamPosition.parse(since.textValue());
    }

    private static String data(JsonNode body) {
        JsonNode data = body.get("data");
        if (data == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing \"data\" (any JSON value)");
        }
        return data.toString();
    }

    private static int limit(JsonNode body) {
        JsonNode limit = body.get("limit");
        if (limit == null || limit.isNull()) {
            return DEFAULT_HISTORY_LIMIT;
        }
        if (!limit.isIntegralNumber() || !limit.canConvertToInt() || limit.intValue() < 0 || limit.intValue() > MAX_HISTORY_LIMIT) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"limit\" must be an integer from 0 to " + MAX_HISTORY_LIMIT);
        }
        return limit.intValue();
    }
}
