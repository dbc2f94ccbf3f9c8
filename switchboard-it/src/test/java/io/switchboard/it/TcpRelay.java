package io.switchboard.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay between a browser and the server under test, standing in for the network:
 * it can cut every live connection (the server "drops" the stream, as the client sees it) and
 * hold what clients send (a request is on its way but has not reached the server yet). It keeps
 * a copy of the plain-HTTP bytes clients sent, of those it forwarded and of those the server sent
 * back, so a test can wait for a request to be sent, or to have reached the server, or for an
 * answer to have reached the client.
 */
final class TcpRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** What clients sent, held or not; guarded by itself. */
    private final StringBuilder sent = new StringBuilder();
    /** What reached the server; guarded by {@link #sent}. */
    private final StringBuilder forwarded = new StringBuilder();
    /** What the server sent back to clients; guarded by {@link #sent}. */
    private final StringBuilder answered = new StringBuilder();
    private final Object gate = new Object();
    private boolean holding;
    private volatile boolean closed;

    TcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The relay's own port: point clients here. */
    int port() {
        return listener.getLocalPort();
    }

    /** From now on, bytes clients send wait in the relay until {@link #release()}. */
    void hold() {
        synchronized (gate) {
            holding = true;
        }
    }

    /** Forwards what was held and everything after it. */
    void release() {
        synchronized (gate) {
            holding = false;
            gate.notifyAll();
        }
    }

    /** Closes every live connection on both sides, as a network failure would. */
    void cutAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Waits until clients have sent {@code marker} at least {@code count} times (held bytes count too). */
    void awaitSent(String marker, int count, Duration timeout) throws InterruptedException {
        awaitCount(sent, marker, count, timeout);
    }

    /** Waits until {@code marker} has been forwarded to the server at least {@code count} times. */
    void awaitForwarded(String marker, int count, Duration timeout) throws InterruptedException {
        awaitCount(forwarded, marker, count, timeout);
    }

    /** Waits until the server has sent {@code marker} to clients at least {@code count} times. */
    void awaitAnswered(String marker, int count, Duration timeout) throws InterruptedException {
        awaitCount(answered, marker, count, timeout);
    }

    /** Everything clients have sent so far, decoded as ISO-8859-1 (HTTP headers are). */
    String sent() {
        synchronized (sent) {
            return sent.toString();
        }
    }

    /** How many times clients have sent {@code marker}. */
    int sentCount(String marker) {
        synchronized (sent) {
            return occurrences(sent, marker);
        }
    }

    private void awaitCount(StringBuilder log, String marker, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (sent) {
            while (occurrences(log, marker) < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    String what = log == sent ? "sent " : log == forwarded ? "forwarded " : "answered ";
                    throw new AssertionError("\"" + marker + "\" " + what
                            + occurrences(log, marker) + " times, expected " + count + "; sent so far:\n" + sent);
                }
                sent.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private static int occurrences(StringBuilder log, String marker) {
        int n = 0;
        for (int i = log.indexOf(marker); i >= 0; i = log.indexOf(marker, i + marker.length())) {
            n++;
        }
        return n;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                // A connection that could not be relayed fails its client; the relay keeps accepting.
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean clientToServer) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    if (clientToServer) {
                        record(sent, text);
                        synchronized (gate) {
                            while (holding && !from.isClosed()) {
                                gate.wait(50);
                            }
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    record(clientToServer ? forwarded : answered, text);
                }
            } catch (IOException | InterruptedException e) {
                // The other side went away or the relay cut it: close both halves below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "relay-" + (clientToServer ? "up" : "down"));
        thread.setDaemon(true);
        thread.start();
    }

    private void record(StringBuilder log, String text) {
        synchronized (sent) {
            log.append(text);
            sent.notifyAll();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        release();
        listener.close();
        cutAll();
    }
}
