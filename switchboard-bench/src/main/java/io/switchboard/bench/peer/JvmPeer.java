package io.switchboard.bench.peer;

import java.util.List;

/**
 * A peer on its own JVM: the bench's {@code java} and runtime classpath, one main class taking the
 * port, and {@link ChildProcess#JVM_FLAGS} like every JVM peer but Switchboard, which runs with its
 * launcher's settings.
 */
public abstract class JvmPeer extends ProcessPeer {

    /** The class whose {@code main(String[] {port})} serves the peer. */
    protected abstract Class<?> mainClass();

    /** Heap and collector flags. */
    protected List<String> jvmFlags() {
        return ChildProcess.JVM_FLAGS;
    }

    @Override
    protected List<String> command(int port) {
        return ChildProcess.javaCommand(jvmFlags(), mainClass().getName(), Integer.toString(port));
    }

    @Override
    public boolean isJvm() {
        return true;
    }
}
