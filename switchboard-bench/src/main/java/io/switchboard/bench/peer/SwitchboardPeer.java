package io.switchboard.bench.peer;

import java.nio.file.Path;
import java.util.List;

/**
 * Switchboard itself, in a child JVM running {@link SwitchboardPeerMain} with the JVM settings
 * {@code bin/switchboard serve} uses ({@link Launcher}): from the bench's own class path, or from
 * another build's jar (to set two builds side by side), optionally verifying connection tokens.
 */
final class SwitchboardPeer extends JvmPeer {

    private final String name;
    private final String classPath;
    private final BenchTokens.Kind tokens;

    /** This build's Switchboard, with its defaults. */
    SwitchboardPeer() {
        this("switchboard", System.getProperty("java.class.path"), null);
    }

    /**
     * @param classPath where {@link SwitchboardPeerMain} and the server are loaded from
     * @param tokens    the connection tokens the server verifies (anonymous clients still served); null: none
     */
    SwitchboardPeer(String name, String classPath, BenchTokens.Kind tokens) {
        this.name = name;
        this.classPath = classPath;
        this.tokens = tokens;
    }

    /** Switchboard as built in {@code jar} (a {@code switchboard.jar} of any commit that has the bench), called {@code name}. */
    static SwitchboardPeer fromJar(String name, Path jar) {
        if (!jar.toFile().isFile()) {
            throw new IllegalArgumentException("peer " + name + ": no jar at " + jar);
        }
        return new SwitchboardPeer(name, jar.toAbsolutePath().toString(), null);
    }

    /** The JVM settings {@code bin/switchboard serve} uses ({@link Launcher}), for every build compared. */
    @Override
    protected List<String> jvmFlags() {
        return Launcher.jvmOptions();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected Class<?> mainClass() {
        return SwitchboardPeerMain.class;
    }

    @Override
    protected List<String> command(int port) {
        List<String> properties = tokens == null ? List.of() : BenchTokens.shared().serverProperties(tokens);
        return ChildProcess.javaCommand(jvmFlags(), classPath, properties, mainClass().getName(), Integer.toString(port));
    }

    @Override
    public String connectionToken() {
        return tokens == null ? null : BenchTokens.shared().token(tokens);
    }
}
