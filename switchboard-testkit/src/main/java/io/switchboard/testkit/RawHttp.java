package io.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Sends a hand-written HTTP request over a plain socket and reads the response, malformed requests included. */
public final class RawHttp {
    private RawHttp() {
    }

    /**
     * Sends a WebSocket handshake for {@code path} with RFC 6455's sample key on an already connected
     * bare {@code socket} and reads the response head up to the blank line, nothing more; throws
     * unless it is a 101. Returns the socket's input, for a test that then deliberately does not read.
     */
    public static InputStream upgrade(Socket socket, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        HttpResponse head = HttpResponse.readHead(in);
        if (head.status() != 101) throw new IOException("expected 101, got " + head);
        return in;
    }

    /**
     * Writes {@code request} (sent as is: the caller writes every CRLF) to {@code host:port} and reads
     * the response head and its body (by Content-Length, chunked is not decoded, else until the server
     * closes or {@code timeout} passes).
     */
    public static HttpResponse exchange(String host, int port, String request, Duration timeout) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            return exchange(s, request);
        }
    }

    /**
     * Writes {@code request} on an open {@code socket} (keep-alive: the socket stays open) and reads
     * one response as {@link #exchange(String, int, String, Duration)} does, within the socket's timeout.
     */
    public static HttpResponse exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return read(s);
    }

    /** Reads the next response from {@code s} (to a request written earlier), within the socket's timeout. */
    public static HttpResponse read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        HttpResponse head = HttpResponse.readHead(in);
        if (head.status() == 101 || head.status() == 204 || head.status() == 304) return head;
        String len = head.header("Content-Length").orElse(null);
        if (len != null) return head.withBody(in.readNBytes(Integer.parseInt(len.trim())));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) body.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            // no length and the server kept the connection open: take what came
        }
        return head.withBody(body.toByteArray());
    }
}
