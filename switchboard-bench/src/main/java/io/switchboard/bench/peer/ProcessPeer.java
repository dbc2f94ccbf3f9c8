package io.switchboard.bench.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A peer that is one {@link ChildProcess} started from a command line. */
public abstract class ProcessPeer implements Peer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private ChildProcess child;
    private int port;

    /** The command line that serves ws /echo and ws /chat on 127.0.0.1:{@code port}. */
    protected abstract List<String> command(int port) throws Exception;

    /** The directory the command runs in (null: the bench's own). */
    protected Path workingDirectory() throws Exception {
        return null;
    }

    @Override
    public void start(int port) throws Exception {
        if (child != null) {
            throw new IllegalStateException(name() + " is already started");
        }
        child = ChildProcess.start(name(), command(port), workingDirectory(), port, START_TIMEOUT);
        this.port = port;
    }

    /** Starts one more process of this peer's (another node) from {@code command}, ready once {@code port} accepts. */
    protected ChildProcess startAnother(String label, List<String> command, int port) throws IOException {
        return ChildProcess.start(label, command, null, port, START_TIMEOUT);
    }

    @Override
    public List<Integer> ports() {
        return List.of(port);
    }

    @Override
    public long pid() {
        if (child == null) {
            throw new IllegalStateException(name() + " is not started");
        }
        return child.pid();
    }

    @Override
    public void close() {
        if (child != null) {
            child.close();
            child = null;
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
