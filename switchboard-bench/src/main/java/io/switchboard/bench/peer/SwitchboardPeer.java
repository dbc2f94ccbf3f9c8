package io.switchboard.bench.peer;

import java.util.List;

/**
 * Switchboard itself, in a child JVM running {@link SwitchboardPeerMain} with the JVM settings
 * {@code bin/switchboard serve} uses ({@link Launcher}).
 */
final class SwitchboardPeer extends JvmPeer {

    @Override
    protected List<String> jvmFlags() {
        return Launcher.jvmOptions();
    }

    @Override
    public String name() {
        return "switchboard";
    }

    @Override
    protected Class<?> mainClass() {
        return SwitchboardPeerMain.class;
    }
}
