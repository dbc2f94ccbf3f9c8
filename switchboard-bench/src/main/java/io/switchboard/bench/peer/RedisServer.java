package io.switchboard.bench.peer;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The Redis a {@code switchboard+redis} peer's nodes share: a {@code redis-server} of the bench's
 * own on a free port of 127.0.0.1, without persistence, started with the peer and stopped with it,
 * so a run neither touches nor is slowed by a Redis other work uses. {@code SWITCHBOARD_BENCH_REDIS}
 * ({@code redis://host:port}) names an already running one instead (its data is left as it is).
 */
public final class RedisServer implements AutoCloseable {

    /** The environment variable naming a Redis to use instead of starting one. */
    static final String URI_ENV = "SWITCHBOARD_BENCH_REDIS";

    private final String host;
    private final int port;
    private final ChildProcess child;

    private RedisServer(String host, int port, ChildProcess child) {
        this.host = host;
        this.port = port;
        this.child = child;
    }

    /** The Redis named by {@code SWITCHBOARD_BENCH_REDIS}, else a new {@code redis-server} on a free port. */
    static RedisServer start() throws IOException {
        String external = System.getenv(URI_ENV);
        if (external != null && !external.isBlank()) {
            URI uri = URI.create(external.trim());
            return new RedisServer(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), null);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ChildProcess child = ChildProcess.start("redis", List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"), null, port, Duration.ofSeconds(20));
        return new RedisServer("127.0.0.1", port, child);
    }

    /** Whether this machine can start a Redis for the bench ({@code redis-server} on the PATH, or one named). */
    public static boolean available() {
        String external = System.getenv(URI_ENV);
        if (external != null && !external.isBlank()) {
            return true;
        }
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "redis-server")));
    }

    /** {@code redis://host:port}, what the nodes are given as {@code --broker}. */
    public String uri() {
        return "redis://" + host + ":" + port;
    }

    /** The host Redis listens on. */
    public String host() {
        return host;
    }

    /** The port Redis listens on. */
    public int port() {
        return port;
    }

    /** The server's process id, or -1 for a Redis the bench did not start (its CPU is then not read). */
    public long pid() {
        return child == null ? -1 : child.pid();
    }

    /**
     * Sends one command and returns its reply as text: a status, error ({@code -ERR …}), integer or
     * bulk string as it came (nested replies are not read). For setup, not for load.
     */
    public String command(String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return readReply(socket.getInputStream());
        }
    }

    /** {@code args} as a RESP array of bulk strings. */
    static byte[] encode(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** One reply: {@code +OK} as {@code OK}, {@code -ERR x} as it is, {@code :3} as {@code 3}, a bulk string's text. */
    static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        if (line.isEmpty()) {
            throw new IOException("empty reply from Redis");
        }
        return switch (line.charAt(0)) {
            case '+', ':' -> line.substring(1);
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    yield null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                yield new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            default -> line;
        };
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (child != null) {
            child.close();
        }
    }
}
