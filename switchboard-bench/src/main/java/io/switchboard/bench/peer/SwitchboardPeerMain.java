package io.switchboard.bench.peer;

import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.Transport;

import java.util.concurrent.CountDownLatch;

/**
 * Runs Switchboard with its defaults (no demo ticker) on 127.0.0.1 and the port given as the only
 * argument, until killed. For experiments, {@code -Dswitchboard.transport=io_uring|epoll|nio} and
 * {@code -Dswitchboard.ioThreads=N} (through {@code SWITCHBOARD_BENCH_PEER_JVM_OPTS}) change its
 * transport and event-loop count.
 */
public final class SwitchboardPeerMain {

    private SwitchboardPeerMain() {
    }

    /** {@code args[0]}: the port. */
    public static void main(String[] args) throws InterruptedException {
        SwitchboardServer server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(Integer.parseInt(args[0])).demo(false)
                .transport(Transport.parse(System.getProperty("switchboard.transport", "auto")))
                .ioThreads(Integer.getInteger("switchboard.ioThreads", 0)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
