package io.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP/1.1 response as read off a raw socket: status line, headers in arrival order, body.
 * Used to assert on exactly what a server answered to a (possibly malformed) handshake.
 */
public final class HttpResponse {

    private final String statusLine;
    private final int status;
    private final List<String[]> headers;
    private final byte[] body;

    HttpResponse(String statusLine, int status, List<String[]> headers, byte[] body) {
        this.statusLine = statusLine;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** The status code, e.g. 101 or 400. */
    public int status() { return status; }

    /** The status line as sent, e.g. {@code HTTP/1.1 101 Switching Protocols}. */
    public String statusLine() { return statusLine; }

    /** The first value of header {@code name} (case-insensitive), if present. */
    public Optional<String> header(String name) {
        for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return Optional.of(h[1]);
        return Optional.empty();
    }

    /** All values of header {@code name} (case-insensitive), in order. */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) out.add(h[1]);
        return out;
    }

    /** Whether header {@code name} contains {@code token} in its comma-separated list (case-insensitive). */
    public boolean headerHasToken(String name, String token) {
        for (String v : headers(name)) {
            for (String t : v.split(",")) if (t.trim().toLowerCase(Locale.ROOT).equals(token.toLowerCase(Locale.ROOT))) return true;
        }
        return false;
    }

    /** The body bytes (empty for a 101). */
    public byte[] body() { return body.clone(); }

    /** The body decoded as UTF-8. */
    public String bodyText() { return new String(body, StandardCharsets.UTF_8); }

    /** Reads a status line and headers (not the body) from {@code in}, byte by byte so nothing after them is consumed. */
    static HttpResponse readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed inside the HTTP response head after " + lines);
            if (b == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1);
                if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
                line.reset();
                if (l.isEmpty()) break;
                lines.add(l);
                if (lines.size() > 200) throw new IOException("HTTP response head too long");
            } else {
                line.write(b);
            }
        }
        if (lines.isEmpty()) throw new IOException("empty HTTP response");
        String statusLine = lines.get(0);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("not an HTTP status line: " + statusLine);
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            int c = l.indexOf(':');
            if (c <= 0) throw new IOException("malformed header line: " + l);
            headers.add(new String[] {l.substring(0, c).trim(), l.substring(c + 1).trim()});
        }
        return new HttpResponse(statusLine, status, headers, new byte[0]);
    }

    HttpResponse withBody(byte[] body) {
        return new HttpResponse(statusLine, status, headers, body);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(statusLine);
        for (String[] h : headers) sb.append("\n").append(h[0]).append(": ").append(h[1]);
        if (body.length > 0) sb.append("\n\n").append(bodyText());
        return sb.toString();
    }
}
