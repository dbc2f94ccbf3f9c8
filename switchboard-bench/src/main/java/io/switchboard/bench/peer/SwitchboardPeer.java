package io.switchboard.bench.peer;

import java.time.Duration;

/** Switchboard itself, in a child JVM running {@link SwitchboardPeerMain}. */
final class SwitchboardPeer implements Peer {

    private ChildProcess child;

    @Override
    public String name() {
        return "switchboard";
    }

    @Override
    public void start(int port) throws Exception {
        child = ChildProcess.start(name(), ChildProcess.javaCommand(SwitchboardPeerMain.class.getName(), String.valueOf(port)),
                null, port, Duration.ofSeconds(60));
    }

    @Override
    public long pid() {
        return child.pid();
    }

    @Override
    public boolean isJvm() {
        return true;
    }

    @Override
    public void close() {
        if (child != null) {
            child.close();
        }
    }
}
