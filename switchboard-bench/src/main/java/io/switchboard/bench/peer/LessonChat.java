package io.switchboard.bench.peer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The lesson's chat as the JVM peers speak it, the same way Switchboard's {@code /chat} does: a
 * {@code {"type":"chat","username","message"}} goes to everyone as
 * {@code {"type":"chat","from","message","timestamp"}}, a {@code {"type":"join","username"}} is
 * announced to the others, anything else gets an error back.
 */
public final class LessonChat {

    /** What every client gets on connect. */
    public static final String WELCOME = "{\"type\":\"welcome\",\"message\":\"Connected!\"}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LessonChat() {
    }

    /** Who receives a reply. */
    public enum Audience {
        /** Every open client, the sender included. */
        EVERYONE,
        /** Every open client but the sender. */
        OTHERS,
        /** Only the sender. */
        SENDER
    }

    /** A JSON text to send, and to whom. */
    public record Reply(String json, Audience audience) {
    }

    /** The reply to one text message from a client. */
    public static Reply onMessage(String text) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(text);
        } catch (JacksonException e) {
            return error("invalid JSON");
        }
        if (parsed == null || !parsed.isObject()) {
            return error("expected a JSON object");
        }
        String type = parsed.path("type").asText("");
        ObjectNode out = JSON.createObjectNode();
        switch (type) {
            case "chat" -> {
                out.put("type", "chat");
                out.set("from", parsed.get("username"));
                out.set("message", parsed.get("message"));
                out.put("timestamp", System.currentTimeMillis());
                return new Reply(out.toString(), Audience.EVERYONE);
            }
            case "join" -> {
                out.put("type", "join");
                out.set("username", parsed.get("username"));
                out.put("timestamp", System.currentTimeMillis());
                return new Reply(out.toString(), Audience.OTHERS);
            }
            default -> {
                return error("unknown message type \"" + type + "\"");
            }
        }
    }

    private static Reply error(String message) {
        ObjectNode out = JSON.createObjectNode();
        out.put("type", "error");
        out.put("message", message);
        return new Reply(out.toString(), Audience.SENDER);
    }
}
