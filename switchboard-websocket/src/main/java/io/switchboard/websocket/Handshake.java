package io.switchboard.websocket;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The RFC 6455 opening handshake (section 4): the key a client sends, the accept value a server
 * derives from it, and the checks a server makes before it answers {@code 101 Switching Protocols}.
 */
public final class Handshake {

    /** The GUID RFC 6455 appends to the client's key before hashing. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** The only protocol version this implementation speaks. */
    public static final String VERSION = "13";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every JRE", e);
        }
    });

    private Handshake() {
    }

    /** {@code Sec-WebSocket-Accept} for a {@code Sec-WebSocket-Key}: base64(SHA-1(key + GUID)). */
    public static String acceptKey(String secWebSocketKey) {
        byte[] digest = SHA1.get().digest((secWebSocketKey + GUID).getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(digest);
    }

    /** A fresh random {@code Sec-WebSocket-Key}: 16 random bytes, base64 encoded. */
    public static String newClientKey() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** Whether {@code key} is base64 of exactly 16 bytes, as section 4.1 requires. */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Checks an upgrade request the way a server must before switching protocols. Returns null
     * when it is a valid version-13 handshake, otherwise the plain-HTTP answer to give instead.
     */
    public static Rejection check(HttpRequest request) {
        if (!HttpMethod.GET.equals(request.method())) {
            return new Rejection(405, "a WebSocket handshake must be a GET request");
        }
        // Section 4.1: "the HTTP version MUST be at least 1.1" (an HTTP/1.0 proxy would not keep the connection).
        HttpVersion http = request.protocolVersion();
        if (http.majorVersion() != 1 || http.minorVersion() < 1) {
            return new Rejection(400, "a WebSocket handshake needs HTTP/1.1, not " + http.text());
        }
        HttpHeaders headers = request.headers();
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return new Rejection(400, "expected 'Upgrade: websocket'");
        }
        if (!headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return new Rejection(400, "expected 'Connection: Upgrade'");
        }
        String version = headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (!VERSION.equals(version == null ? null : version.trim())) {
            return new Rejection(426, "unsupported Sec-WebSocket-Version; this server speaks 13");
        }
        String key = headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null) {
            return new Rejection(400, "missing Sec-WebSocket-Key");
        }
        if (!isValidKey(key.trim())) {
            return new Rejection(400, "malformed Sec-WebSocket-Key: must be base64 of 16 bytes");
        }
        return null;
    }

    /**
     * Checks a server's answer to a client's handshake (section 4.1): {@code 101}, {@code Upgrade:
     * websocket}, {@code Connection: Upgrade} and the {@code Sec-WebSocket-Accept} derived from
     * {@code clientKey}. Returns null when the connection may open, otherwise why it must fail.
     */
    public static String checkResponse(HttpResponse response, String clientKey) {
        if (response.status().code() != 101) {
            return "expected 101 Switching Protocols, got " + response.status();
        }
        HttpHeaders headers = response.headers();
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return "expected 'Upgrade: websocket' in the response";
        }
        if (!headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return "expected 'Connection: Upgrade' in the response";
        }
        String accept = headers.get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
        if (!acceptKey(clientKey).equals(accept == null ? null : accept.trim())) {
            return "Sec-WebSocket-Accept does not match the key sent";
        }
        if (headers.contains(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)) {
            return "the server chose an extension that was not offered";
        }
        return null;
    }

    /** Whether the request asks for a protocol upgrade to WebSocket at all. */
    public static boolean isUpgradeRequest(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** Why a handshake was refused: the HTTP status to answer with and a readable reason. */
    public record Rejection(int status, String reason) {
    }
}
