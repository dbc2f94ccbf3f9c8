package io.switchboard.client;

import io.switchboard.core.access.Namespace;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.auth.TokenVerifier;
import io.switchboard.server.auth.Tokens;
import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Switchboard server on loopback (no demo ticker) and a client with default settings, for one
 * test class: {@code @RegisterExtension static final LocalServer local = new LocalServer();}.
 */
public final class LocalServer implements BeforeAllCallback, AfterAllCallback {

    /** The server's token secret. */
    public static final String SECRET = "a-development-secret-of-32-bytes!";

    private SwitchboardServer server;
    private SwitchboardClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        // Tokens name users, anonymous clients are served too, and clients may publish.
        server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false)
                .tokens(TokenVerifier.hmac(SECRET)).anonymous(true)
                .namespaces(List.of(Namespace.open("", 1000, Duration.ofMinutes(10)).withClientPublish(true))));
        client = new SwitchboardClient();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        server.close();
    }

    /** A connection token for {@code user}, valid for {@code ttl}. */
    public String token(String user, Duration ttl) {
        return Tokens.connection(SECRET, user, ttl, List.of());
    }

    public SwitchboardServer server() {
        return server;
    }

    public SwitchboardClient client() {
        return client;
    }

    /** {@code scheme://127.0.0.1:<port><path>} on the server's port. */
    public URI uri(String scheme, String path) {
        return uri(scheme, server.port(), path);
    }

    /** {@code scheme://127.0.0.1:<port><path>}. */
    public static URI uri(String scheme, int port, String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    /** Publishes through the server's hub; returns the publication's cursor. */
    public String publish(String channel, String data) throws Exception {
        var message = server.hub().publish(channel, data, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        return message.offset() + ":" + message.epoch();
    }
}
