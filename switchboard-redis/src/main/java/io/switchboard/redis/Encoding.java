package io.switchboard.redis;

import io.switchboard.core.ClientInfo;

/**
 * How Switchboard's values are written into Redis strings: a nullable text is {@code -} (null) or
 * {@code <length>:<text>}, so any text fits without escaping; a client is its id, user and info
 * in that form, one after the other. The Lua scripts treat these strings as opaque.
 *
 * <p>Pub/sub payloads start with one letter: {@code p} a publication
 * ({@code p<offset>\n<epoch>\n<time>\n<origin>\n<data>}, origin encoded as above, data last and
 * raw), {@code j} a join and {@code l} a leave (each followed by the encoded client).
 */
final class Encoding {

    static final char PUBLICATION = 'p';
    static final char JOIN = 'j';
    static final char LEAVE = 'l';

    private Encoding() {
    }

    /** {@code text} as a self-delimiting string. */
    static String text(String text) {
        return text == null ? "-" : text.length() + ":" + text;
    }

    /** {@code client} as three self-delimiting texts. */
    static String client(ClientInfo client) {
        return text(client.clientId()) + text(client.user()) + text(client.info());
    }

    /** Reads the client written by {@link #client} at {@code from} in {@code s}. */
    static ClientInfo client(String s, int from) {
        Reader r = new Reader(s, from);
        return new ClientInfo(r.text(), r.text(), r.text());
    }

    /** Reads the self-delimiting text that makes up the whole of {@code s}. */
    static String text(String s, int from) {
        return new Reader(s, from).text();
    }

    /** Reads self-delimiting texts one after the other. */
    private static final class Reader {
        private final String s;
        private int at;

        Reader(String s, int at) {
            this.s = s;
            this.at = at;
        }

        String text() {
            if (at >= s.length()) {
                throw new IllegalArgumentException("truncated value from Redis");
            }
            if (s.charAt(at) == '-') {
                at++;
                return null;
            }
            int colon = s.indexOf(':', at);
            if (colon < 0) {
                throw new IllegalArgumentException("malformed value from Redis");
            }
            int length = Integer.parseInt(s, at, colon, 10);
            at = colon + 1 + length;
            return s.substring(colon + 1, at);
        }
    }
}
