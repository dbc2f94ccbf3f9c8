package io.switchboard.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's nginx as the load balancer in front of several nodes, running the configuration that
 * docs/scaling.md gives (round robin, no sticky sessions) as a child process in a temporary
 * directory, on a free port, with TLS for {@code example.com} and the test pages as the
 * application's own pages. Fails, never skips, when nginx is not installed.
 */
final class Nginx implements AutoCloseable {

    static final String BINARY = System.getProperty("switchboard.it.nginx", "/usr/sbin/nginx");
    static final Path SCALING_DOC = Path.of("..", "docs", "scaling.md");

    final int port;
    final Path dir;
    private final Process process;

    private Nginx(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /** Starts nginx balancing over the nodes on {@code nodePorts}, serving {@code cert} for example.com; returns once it accepts connections. */
    static Nginx start(List<Integer> nodePorts, Path certPem, Path keyPem) throws IOException, InterruptedException {
        assertThat(Path.of(BINARY)).as("nginx (Debian package nginx; or -Dswitchboard.it.nginx=<path>)").isExecutable();
        // nginx's workers run as an unprivileged user when the test runs as root: they must reach the pages.
        Path dir = Files.createTempDirectory("switchboard-it-nginx", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path pages = Files.createDirectory(dir.resolve("pages"));
        try (Stream<Path> files = Files.list(TestServers.pages())) {
            for (Path page : files.toList()) {
                Files.copy(page, pages.resolve(page.getFileName()));
            }
        }
        int port = ServeProcess.freePort();
        String site = documentedSite()
                .replace("server 127.0.0.1:8080;\n    server 127.0.0.1:8081;\n    server 127.0.0.1:8082;",
                        nodePorts.stream().map(p -> "server 127.0.0.1:" + p + ";").collect(Collectors.joining("\n    ")))
                .replace("listen 443 ssl;", "listen 127.0.0.1:" + port + " ssl;")
                .replace("/etc/ssl/example.com.crt", certPem.toString())
                .replace("/etc/ssl/example.com.key", keyPem.toString())
                .replace("/srv/example.com", pages.toString());
        assertThat(site).as("the configuration of docs/scaling.md, made concrete")
                .contains(":" + nodePorts.get(0) + ";", ":" + port + " ssl", certPem.toString(), pages.toString());
        Files.writeString(dir.resolve("switchboard.conf"), site);
        // What Debian's /etc/nginx/nginx.conf gives the site, with every path inside the test's directory.
        Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "events {}",
                "http {",
                "    types { text/html html; text/javascript js; }",
                "    default_type application/octet-stream;",
                "    log_format upstream '$request_method $uri $status $upstream_addr';",
                "    access_log " + dir.resolve("access.log") + " upstream;",
                "    client_body_temp_path " + dir.resolve("client_body") + ";",
                "    proxy_temp_path " + dir.resolve("proxy") + ";",
                "    fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
                "    uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                "    scgi_temp_path " + dir.resolve("scgi") + ";",
                "    include " + dir.resolve("switchboard.conf") + ";",
                "}", ""));
        Process process = new ProcessBuilder(BINARY, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString(),
                "-g", "daemon off; pid " + dir.resolve("nginx.pid") + "; error_log " + dir.resolve("error.log") + ";")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        Nginx nginx = new Nginx(port, dir, process);
        try {
            nginx.awaitListening();
        } catch (AssertionError | InterruptedException e) {
            nginx.close();
            throw e;
        }
        return nginx;
    }

    /** The one {@code nginx} block of docs/scaling.md. */
    static String documentedSite() throws IOException {
        Matcher blocks = Pattern.compile("```nginx\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(SCALING_DOC));
        assertThat(blocks.find()).as("an nginx block in %s", SCALING_DOC).isTrue();
        String site = blocks.group(1);
        assertThat(blocks.find()).as("only one nginx block in %s", SCALING_DOC).isFalse();
        return site;
    }

    /** The access log: one line per finished request, {@code METHOD uri status upstream}. */
    List<String> accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private void awaitListening() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (;;) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("nginx did not start on port " + port + ": " + log());
                }
                Thread.sleep(20);
            }
        }
    }

    private String log() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String file : List.of("nginx.out", "error.log")) {
            Path path = dir.resolve(file);
            if (Files.exists(path)) {
                out.append('\n').append(file).append(":\n").append(Files.readString(path));
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy(); // SIGTERM: fast shutdown
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Browser.deleteRecursively(dir);
        }
    }
}
