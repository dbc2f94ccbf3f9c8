package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;

import static io.switchboard.it.ExternalClient.JSON;

/** A publication as a subscriber got it, on any transport: its place in the channel's stream and its data. */
record Delivery(long offset, String epoch, JsonNode data) {

    /** The cursor {@code <offset>:<epoch>} that resumes after this publication. */
    String cursor() {
        return offset + ":" + epoch;
    }

    /** From a {@code /ws} {@code pub} push's body or a poll answer's message: {@code {"channel","offset","epoch","data"}}. */
    static Delivery of(JsonNode publication) {
        return new Delivery(publication.path("offset").asLong(), publication.path("epoch").asText(), publication.path("data"));
    }

    /** From an SSE publication event: its {@code id:} is the cursor, its data the publication's. */
    static Delivery of(SseStream.Event event) {
        int colon = event.id().indexOf(':');
        try {
            return new Delivery(Long.parseLong(event.id().substring(0, colon)), event.id().substring(colon + 1),
                    JSON.readTree(event.data()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
