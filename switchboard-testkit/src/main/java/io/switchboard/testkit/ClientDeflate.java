package io.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The client side of permessage-deflate (RFC 7692) for the raw test client: builds offers, checks
 * the server's answer against them, compresses outgoing messages and inflates incoming ones.
 * The JDK's zlib always compresses with a 32 KiB window, so when a server limits the client's
 * window ({@code client_max_window_bits} below 15) messages are sent as stored deflate blocks,
 * which reference no earlier bytes and so fit any window.
 */
public final class ClientDeflate {

    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final int serverMaxWindowBits;
    private final int clientMaxWindowBits;
    private final String agreed;
    private final Deflater deflater;
    private final Inflater inflater = new Inflater(true);

    private ClientDeflate(Map<String, String> params, String agreed) {
        this.agreed = agreed;
        this.serverNoContextTakeover = params.containsKey("server_no_context_takeover");
        this.clientNoContextTakeover = params.containsKey("client_no_context_takeover");
        this.serverMaxWindowBits = params.containsKey("server_max_window_bits") ? Integer.parseInt(params.get("server_max_window_bits")) : 15;
        this.clientMaxWindowBits = params.get("client_max_window_bits") != null ? Integer.parseInt(params.get("client_max_window_bits")) : 15;
        this.deflater = new Deflater(clientMaxWindowBits < 15 ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION, true);
    }

    /** One offer as Autobahn's client writes it (parameters in its order). */
    public static String offer(boolean acceptNoContextTakeover, boolean acceptMaxWindowBits,
                               boolean requestNoContextTakeover, int requestMaxWindowBits) {
        StringBuilder sb = new StringBuilder("permessage-deflate");
        if (acceptNoContextTakeover) sb.append("; client_no_context_takeover");
        if (acceptMaxWindowBits) sb.append("; client_max_window_bits");
        if (requestNoContextTakeover) sb.append("; server_no_context_takeover");
        if (requestMaxWindowBits != 0) sb.append("; server_max_window_bits=").append(requestMaxWindowBits);
        return sb.toString();
    }

    /**
     * Parses the server's {@code Sec-WebSocket-Extensions} answer (null or empty: declined) against
     * what was offered ({@code offers}, comma-separated). Returns null when declined; throws
     * {@link IllegalArgumentException} naming the violation when the answer is not allowed by RFC 7692.
     */
    public static ClientDeflate accept(String offers, String response) {
        if (response == null || response.isBlank()) return null;
        List<Map<String, String>> answered = parse(response);
        if (answered.size() != 1) throw new IllegalArgumentException("server accepted " + answered.size() + " extensions: " + response);
        Map<String, String> p = answered.get(0);
        if (!"permessage-deflate".equals(p.get(""))) throw new IllegalArgumentException("server answered an extension not offered: " + response);
        List<Map<String, String>> offered = parse(offers);
        for (Map<String, String> o : offered) {
            if (fits(o, p)) return new ClientDeflate(p, response);
        }
        throw new IllegalArgumentException("answer \"" + response + "\" fits none of the offers \"" + offers + "\"");
    }

    // RFC 7692 section 7.1: which answers are allowed for one offer
    private static boolean fits(Map<String, String> offer, Map<String, String> answer) {
        for (String k : answer.keySet()) {
            if (k.isEmpty()) continue;
            switch (k) {
                case "server_no_context_takeover":
                case "client_no_context_takeover":
                    if (answer.get(k) != null) return false;
                    break;
                case "server_max_window_bits": {
                    Integer v = bits(answer.get(k));
                    if (v == null) return false;
                    if (offer.containsKey(k) && offer.get(k) != null && v > Integer.parseInt(offer.get(k))) return false;
                    break;
                }
                case "client_max_window_bits": {
                    if (!offer.containsKey(k)) return false; // only when the client said it can
                    Integer v = bits(answer.get(k));
                    if (v == null) return false;
                    if (offer.get(k) != null && v > Integer.parseInt(offer.get(k))) return false;
                    break;
                }
                default:
                    return false;
            }
        }
        // an offer's server_no_context_takeover / server_max_window_bits must be honoured in the answer
        if (offer.containsKey("server_no_context_takeover") && !answer.containsKey("server_no_context_takeover")) return false;
        if (offer.get("server_max_window_bits") != null && !answer.containsKey("server_max_window_bits")) return false;
        return true;
    }

    private static Integer bits(String v) {
        if (v == null) return null;
        try {
            int b = Integer.parseInt(v.trim().replace("\"", ""));
            return b >= 8 && b <= 15 ? b : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses an extension header into one map per extension: "" maps to its name, the rest to parameter values (null if valueless). */
    public static List<Map<String, String>> parse(String header) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String ext : header.split(",")) {
            String[] parts = ext.split(";");
            Map<String, String> m = new LinkedHashMap<>();
            m.put("", parts[0].trim().toLowerCase(Locale.ROOT));
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i].trim();
                if (part.isEmpty()) continue;
                int eq = part.indexOf('=');
                if (eq < 0) m.put(part.toLowerCase(Locale.ROOT), null);
                else m.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim().replace("\"", ""));
            }
            out.add(m);
        }
        return out;
    }

    /** The extension answer the server gave. */
    public String agreed() { return agreed; }

    /** Whether the server promised to compress every message with a fresh context. */
    public boolean serverNoContextTakeover() { return serverNoContextTakeover; }

    /** The server's compression window (bits) it agreed to. */
    public int serverMaxWindowBits() { return serverMaxWindowBits; }

    /** The client window (bits) the server allowed. */
    public int clientMaxWindowBits() { return clientMaxWindowBits; }

    /** Compresses one message payload (RFC 7692 section 7.2.1: sync flush, trailing 00 00 ff ff removed). */
    public byte[] compress(byte[] message) {
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
        byte[] buf = new byte[64 * 1024];
        while (true) {
            int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
            if (n < buf.length && deflater.needsInput()) break;
        }
        if (clientNoContextTakeover) deflater.reset();
        byte[] c = out.toByteArray();
        if (c.length >= 4 && c[c.length - 4] == 0 && c[c.length - 3] == 0 && c[c.length - 2] == (byte) 0xff && c[c.length - 1] == (byte) 0xff) {
            return java.util.Arrays.copyOf(c, c.length - 4);
        }
        return c;
    }

    /**
     * Inflates one compressed message. With server_no_context_takeover agreed, each message is
     * inflated with a fresh context, so a server that kept its context would fail here.
     */
    public byte[] decompress(byte[] compressed, int maxSize) throws DataFormatException {
        if (serverNoContextTakeover) inflater.reset();
        byte[] in = java.util.Arrays.copyOf(compressed, compressed.length + 4);
        System.arraycopy(TAIL, 0, in, compressed.length, 4);
        inflater.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 3 + 64);
        byte[] buf = new byte[64 * 1024];
        while (true) {
            int n = inflater.inflate(buf);
            out.write(buf, 0, n);
            if (out.size() > maxSize) throw new DataFormatException("inflated message exceeds " + maxSize + " bytes");
            if (n == 0 && (inflater.needsInput() || inflater.finished())) break;
            if (inflater.needsDictionary()) throw new DataFormatException("deflate stream asks for a dictionary");
        }
        if (inflater.finished()) {
            // a BFINAL block ends the context: the next message starts a fresh stream
            inflater.reset();
        }
        return out.toByteArray();
    }
}
