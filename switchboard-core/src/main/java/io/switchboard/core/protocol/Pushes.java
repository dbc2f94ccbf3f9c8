package io.switchboard.core.protocol;

import io.switchboard.core.ClientInfo;
import io.switchboard.core.Message;
import io.switchboard.core.StreamPosition;
import io.switchboard.core.SubscribeResult;

import java.nio.charset.StandardCharsets;

/** What the server sends on {@code ws /ws} without being asked: no {@code id}, one field naming the event. */
public final class Pushes {

    private static final byte[] PUB_START = "{\"pub\":".getBytes(StandardCharsets.US_ASCII);

    private Pushes() {
    }

    /** {@code {"connect":{"client":"<client id>"}}}, the first message on a connection. */
    public static String connect(String clientId) {
        return Json.text(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("connect");
            json.writeStringField("client", clientId);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /**
     * {@code {"pub":{"channel":"news","offset":10,"epoch":"abc","data":{...}}}} as UTF-8, built
     * around the message's once-encoded {@link Publications#json publication JSON}.
     */
    public static byte[] pub(Message message) {
        byte[] publication = Publications.json(message);
        byte[] push = new byte[PUB_START.length + publication.length + 1];
        System.arraycopy(PUB_START, 0, push, 0, PUB_START.length);
        System.arraycopy(publication, 0, push, PUB_START.length, publication.length);
        push[push.length - 1] = '}';
        return push;
    }

    /**
     * {@code {"subscribe":{"channel":"news","offset":12,"epoch":"abc","recovered":false}}}: publications
     * of a subscribed channel were lost on their way (history no longer had them, or the channel's
     * epoch changed); the stream goes on after this position. The shape of a subscribe reply, without id.
     */
    public static String notRecovered(String channel, StreamPosition position) {
        return Json.text(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("subscribe");
            Replies.writeSubscribed(json, channel, new SubscribeResult(position, false));
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** {@code {"join":{"channel":"news","client":{"client":"...","user":"..."}}}}. */
    public static String join(String channel, ClientInfo client) {
        return presenceChange("join", channel, client);
    }

    /** {@code {"leave":{"channel":"news","client":{"client":"...","user":"..."}}}}. */
    public static String leave(String channel, ClientInfo client) {
        return presenceChange("leave", channel, client);
    }

    private static String presenceChange(String event, String channel, ClientInfo client) {
        return Json.text(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart(event);
            json.writeStringField("channel", channel);
            json.writeFieldName("client");
            Replies.writeClient(json, client);
            json.writeEndObject();
            json.writeEndObject();
        });
    }
}
