package io.switchboard.websocket;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeResponseTest {

    /** The key and accept value of RFC 6455 section 1.3. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static HttpResponse switching(String accept) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers().set("Upgrade", "websocket").set("Connection", "Upgrade").set("Sec-WebSocket-Accept", accept);
        return response;
    }

    @Test
    void acceptsTheRfcExampleAnswer() {
        assertThat(Handshake.checkResponse(switching(ACCEPT), KEY)).isNull();
    }

    @Test
    void refusesAnAcceptValueForAnotherKey() {
        assertThat(Handshake.checkResponse(switching(Handshake.acceptKey(Handshake.newClientKey())), KEY))
                .contains("Sec-WebSocket-Accept");
    }

    @Test
    void refusesAnotherStatusThan101() {
        HttpResponse ok = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        assertThat(Handshake.checkResponse(ok, KEY)).contains("200");
    }

    @Test
    void refusesMissingUpgradeHeaderAndUnofferedExtensions() {
        HttpResponse noUpgrade = switching(ACCEPT);
        noUpgrade.headers().remove("Upgrade");
        assertThat(Handshake.checkResponse(noUpgrade, KEY)).contains("Upgrade");

        HttpResponse extension = switching(ACCEPT);
        extension.headers().set("Sec-WebSocket-Extensions", "permessage-deflate");
        assertThat(Handshake.checkResponse(extension, KEY)).contains("extension");
    }

    @Test
    void clientKeysAndMaskKeysDoNotRepeat() {
        Set<String> keys = new HashSet<>();
        Set<Integer> masks = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(Handshake.newClientKey());
            masks.add(WebSocketProtocol.newMaskKey());
        }
        assertThat(keys).hasSize(1000).allMatch(Handshake::isValidKey);
        assertThat(masks).hasSizeGreaterThan(990); // 32-bit keys: a collision among 1000 is rare, many are impossible
    }
}
