package io.switchboard.bench.peer;

/** Switchboard itself, in a child JVM running {@link SwitchboardPeerMain}. */
final class SwitchboardPeer extends JvmPeer {

    @Override
    public String name() {
        return "switchboard";
    }

    @Override
    protected Class<?> mainClass() {
        return SwitchboardPeerMain.class;
    }
}
