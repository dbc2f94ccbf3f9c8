package io.switchboard.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network between client and server, on loopback: forwards each connection to the server's
 * port, and can cut every live connection (TCP dropped without a close frame) or refuse new ones
 * (accept, then close at once). It notes when each connection arrived.
 */
public final class Relay implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final List<Long> arrivals = new ArrayList<>();
    private volatile boolean refusing;

    /** A relay to {@code targetPort} on loopback, listening on a free port of its own. */
    public Relay(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Closes every live connection, both halves, with no WebSocket close handshake. */
    public void cut() {
        for (Socket socket : live) {
            quietlyClose(socket);
        }
    }

    /** While true, connections are accepted and closed at once (a server that is down). */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** {@code System.nanoTime()} of each connection accepted so far. */
    public synchronized List<Long> arrivals() {
        return new ArrayList<>(arrivals);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                synchronized (this) {
                    arrivals.add(System.nanoTime());
                }
                if (refusing) {
                    quietlyClose(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                live.add(client);
                live.add(server);
                forward(client, server);
                forward(server, client);
            } catch (IOException e) {
                // listener closed, or the server refused: the client sees a dropped connection
            }
        }
    }

    private void forward(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException e) {
                // cut
            } finally {
                quietlyClose(from);
                quietlyClose(to);
                live.remove(from);
                live.remove(to);
            }
        }, "relay-forward");
        thread.setDaemon(true);
        thread.start();
    }

    private static void quietlyClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
