package io.switchboard.websocket;

import java.util.Locale;

/**
 * The server's side of negotiating permessage-deflate (RFC 7692): picks the first offer of a
 * {@code Sec-WebSocket-Extensions} request header it can honour and says what was agreed. The
 * compressor and decompressor ({@link MessageDeflater}, {@link MessageInflater}) are built from it
 * by the connection, on first use, so an idle connection holds no zlib state.
 *
 * <p>Every {@code client_max_window_bits} is accepted, since a 32 KiB inflater reads smaller windows.
 *
 * @param serverNoContextTakeover the server resets its compressor after each message
 * @param clientNoContextTakeover the client resets its compressor after each message, so may the server's decompressor
 * @param serverMaxWindowBits     the window (8-15) the client limited the server's compressor to; 0: not limited (15)
 * @param threshold               messages shorter than this many bytes are sent uncompressed
 */
public record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
                                int threshold) {

    /** The extension token. */
    public static final String NAME = "permessage-deflate";
    private static final int DEFAULT_WINDOW_BITS = 15;

    /**
     * Picks the first acceptable permessage-deflate offer of a {@code Sec-WebSocket-Extensions}
     * request header, or returns null to decline them all.
     *
     * @param threshold messages shorter than this are sent uncompressed
     */
    public static DeflateParameters negotiate(String extensionsHeader, int threshold) {
        if (extensionsHeader == null) {
            return null;
        }
        for (String offer : extensionsHeader.split(",")) {
            DeflateParameters accepted = accept(offer, threshold);
            if (accepted != null) {
                return accepted;
            }
        }
        return null;
    }

    private static DeflateParameters accept(String offer, int threshold) {
        String[] parts = offer.split(";");
        if (!parts[0].trim().equalsIgnoreCase(NAME)) {
            return null;
        }
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        boolean clientBits = false;
        int serverBits = 0;
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : param.substring(eq + 1).trim().replace("\"", "");
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (serverNoContext || value != null) return null;
                    serverNoContext = true;
                }
                case "client_no_context_takeover" -> {
                    if (clientNoContext || value != null) return null;
                    clientNoContext = true;
                }
                case "server_max_window_bits" -> {
                    if (serverBits != 0 || windowBits(value) < 0) return null;
                    serverBits = windowBits(value);
                }
                case "client_max_window_bits" -> {
                    if (clientBits || (value != null && windowBits(value) < 0)) return null;
                    clientBits = true;
                }
                default -> {
                    return null;
                }
            }
        }
        return new DeflateParameters(serverNoContext, clientNoContext, serverBits, threshold);
    }

    private static int windowBits(String value) {
        if (value == null) {
            return -1;
        }
        try {
            int bits = Integer.parseInt(value);
            return bits >= 8 && bits <= 15 ? bits : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The {@code Sec-WebSocket-Extensions} value to answer with. */
    public String responseHeader() {
        StringBuilder header = new StringBuilder(NAME);
        if (serverNoContextTakeover) {
            header.append("; server_no_context_takeover");
        }
        if (clientNoContextTakeover) {
            header.append("; client_no_context_takeover");
        }
        if (serverMaxWindowBits != 0) {
            // RFC 7692 section 7.1.2.1: a server accepting server_max_window_bits must answer it.
            header.append("; server_max_window_bits=").append(serverMaxWindowBits);
        }
        return header.toString();
    }

    /** The server's compressor for these parameters. */
    MessageDeflater newDeflater() {
        return new MessageDeflater(serverNoContextTakeover, serverMaxWindowBits == 0 ? DEFAULT_WINDOW_BITS : serverMaxWindowBits);
    }

    /** The server's decompressor for these parameters. */
    MessageInflater newInflater() {
        return new MessageInflater(clientNoContextTakeover);
    }
}
