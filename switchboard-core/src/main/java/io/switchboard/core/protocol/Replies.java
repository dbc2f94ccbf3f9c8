package io.switchboard.core.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import io.switchboard.core.ClientInfo;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.HistoryResult;
import io.switchboard.core.Message;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.StreamPosition;
import io.switchboard.core.SubscribeResult;

import java.io.IOException;
import java.util.List;

/**
 * The replies of {@code ws /ws}: each repeats its command's {@code id} and has one field named
 * after the command, or {@code error}. Every method returns the reply's JSON text.
 */
public final class Replies {

    private Replies() {
    }

    /**
     * {@code {"id":1,"connect":{"client":"<id>","user":"alice","expires":1733331600}}} (or {@code refresh}):
     * who the token proved; {@code expires} (epoch seconds) is absent for a token without {@code exp}.
     */
    public static String connect(long id, String command, String clientId, String user, java.time.Instant expires) {
        return reply(id, command, json -> {
            json.writeStringField("client", clientId);
            json.writeStringField("user", user);
            if (expires != null) {
                json.writeNumberField("expires", expires.getEpochSecond());
            }
        });
    }

    /** {@code {"id":1,"subscribe":{"channel":"news","offset":9,"epoch":"abc","recovered":true}}}. */
    public static String subscribe(long id, String channel, SubscribeResult result) {
        return reply(id, "subscribe", json -> writeSubscribed(json, channel, result));
    }

    /** {@code {"id":2,"unsubscribe":{}}}. */
    public static String unsubscribe(long id) {
        return reply(id, "unsubscribe", json -> { });
    }

    /** {@code {"id":3,"publish":{"offset":10,"epoch":"abc"}}}: where the published message was stored. */
    public static String publish(long id, Message stored) {
        return reply(id, "publish", json -> writePosition(json, stored.position()));
    }

    /**
     * {@code {"id":4,"history":{"publications":[{"offset":8,"data":...}],"offset":10,"epoch":"abc","recovered":true}}};
     * {@code recovered} is false when messages between the cursor and the first publication are lost.
     */
    public static String history(long id, HistoryResult history) {
        return reply(id, "history", json -> {
            json.writeArrayFieldStart("publications");
            for (Message m : history.messages()) {
                json.writeStartObject();
                json.writeNumberField("offset", m.offset());
                json.writeFieldName("data");
                json.writeRawValue(m.data());
                json.writeEndObject();
            }
            json.writeEndArray();
            writePosition(json, history.position());
            json.writeBooleanField("recovered", history.complete());
        });
    }

    /** {@code {"id":5,"presence":{"clients":[{"client":"...","user":"..."}]}}}, in join order. */
    public static String presence(long id, List<ClientInfo> clients) {
        return reply(id, "presence", json -> {
            json.writeArrayFieldStart("clients");
            for (ClientInfo client : clients) {
                writeClient(json, client);
            }
            json.writeEndArray();
        });
    }

    /** {@code {"id":N,"error":{"code":105,"name":"bad_cursor","message":"..."}}}; id 0 when the command's id could not be read. */
    public static String error(long id, ErrorCode code, String message) {
        return Json.text(json -> {
            json.writeStartObject();
            json.writeNumberField("id", id);
            json.writeObjectFieldStart("error");
            json.writeNumberField("code", code.code());
            json.writeStringField("name", code.wireName());
            json.writeStringField("message", message);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** The error reply for a refused command. */
    public static String error(ProtocolException refusal) {
        return error(refusal.requestId(), refusal.code(), refusal.getMessage());
    }

    /** Writes {@code {"client":"...","user":"...","info":{...}}}; user and info only when set. */
    static void writeClient(JsonGenerator json, ClientInfo client) throws IOException {
        json.writeStartObject();
        json.writeStringField("client", client.clientId());
        if (client.user() != null) {
            json.writeStringField("user", client.user());
        }
        if (client.info() != null) {
            json.writeFieldName("info");
            json.writeRawValue(client.info());
        }
        json.writeEndObject();
    }

    /** Writes the fields of a subscribe reply: {@code "channel","offset","epoch","recovered"}. */
    static void writeSubscribed(JsonGenerator json, String channel, SubscribeResult result) throws IOException {
        json.writeStringField("channel", channel);
        writePosition(json, result.position());
        json.writeBooleanField("recovered", result.recovered());
    }

    private static void writePosition(JsonGenerator json, StreamPosition position) throws IOException {
        json.writeNumberField("offset", position.offset());
        json.writeStringField("epoch", position.epoch());
    }

    private static String reply(long id, String command, Json.Body fields) {
        return Json.text(json -> {
            json.writeStartObject();
            json.writeNumberField("id", id);
            json.writeObjectFieldStart(command);
            fields.write(json);
            json.writeEndObject();
            json.writeEndObject();
        });
    }
}
