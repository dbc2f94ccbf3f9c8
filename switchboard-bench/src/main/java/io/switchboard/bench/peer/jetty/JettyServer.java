package io.switchboard.bench.peer.jetty;

import io.switchboard.bench.peer.LessonChat;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Jetty peer: ws /echo and the lesson's ws /chat on Jetty 12's WebSocket server (jetty-core,
 * the Jetty WebSocket API, no servlets), with Jetty's defaults apart from the idle timeout. Run with
 * the port as the only argument.
 */
public final class JettyServer {

    /** Largest accepted message, as Switchboard's default. */
    private static final long MAX_MESSAGE = 1 << 20;
    /** Idle connections stay open (Jetty's default closes them after 30 s; the other peers keep them). */
    private static final Duration IDLE_TIMEOUT = Duration.ofHours(24);

    private JettyServer() {
    }

    /** Serves on 127.0.0.1:{@code args[0]} until killed. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        Set<Session> chatClients = ConcurrentHashMap.newKeySet();
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(IDLE_TIMEOUT);
            container.setMaxTextMessageSize(MAX_MESSAGE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE);
            container.addMapping("/echo", (request, response, callback) -> new Echo());
            container.addMapping("/chat", (request, response, callback) -> new Chat(chatClients));
        }));
        server.start();
        System.out.println("jetty peer listening on 127.0.0.1:" + port);
        server.join();
    }

    /** ws /echo: every text and binary message goes back unchanged. (Jetty calls endpoints through method handles: they must be public.) */
    public static final class Echo extends Session.Listener.AbstractAutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            getSession().sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            // The payload stays valid until the callback completes: it completes when the echo is sent.
            getSession().sendBinary(payload, callback);
        }
    }

    /** ws /chat: the lesson's chat over the set of open sessions. */
    public static final class Chat extends Session.Listener.AbstractAutoDemanding {
        private final Set<Session> clients;

        public Chat(Set<Session> clients) {
            this.clients = clients;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            super.onWebSocketOpen(session);
            clients.add(session);
            session.sendText(LessonChat.WELCOME, Callback.NOOP);
        }

        @Override
        public void onWebSocketText(String message) {
            LessonChat.Reply reply = LessonChat.onMessage(message);
            Session sender = getSession();
            switch (reply.audience()) {
                case EVERYONE -> clients.forEach(client -> send(client, reply.json()));
                case OTHERS -> clients.stream().filter(client -> client != sender).forEach(client -> send(client, reply.json()));
                case SENDER -> send(sender, reply.json());
            }
        }

        private static void send(Session client, String json) {
            if (client.isOpen()) {
                client.sendText(json, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            clients.remove(getSession());
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            clients.remove(getSession());
        }
    }
}
