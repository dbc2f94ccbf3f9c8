package io.switchboard.it;

import io.switchboard.server.ServerConfig;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Server configurations the integration tests share: loopback only, ephemeral port, no demo ticker. */
final class TestServers {

    private TestServers() {
    }

    /** A loopback server on a free port that also serves the test pages (same origin as its endpoints). */
    static ServerConfig loopback() {
        return new ServerConfig().host("127.0.0.1").port(0).demo(false).staticDir(pages());
    }

    /** The directory of the test pages: the lesson's client code, unchanged, and the test's recorder. */
    static Path pages() {
        URL url = TestServers.class.getResource("/pages/chat.html");
        if (url == null) {
            throw new IllegalStateException("test pages missing from the test classpath");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
