package io.switchboard.server.poll;

import com.fasterxml.jackson.core.JsonGenerator;
import io.switchboard.core.Message;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import static io.switchboard.server.http.HttpResponses.JSON;

/**
 * A publication as a JSON object, {@code {"channel","offset","epoch","data"}} with the data embedded
 * as JSON; encoded once per message (cached on it) however many polls return it.
 */
final class PublicationJson {

    private static final Object FORMAT = new Object();

    private PublicationJson() {
    }

    /** The message's JSON object text. */
    static String of(Message message) {
        return message.encoded(FORMAT, PublicationJson::encode);
    }

    private static String encode(Message message) {
        StringWriter out = new StringWriter(message.data().length() + 64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("channel", message.channel());
            json.writeNumberField("offset", message.offset());
            json.writeStringField("epoch", message.epoch());
            json.writeFieldName("data");
            json.writeRawValue(message.data());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
