package io.switchboard.core.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import io.switchboard.core.Message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON shape of a publication shared by every transport:
 * {@code {"channel":"news","offset":10,"epoch":"abc","data":{...}}}, with {@code data} embedded as
 * JSON (not as a quoted string). Encoded once per message and kept on it ({@link Message#encoded}).
 */
public final class Publications {

    /** The key under which a message keeps its encoded publication JSON. */
    private static final Object FORMAT = new Object();

    private Publications() {
    }

    /** {@code message} as publication JSON (UTF-8), encoded at most once per message; do not modify the array. */
    public static byte[] json(Message message) {
        return message.encoded(FORMAT, Publications::encode);
    }

    /** Writes the publication's fields ({@code channel, offset, epoch, data}) into the open object of {@code json}. */
    public static void writeFields(JsonGenerator json, Message message) throws IOException {
        json.writeStringField("channel", message.channel());
        json.writeNumberField("offset", message.offset());
        json.writeStringField("epoch", message.epoch());
        json.writeFieldName("data");
        json.writeRawValue(message.data());
    }

    private static byte[] encode(Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.data().length());
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            writeFields(json, message);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
