package io.switchboard.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.ChannelName;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.StreamPosition;

import java.io.InputStream;
import java.util.Map;
import java.util.Set;

/**
 * Reads the client commands of {@code ws /ws}, strictly: one JSON object with a positive integer
 * {@code "id"} and exactly one command ({@code connect}, {@code refresh}, {@code subscribe},
 * {@code unsubscribe}, {@code publish}, {@code history}, {@code presence}) whose body has only the fields that command knows, of the right
 * types. Anything else throws a {@link ProtocolException} carrying the {@link ErrorCode} and, when
 * it could be read, the request id. Each message is parsed once. Publishes over HTTP are read here
 * too ({@link #parsePublish}), so a publish means the same on every transport. Thread-safe.
 */
public final class CommandParser {

    /** History entries a {@code history} command gets when it names no {@code limit}. */
    public static final int DEFAULT_HISTORY_LIMIT = 100;
    /** The largest {@code limit} a {@code history} command may ask for. */
    public static final int MAX_HISTORY_LIMIT = 10_000;

    private static final Set<String> CHANNEL_ONLY = Set.of("channel");
    private static final Set<String> SUBSCRIBE_FIELDS = Set.of("channel", "since", "token");
    private static final Set<String> TOKEN_ONLY = Set.of("token");
    /** The command names, as error messages list them. */
    private static final String COMMANDS = "connect, refresh, subscribe, unsubscribe, publish, history, presence";
    private static final Set<String> PUBLISH_FIELDS = Set.of("channel", "data");
    private static final Set<String> HISTORY_FIELDS = Set.of("channel", "since", "limit");

    private final int maxChannelLength;

    /** A parser that accepts channel names of at most {@code maxChannelLength} characters. */
    public CommandParser(int maxChannelLength) {
        this.maxChannelLength = maxChannelLength;
    }

    /** Parses one command from JSON text. */
    public Command parse(String text) {
        return parse(Json.read(text));
    }

    /** Parses one command from a UTF-8 message (the stream is read to its end, not closed). */
    public Command parse(InputStream utf8) {
        return parse(Json.read(utf8));
    }

    /**
     * Parses a publish from a UTF-8 body {@code {"channel":"news","data":<any JSON>}}: by the same
     * rules as the body of a {@code publish} command, so every transport refuses the same input.
     */
    public PublishRequest parsePublish(InputStream utf8) {
        JsonNode body = Json.read(utf8);
        if (body.isMissingNode()) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "the body is not JSON");
        }
        return publish(body);
    }

    /** Parses a publish of a whole UTF-8 body to {@code channel}: any one JSON value is the message. */
    public PublishRequest parsePublish(String channel, InputStream utf8) {
        JsonNode data = Json.read(utf8);
        if (data.isMissingNode()) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "the body is not JSON");
        }
        return new PublishRequest(ChannelName.validate(channel, maxChannelLength), data.toString());
    }

    private Command parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "a command is a JSON object like {\"id\":1,\"subscribe\":{\"channel\":\"news\"}}");
        }
        long id = id(root.get("id"));
        if (root.size() != 2) {
            throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND, root.size() < 2
                    ? "no command: expected one of " + COMMANDS
                    : "one command per message", id);
        }
        Map.Entry<String, JsonNode> command = commandOf(root);
        String name = command.getKey();
        JsonNode body = command.getValue();
        try {
            return switch (name) {
                case "connect" -> {
                    fields(body, name, TOKEN_ONLY);
                    yield new Command.Connect(id, token(body, true));
                }
                case "refresh" -> {
                    fields(body, name, TOKEN_ONLY);
                    yield new Command.Refresh(id, token(body, true));
                }
                case "subscribe" -> {
                    fields(body, name, SUBSCRIBE_FIELDS);
                    yield new Command.Subscribe(id, channel(body), cursor(body), token(body, false));
                }
                case "unsubscribe" -> {
                    fields(body, name, CHANNEL_ONLY);
                    yield new Command.Unsubscribe(id, channel(body));
                }
                case "publish" -> {
                    PublishRequest publish = publish(body);
                    yield new Command.Publish(id, publish.channel(), publish.data());
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
                        + "\": expected one of " + COMMANDS);
            };
        } catch (ProtocolException e) {
            throw e.withRequestId(id);
        }
    }

    private PublishRequest publish(JsonNode body) {
        fields(body, "publish", PUBLISH_FIELDS);
        return new PublishRequest(channel(body), data(body));
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

    private static String token(JsonNode body, boolean required) {
        JsonNode token = body.get("token");
        if (token == null || token.isNull()) {
            if (required) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing \"token\"");
            }
            return null;
        }
        if (!token.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"token\" must be a string (a JWT)");
        }
        return token.textValue();
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
