package io.switchboard.testkit;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client on a bare {@link Socket} that does nothing on its own: it performs the opening
 * handshake, then sends exactly the bytes or hand-built {@link Frame}s it is given (whole, or
 * chopped into pieces with pauses) and hands back every frame the server sends, unvalidated,
 * so tests can assert on the wire. A reader thread drains the socket so a large send never
 * deadlocks against the server's replies; {@link #poll} tells frames from the server's TCP close.
 */
public final class RawWebSocket implements AutoCloseable {

    /** The magic GUID of RFC 6455 section 1.3. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Largest frame the reader accepts from a server before calling it a protocol violation. */
    private static final long MAX_READ_FRAME = 256L * 1024 * 1024;

    private final Socket socket;
    private final OutputStream out;
    private final HttpResponse handshake;
    private final BlockingQueue<Incoming> incoming = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean tcpClosed;
    private volatile boolean abortedByMe;

    private RawWebSocket(Socket socket, DataInputStream in, HttpResponse handshake) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.handshake = handshake;
        this.reader = new Thread(() -> readLoop(in), "raw-ws-reader-" + socket.getLocalPort());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Connects to {@code uri} ({@code ws://host:port/path}) and completes the handshake with a random key. */
    public static RawWebSocket connect(URI uri) throws IOException {
        return connect(uri, Map.of(), Duration.ofSeconds(10));
    }

    /**
     * Connects to {@code uri} and sends the opening handshake with {@code extraHeaders} added (e.g.
     * {@code Sec-WebSocket-Extensions}); succeeds only on a 101 with the right
     * {@code Sec-WebSocket-Accept}, else throws {@link HandshakeException} carrying the response.
     */
    public static RawWebSocket connect(URI uri, Map<String, String> extraHeaders, Duration timeout) throws IOException {
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", host + ":" + port);
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Key", key);
        headers.put("Sec-WebSocket-Version", "13");
        headers.putAll(extraHeaders);
        StringBuilder req = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");

        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 64 * 1024));
            HttpResponse resp = HttpResponse.readHead(in);
            String expectedAccept = acceptKey(key);
            if (resp.status() != 101) throw new HandshakeException("expected 101, got " + resp.statusLine(), resp);
            if (!resp.header("Sec-WebSocket-Accept").map(expectedAccept::equals).orElse(false)) {
                throw new HandshakeException("wrong Sec-WebSocket-Accept (expected " + expectedAccept + ")", resp);
            }
            s.setSoTimeout(0);
            return new RawWebSocket(s, in, resp);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** {@code base64(sha1(key + GUID))}, the accept value a server must answer for {@code key}. */
    public static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's 101 response. */
    public HttpResponse handshakeResponse() { return handshake; }

    /** Sends raw bytes as they are. A send on a connection the server already closed is ignored (see {@link #poll}). */
    public void send(byte[] bytes) throws IOException {
        try {
            out.write(bytes);
            out.flush();
        } catch (SocketException e) {
            if (!tcpClosed && !abortedByMe) throw e;
        }
    }

    /** Encodes and sends one frame. */
    public void send(Frame frame) throws IOException {
        send(frame.encode());
    }

    /**
     * Sends {@code bytes} in pieces of {@code chopSize}, flushing each and pausing {@code pause}
     * between them, so the server sees a frame arrive in parts (TCP_NODELAY is on).
     */
    public void sendChopped(byte[] bytes, int chopSize, Duration pause) throws IOException, InterruptedException {
        for (int i = 0; i < bytes.length; i += chopSize) {
            if (tcpClosed) return;
            if (i > 0 && !pause.isZero()) Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
            int n = Math.min(chopSize, bytes.length - i);
            try {
                out.write(bytes, i, n);
                out.flush();
            } catch (SocketException e) {
                if (!tcpClosed && !abortedByMe) throw e;
                return;
            }
        }
    }

    /**
     * The next thing the server did, waiting up to {@code timeout}: a frame, or its TCP close (which
     * is reported once and then again on every later call). Null when nothing came in time.
     */
    public Incoming poll(Duration timeout) throws InterruptedException {
        Incoming i = incoming.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (i != null && i.isClosed()) incoming.offer(i); // keep reporting the end
        return i;
    }

    /** The next frame within {@code timeout}, or null on timeout; throws {@link EOFException} once the server closed TCP. */
    public Frame readFrame(Duration timeout) throws IOException, InterruptedException {
        Incoming i = poll(timeout);
        if (i == null) return null;
        if (i.isClosed()) throw new EOFException("server closed the TCP connection" + (i.error() != null ? ": " + i.error() : ""));
        return i.frame();
    }

    /**
     * Waits up to {@code timeout} for the server to close the TCP connection, skipping frames;
     * true if it did.
     */
    public boolean awaitTcpClose(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return tcpClosed;
            Incoming i = poll(Duration.ofNanos(left));
            if (i != null && i.isClosed()) return true;
        }
    }

    /** Whether the server's side of the TCP connection has ended (EOF or reset). */
    public boolean isTcpClosed() { return tcpClosed; }

    /** Half-closes: sends FIN on our side but keeps reading. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Drops the TCP connection without any close handshake. */
    @Override
    public void close() {
        abortedByMe = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void readLoop(DataInputStream in) {
        try {
            while (true) {
                int b0 = in.read();
                if (b0 < 0) break;
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) len = in.readUnsignedShort();
                else if (len == 127) len = in.readLong();
                boolean masked = (b1 & 0x80) != 0;
                int key = masked ? in.readInt() : 0;
                if (len < 0 || len > MAX_READ_FRAME) {
                    incoming.offer(Incoming.closed("server sent a frame announcing " + len + " bytes"));
                    tcpClosed = true;
                    socket.close();
                    return;
                }
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                if (masked) Frame.mask(payload, 0, payload.length, key);
                incoming.offer(Incoming.of(Frame.received((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0xf, masked, payload)));
            }
            tcpClosed = true;
            incoming.offer(Incoming.closed(null));
        } catch (EOFException e) {
            tcpClosed = true;
            incoming.offer(Incoming.closed("TCP closed inside a frame"));
        } catch (IOException e) {
            tcpClosed = true;
            incoming.offer(Incoming.closed(abortedByMe ? "closed by client" : e.toString()));
        }
    }

    /** What {@link #poll} returns: a frame from the server, or the end of its TCP connection. */
    public static final class Incoming {
        private final Frame frame;
        private final boolean closed;
        private final String error;

        private Incoming(Frame frame, boolean closed, String error) {
            this.frame = frame;
            this.closed = closed;
            this.error = error;
        }

        static Incoming of(Frame f) { return new Incoming(f, false, null); }

        static Incoming closed(String error) { return new Incoming(null, true, error); }

        /** The frame, or null for the TCP close. */
        public Frame frame() { return frame; }

        /** True when the server closed (FIN) or reset the TCP connection. */
        public boolean isClosed() { return closed; }

        /** For a close: what went wrong (reset, closed mid-frame), or null for a plain FIN. */
        public String error() { return error; }

        @Override
        public String toString() { return closed ? "TCP closed" + (error != null ? " (" + error + ")" : "") : frame.toString(); }
    }

    /** The server answered the opening handshake with something other than a valid 101. */
    public static final class HandshakeException extends IOException {
        private final transient HttpResponse response;

        HandshakeException(String message, HttpResponse response) {
            super(message + "\n" + response);
            this.response = response;
        }

        /** What the server answered. */
        public HttpResponse response() { return response; }
    }
}
