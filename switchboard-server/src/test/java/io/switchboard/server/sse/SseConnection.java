package io.switchboard.server.sse;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A hand-rolled event-stream client on a plain socket: sends a GET, reads the response head, then
 * decodes the chunked body and splits it into SSE blocks (the text between blank lines), so tests
 * can assert on the exact bytes the server wrote.
 */
final class SseConnection implements AutoCloseable {

    final Socket socket;
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    /** Everything the body carried so far, chunk framing removed. */
    final StringBuilder body = new StringBuilder();
    private final InputStream in;
    private int consumed;

    private SseConnection(Socket socket, int status, InputStream in) {
        this.socket = socket;
        this.status = status;
        this.in = in;
    }

    /** Opens {@code GET path} with the extra header lines {@code headers} (each "Name: value"). */
    static SseConnection open(int port, String path, String... headers) throws IOException {
        return open(new Socket(), port, path, headers);
    }

    /** Like {@link #open(int, String, String...)} on a socket the caller configured (e.g. a small receive buffer). */
    static SseConnection open(Socket socket, int port, String path, String... headers) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        SseConnection connection = new SseConnection(socket, Integer.parseInt(statusLine.split(" ")[1]), in);
        for (String l; !(l = line(in)).isEmpty(); ) {
            int colon = l.indexOf(':');
            connection.headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return connection;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The whole body of a non-streaming answer (an error), read by its Content-Length. */
    String fixedBody() throws IOException {
        return new String(in.readNBytes(Integer.parseInt(header("Content-Length"))), StandardCharsets.UTF_8);
    }

    /** The next block of the stream (without its ending blank line), waiting up to 10 s. */
    String nextBlock() throws IOException {
        while (true) {
            int end = body.indexOf("\n\n", consumed);
            if (end >= 0) {
                String block = body.substring(consumed, end);
                consumed = end + 2;
                return block;
            }
            readChunk();
        }
    }

    /** The next block that is an event (has a data: line), skipping comments and the retry block. */
    String nextEvent() throws IOException {
        while (true) {
            String block = nextBlock();
            if (block.contains("data:")) {
                return block;
            }
        }
    }

    /** The next {@code count} events' {@code id:} values. */
    List<String> nextIds(int count) throws IOException {
        List<String> ids = new ArrayList<>();
        while (ids.size() < count) {
            ids.add(field(nextEvent(), "id"));
        }
        return ids;
    }

    static String field(String block, String name) {
        for (String l : block.split("\n")) {
            if (l.startsWith(name + ": ")) {
                return l.substring(name.length() + 2);
            }
        }
        return null;
    }

    /** Reads until the server closes the connection; true if it did within the socket timeout. */
    boolean closedByServer() throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) >= 0) {
                // drain what was sent before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private void readChunk() throws IOException {
        String size = line(in);
        int length = Integer.parseInt(size.trim(), 16);
        if (length == 0) {
            throw new EOFException("stream ended");
        }
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new EOFException("connection closed inside a chunk");
        }
        body.append(new String(data, StandardCharsets.UTF_8));
        line(in);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
