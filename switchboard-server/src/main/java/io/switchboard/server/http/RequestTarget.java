package io.switchboard.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The path of a request target (RFC 9112 section 3.2): origin-form {@code /chat?x=1}, or the
 * absolute-form {@code http://host/chat} a proxy may send, routed by its path alike.
 */
final class RequestTarget {

    private RequestTarget() {
    }

    /**
     * The decoded path of {@code target}.
     *
     * @throws IllegalArgumentException saying what is wrong (bad %-encoding, not a URI, no path)
     */
    static String path(String target) {
        String originForm = target;
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            try {
                URI uri = new URI(target);
                String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                originForm = uri.getRawQuery() == null ? rawPath : rawPath + "?" + uri.getRawQuery();
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URI");
            }
        } else if (!target.startsWith("/") && !target.equals("*")) {
            throw new IllegalArgumentException("the target must start with /");
        }
        checkEscapes(originForm);
        // Only the path is decoded here: the endpoint that reads the query decodes it once.
        return new QueryStringDecoder(originForm).path();
    }

    /** Every {@code %} in {@code target} starts two hex digits (RFC 3986 section 2.1), in the query too. */
    private static void checkEscapes(String target) {
        for (int at = target.indexOf('%'); at >= 0; at = target.indexOf('%', at + 3)) {
            if (at + 2 >= target.length()) {
                throw new IllegalArgumentException("unterminated escape sequence at index " + at);
            }
            if (!hexDigit(target.charAt(at + 1)) || !hexDigit(target.charAt(at + 2))) {
                throw new IllegalArgumentException("invalid escape sequence at index " + at);
            }
        }
    }

    private static boolean hexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
