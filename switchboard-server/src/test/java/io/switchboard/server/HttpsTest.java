package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.ExampleComCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.switchboard.server.TestServer.ANSWER_TIMEOUT;
import static io.switchboard.server.TestServer.json;
import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SSE, long polling and {@code POST /api/publish} over HTTPS, with a self-signed certificate the clients trust. */
class HttpsTest {

    @TempDir
    static Path certDir;
    static SwitchboardServer server;
    static SSLContext trusting;
    static HttpClient https;

    @BeforeAll
    static void startServer() throws Exception {
        ExampleComCertificate certificate = ExampleComCertificate.generate(certDir);
        server = SwitchboardServer.start(TestServer.config().tls(certificate.certPem, certificate.keyPem));
        trusting = trusting(certificate.certPem);
        https = HttpClient.newBuilder().sslContext(trusting).connectTimeout(ANSWER_TIMEOUT).build();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** A TLS context that trusts only the certificate in {@code pem}. */
    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    @Test
    void aPublicationPostedOverHttpsReachesAnSseStreamAndAHeldPollOverHttps() throws Exception {
        String since = server.hub().history("news", null, 0).toCompletableFuture().get(5, TimeUnit.SECONDS).position().toString();
        String epoch = since.substring(2);
        try (SSLSocket sse = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            SSLParameters verifyHostname = sse.getSSLParameters();
            verifyHostname.setEndpointIdentificationAlgorithm("HTTPS");
            sse.setSSLParameters(verifyHostname);
            sse.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            sse.getOutputStream().write(("GET /sse?channel=news&since=" + since + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream stream = new BufferedInputStream(sse.getInputStream());
            assertThat(readUntil(stream, "\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("content-type: text/event-stream");
            CompletableFuture<HttpResponse<String>> poll = https.sendAsync(HttpRequest.newBuilder(uri("/poll?channel=news&wait=30&since=" + since))
                    .timeout(ANSWER_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            TestServer.await("the poll is held", () -> server.heldPollCount() == 1);

            HttpResponse<String> published = https.send(HttpRequest.newBuilder(uri("/api/publish")).timeout(ANSWER_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"news\",\"data\":{\"title\":\"over tls\"}}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(published.statusCode()).isEqualTo(200);
            assertThat(json(published)).isEqualTo(JSON.readTree("{\"offset\":1,\"epoch\":\"" + epoch + "\"}"));
            JsonNode polled = json(poll.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertThat(polled.get("messages")).containsExactly(
                    JSON.readTree("{\"channel\":\"news\",\"offset\":1,\"epoch\":\"" + epoch + "\",\"data\":{\"title\":\"over tls\"}}"));
            assertThat(readUntil(stream, "data: {\"title\":\"over tls\"}\n\n"))
                    .endsWith("id: 1:" + epoch + "\nevent: news\ndata: {\"title\":\"over tls\"}\n\n");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedBeforeAnythingIsServed() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(ANSWER_TIMEOUT).build();

        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(uri("/poll?channel=news&wait=0")).timeout(ANSWER_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    /** Reads {@code in} until what was read ends with {@code end}; the socket's timeout bounds each read. */
    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder read = new StringBuilder();
        while (read.length() < end.length() || !read.substring(read.length() - end.length()).equals(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("stream ended after: " + read);
            }
            read.append((char) b);
        }
        return read.toString();
    }
}
