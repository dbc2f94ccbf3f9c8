package io.switchboard.testkit.autobahn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The five data sets of Autobahn's sections 12 and 13, regenerated: Autobahn ships files we
 * cannot redistribute (a book, a picture, a PDF), so each is replaced by deterministic data of
 * the same kind, size and message type (text sets are ASCII, so any byte slice is valid UTF-8).
 *
 * @param name   Autobahn's name of the set
 * @param binary whether messages are sent as binary (else text)
 * @param data   the bytes messages are cut from, cyclically
 */
public record CompressionTestData(String name, boolean binary, byte[] data) {

    private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "price", "update", "channel",
            "message", "server", "client", "switch", "board", "offset", "epoch", "history", "presence",
            "socket", "frame", "deflate", "window", "context", "lorem", "ipsum", "dolor", "sit", "amet"};
    private static final String[] GERMAN = {"Habe", "nun,", "ach!", "Philosophie,", "Juristerei", "und",
            "Medizin,", "leider", "auch", "Theologie", "durchaus", "studiert,", "mit", "heißem", "Bemühn.",
            "Da", "steh", "ich", "nun,", "ich", "armer", "Tor!", "Und", "bin", "so", "klug", "als", "wie",
            "zuvor;", "Schüler", "Größe", "Mädchen", "Übermut", "Gretchen", "Mephistopheles", "Faust:"};

    private static CompressionTestData json;
    private static CompressionTestData lena;
    private static CompressionTestData faust;
    private static CompressionTestData html;
    private static CompressionTestData pdf;

    /** 12.1: "Large JSON data file" (utf8, 194237 bytes). */
    public static synchronized CompressionTestData json() {
        if (json == null) {
            Random r = new Random(1);
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; sb.length() < 194237; i++) {
                sb.append("{\"id\":").append(i).append(",\"name\":\"").append(word(r)).append(' ').append(word(r))
                        .append("\",\"tags\":[\"").append(word(r)).append("\",\"").append(word(r)).append("\"],\"score\":")
                        .append(r.nextInt(10000) / 100.0).append(",\"active\":").append(r.nextBoolean()).append("},\n");
            }
            json = new CompressionTestData("json_data1", false, cut(sb.toString().getBytes(StandardCharsets.US_ASCII), 194237));
        }
        return json;
    }

    /** 12.2: "Lena Picture, Bitmap 512x512 bw" (binary, 263222 bytes): a synthetic 8-bit grey bitmap. */
    public static synchronized CompressionTestData lena() {
        if (lena == null) {
            Random r = new Random(2);
            byte[] d = new byte[263222];
            d[0] = 'B';
            d[1] = 'M';
            for (int i = 0; i < 256; i++) {
                int o = 54 + i * 4;
                d[o] = d[o + 1] = d[o + 2] = (byte) i;
            }
            int o = 1078;
            for (int y = 0; y < 512; y++) {
                for (int x = 0; x < 512; x++) {
                    double v = 128 + 60 * Math.sin(x / 23.0) * Math.cos(y / 41.0) + 50 * Math.cos((x + y) / 17.0) + r.nextInt(9) - 4;
                    d[o++] = (byte) Math.max(0, Math.min(255, (int) v));
                }
            }
            lena = new CompressionTestData("lena512", true, d);
        }
        return lena;
    }

    /** 12.3: "Human readable text, Goethe's Faust I (German)" (binary, 222218 bytes): German-like verse. */
    public static synchronized CompressionTestData faust() {
        if (faust == null) {
            Random r = new Random(3);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (out.size() < 222218) {
                StringBuilder line = new StringBuilder();
                int n = 4 + r.nextInt(6);
                for (int i = 0; i < n; i++) line.append(i > 0 ? " " : "").append(GERMAN[r.nextInt(GERMAN.length)]);
                out.writeBytes(line.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            }
            faust = new CompressionTestData("gutenberg_faust", true, cut(out.toByteArray(), 222218));
        }
        return faust;
    }

    /** 12.4: "Large HTML file" (utf8, 83711 bytes). */
    public static synchronized CompressionTestData html() {
        if (html == null) {
            Random r = new Random(4);
            StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><title>Switchboard</title></head><body>\n");
            for (int i = 0; sb.length() < 83711; i++) {
                sb.append("<div class=\"row row-").append(i % 7).append("\"><a href=\"/").append(word(r)).append('/').append(i)
                        .append("\">").append(word(r)).append(' ').append(word(r)).append("</a><p>").append(word(r)).append(' ')
                        .append(word(r)).append(' ').append(word(r)).append("</p></div>\n");
            }
            html = new CompressionTestData("html_data1", false, cut(sb.toString().getBytes(StandardCharsets.US_ASCII), 83711));
        }
        return html;
    }

    /** 12.5: "A larger PDF" (binary, 1042328 bytes): PDF-like text objects between incompressible streams. */
    public static synchronized CompressionTestData pdf() {
        if (pdf == null) {
            Random r = new Random(5);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII));
            for (int obj = 1; out.size() < 1042328; obj++) {
                out.writeBytes((obj + " 0 obj\n<< /Type /Page /Length " + 2048 + " /Filter /FlateDecode >>\nstream\n").getBytes(StandardCharsets.US_ASCII));
                byte[] noise = new byte[1024 + r.nextInt(2048)];
                r.nextBytes(noise);
                out.writeBytes(noise);
                out.writeBytes("\nendstream\nendobj\n".getBytes(StandardCharsets.US_ASCII));
            }
            pdf = new CompressionTestData("ooms", true, cut(out.toByteArray(), 1042328));
        }
        return pdf;
    }

    /** The next {@code len} bytes from {@code from}, wrapping around. */
    byte[] slice(int from, int len) {
        byte[] m = new byte[len];
        for (int i = 0; i < len; ) {
            int p = (from + i) % data.length;
            int n = Math.min(len - i, data.length - p);
            System.arraycopy(data, p, m, i, n);
            i += n;
        }
        return m;
    }

    private static String word(Random r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    private static byte[] cut(byte[] b, int len) {
        return java.util.Arrays.copyOf(b, len);
    }
}
