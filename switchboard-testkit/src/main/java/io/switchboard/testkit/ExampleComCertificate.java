package io.switchboard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway self-signed certificate for {@code example.com}, made with the JDK's keytool (valid for
 * example.com, localhost and 127.0.0.1) and
 * exported as PEM files, so the lesson's {@code wss://example.com/chat} can run unchanged.
 */
public final class ExampleComCertificate {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    /** The certificate, PEM encoded. */
    public final Path certPem;
    /** Its private key, PKCS#8 PEM encoded. */
    public final Path keyPem;

    private ExampleComCertificate(Path certPem, Path keyPem) {
        this.certPem = certPem;
        this.keyPem = keyPem;
    }

    /** Generates an EC (P-256) key pair and its certificate into {@code dir}. */
    public static ExampleComCertificate generate(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        return generate(dir, "-keyalg", "EC", "-groupname", "secp256r1");
    }

    /** Generates an RSA (2048-bit) key pair and its certificate into {@code dir}: the kind static-RSA key exchange needs. */
    public static ExampleComCertificate generateRsa(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        return generate(dir, "-keyalg", "RSA", "-keysize", "2048");
    }

    private static ExampleComCertificate generate(Path dir, String... keyOptions)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve("example.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(STORE_PASSWORD),
                "-alias", "example"));
        command.addAll(List.of(keyOptions));
        command.addAll(List.of("-dname", "CN=example.com", "-ext", "SAN=dns:example.com,dns:localhost,ip:127.0.0.1", "-validity", "2"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        PrivateKey key = (PrivateKey) keyStore.getKey("example", STORE_PASSWORD);
        Certificate cert = keyStore.getCertificate("example");
        Path certPem = Files.writeString(dir.resolve("example.com.crt"), pem("CERTIFICATE", cert.getEncoded()));
        // getEncoded() of a private key is PKCS#8, which is what "PRIVATE KEY" PEM holds.
        Path keyPem = Files.writeString(dir.resolve("example.com.key"), pem("PRIVATE KEY", key.getEncoded()));
        return new ExampleComCertificate(certPem, keyPem);
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
