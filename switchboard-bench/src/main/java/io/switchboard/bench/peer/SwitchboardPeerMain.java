package io.switchboard.bench.peer;

import io.switchboard.redis.RedisBroker;
import io.switchboard.redis.RedisBrokerConfig;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.Transport;
import io.switchboard.server.auth.TokenVerifier;

import java.io.IOException;
import java.nio.file.Path;

import java.util.concurrent.CountDownLatch;

/**
 * Runs Switchboard with its defaults (no demo ticker) on 127.0.0.1 and the port given as the only
 * argument, until killed. For experiments, {@code -Dswitchboard.transport=io_uring|epoll|nio} and
 * {@code -Dswitchboard.ioThreads=N} (through {@code SWITCHBOARD_BENCH_PEER_JVM_OPTS}) change its
 * transport and event-loop count; {@code -Dswitchboard.tokenSecret=S} (HS256) or
 * {@code -Dswitchboard.tokenPublicKey=PEM} (RS256/ES256) make it verify connection tokens, and
 * {@code -Dswitchboard.anonymous=true} still serves clients without one (as {@code serve --anonymous});
 * {@code -Dswitchboard.broker=redis://host:port} keeps channels in that Redis (as {@code serve --broker}) and
 * {@code -Dswitchboard.maxCommandsPerSecond=N} sets the {@code /ws} command budget per connection.
 */
public final class SwitchboardPeerMain {

    private SwitchboardPeerMain() {
    }

    /** {@code args[0]}: the port. */
    public static void main(String[] args) throws InterruptedException, IOException {
        ServerConfig config = new ServerConfig().host("127.0.0.1").port(Integer.parseInt(args[0])).demo(false)
                .transport(Transport.parse(System.getProperty("switchboard.transport", "auto")))
                .ioThreads(Integer.getInteger("switchboard.ioThreads", 0));
        String secret = System.getProperty("switchboard.tokenSecret");
        String publicKey = System.getProperty("switchboard.tokenPublicKey");
        if (secret != null) {
            config.tokens(TokenVerifier.hmac(secret));
        } else if (publicKey != null) {
            config.tokens(TokenVerifier.publicKeyPem(Path.of(publicKey)));
        }
        String broker = System.getProperty("switchboard.broker");
        if (broker != null) {
            config.broker(hub -> RedisBroker.connect(new RedisBrokerConfig(broker).presenceTtl(hub.presenceTtl())));
        }
        Integer commands = Integer.getInteger("switchboard.maxCommandsPerSecond");
        if (commands != null) {
            config.maxCommandsPerSecond(commands);
        }
        if (System.getProperty("switchboard.anonymous") != null) {
            config.anonymous(Boolean.getBoolean("switchboard.anonymous"));
        }
        SwitchboardServer server = SwitchboardServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
