package io.switchboard.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.util.List;

/**
 * TLS for {@code wss://} and {@code https://}: Mozilla's "intermediate" profile (TLS 1.2 and 1.3,
 * forward-secret AEAD suites only: no CBC, no static RSA key exchange) and no client-initiated
 * renegotiation, a cheap way for one client to burn the server's CPU.
 */
final class ServerTls {

    /** Mozilla's intermediate configuration (v5.7), in its order, by their IANA/JDK names. */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private ServerTls() {
    }

    /** The server's TLS context for the PEM certificate chain {@code cert} and its PEM private key {@code key}. */
    static SslContext context(Path cert, Path key) throws SSLException {
        // The JDK's TLS 1.2 engine reads this once, at its first handshake; an operator's own setting wins.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
        return SslContextBuilder.forServer(cert.toFile(), key.toFile())
                .protocols("TLSv1.3", "TLSv1.2")
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .build();
    }
}
