package io.switchboard.server;

import io.switchboard.testkit.ExampleComCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a TLS client can negotiate with the server: the intermediate profile, and no renegotiation. */
class ServerTlsTest {

    @TempDir
    static Path dir;
    private static SwitchboardServer server;

    @BeforeAll
    static void start() throws Exception {
        ExampleComCertificate certificate = ExampleComCertificate.generate(dir);
        server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false)
                .tls(certificate.certPem, certificate.keyPem));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A client that trusts any certificate (the test is about what is negotiated, not about trust). */
    private static SSLSocket connect(String protocol, String... suites) throws Exception {
        return connect(server, protocol, suites);
    }

    /** A client of {@code target} that trusts any certificate, offering {@code protocol} and {@code suites} only (none: the JDK's). */
    private static SSLSocket connect(SwitchboardServer target, String protocol, String... suites) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", target.port());
        socket.setSoTimeout(10_000);
        socket.setEnabledProtocols(new String[] {protocol});
        if (suites.length > 0) {
            socket.setEnabledCipherSuites(suites);
        }
        return socket;
    }

    @Test
    void tls13AndTls12WithAnAeadSuiteServeHttps() throws Exception {
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (SSLSocket socket = connect(protocol)) {
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(socket.getSession().getCipherSuite()).isIn(ServerTls.CIPHERS);
                socket.getOutputStream().write("GET /switchboard.js HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(answer).isEqualTo("HTTP/1.1 200");
            }
        }
    }

    @Test
    void refusesCbcSuites() throws Exception {
        try (SSLSocket socket = connect("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA")) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void refusesTls11() throws Exception {
        try (SSLSocket socket = connect("TLSv1.1")) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void refusesAClientInitiatedRenegotiation() throws Exception {
        try (SSLSocket socket = connect("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
            socket.startHandshake();
            socket.startHandshake(); // on TLS 1.2 a second handshake is a renegotiation request
            // The server answers it with a fatal alert (or closes): the connection is not usable.
            assertThatThrownBy(() -> {
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                if (in.read() < 0) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void refusesTls12StaticRsaKeyExchangeEvenWithAnRsaCertificate(@TempDir Path rsaDir) throws Exception {
        ExampleComCertificate rsa = ExampleComCertificate.generateRsa(rsaDir);
        try (SwitchboardServer rsaServer = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false)
                .tls(rsa.certPem, rsa.keyPem))) {
            // The same certificate serves a forward-secret suite, so a refusal below is the key exchange's alone.
            try (SSLSocket socket = connect(rsaServer, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")) {
                socket.startHandshake();
                assertThat(socket.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
            }
            for (String staticRsa : new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384"}) {
                try (SSLSocket socket = connect(rsaServer, "TLSv1.2", staticRsa)) {
                    assertThat(socket.getSupportedCipherSuites()).as("this client can offer %s", staticRsa).contains(staticRsa);
                    assertThatThrownBy(socket::startHandshake).as(staticRsa).isInstanceOf(SSLException.class);
                }
            }
        }
    }
}
