package io.switchboard.testkit.autobahn;

import io.switchboard.testkit.ClientDeflate;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.Hex;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Autobahn TestSuite's case list for sections 1-7, 9, 10, 12 and 13, with Autobahn's ids,
 * payloads, timings and expectations (autobahntestsuite/case/*.py), for testing a server that
 * echoes every message.
 */
public final class AutobahnCases {

    private static final Frame[] NONE = new Frame[0];

    private AutobahnCases() {
    }

    /** Every case; sections 12 and 13 send {@code deflateMessages} messages per case (Autobahn: 1000). */
    public static List<AutobahnCase> all(int deflateMessages) {
        List<AutobahnCase> c = new ArrayList<>();
        section1(c);
        section2(c);
        section3(c);
        section4(c);
        section5(c);
        section6(c);
        section7(c);
        section9(c);
        section10(c);
        section12and13(c, deflateMessages);
        return c;
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    private static byte[] repeat(byte[] unit, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = unit[i % unit.length];
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static Duration secs(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }

    private static Frame frame(int opcode, boolean fin, String payload) {
        return Frame.of(opcode, utf8(payload)).withFin(fin);
    }

    private static void add(List<AutobahnCase> c, String id, String desc, AutobahnCase.Script s) {
        c.add(new AutobahnCase(id, desc, null, false, false, 1, s));
    }

    private static void add(List<AutobahnCase> c, String id, String desc, int weight, AutobahnCase.Script s) {
        c.add(new AutobahnCase(id, desc, null, false, false, weight, s));
    }

    /** How a run of frames is put on the wire: all in one write, one write per frame, or byte by byte. */
    private enum Chop { ONE, FRAMES, OCTETS }

    private static void sendAll(Session s, Chop chop, Frame... frames) {
        if (chop == Chop.ONE) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Frame f : frames) {
                s.trace("> " + f);
                out.writeBytes(f.encode());
            }
            s.raw(out.toByteArray());
        } else {
            for (Frame f : frames) {
                if (chop == Chop.OCTETS) s.sendChopped(f, 1);
                else {
                    s.send(f);
                    s.pause(Duration.ofMillis(5));
                }
            }
        }
    }

    // ---- 1 Framing ---------------------------------------------------------------------------

    private static void section1(List<AutobahnCase> c) {
        int[] lens = {0, 125, 126, 127, 128, 65535, 65536, 65536};
        for (int bin = 0; bin < 2; bin++) {
            for (int i = 0; i < lens.length; i++) {
                boolean binary = bin == 1;
                int len = lens[i];
                int chop = i == 7 ? 997 : 0;
                String id = "1." + (bin + 1) + "." + (i + 1);
                String desc = "Send " + (binary ? "binary" : "text") + " message with payload of length " + len
                        + (chop > 0 ? ", sent in chops of 997 octets" : "") + "; expect it echoed, then clean close 1000";
                add(c, id, desc, len > 1000 ? 2 : 1, s -> {
                    byte[] p = repeat(binary ? new byte[] {(byte) 0xfe} : utf8("*"), len);
                    s.expectOk(binary ? Event.binary(p) : Event.text(p));
                    Frame f = binary ? Frame.binary(p) : Frame.text(p);
                    if (chop > 0) s.sendChopped(f, chop);
                    else s.send(f);
                    s.killAfter(secs(len > 1000 ? 10 : 1));
                });
            }
        }
    }

    // ---- 2 Pings/Pongs -----------------------------------------------------------------------

    private static void section2(List<AutobahnCase> c) {
        pingCase(c, "2.1", new byte[0]);
        pingCase(c, "2.2", utf8("Hello, world!"));
        pingCase(c, "2.3", hex("00fffefdfcfb00ff"));
        pingCase(c, "2.4", repeat(new byte[] {(byte) 0xfe}, 125));
        add(c, "2.5", "Send ping with binary payload of 126 octets; expect the connection failed (1002)", s -> {
            s.expectOk();
            s.expectClose(ExpectedClose.failedByServer(1002));
            s.send(Frame.ping(repeat(new byte[] {(byte) 0xfe}, 126)));
            s.killAfter(secs(1));
        });
        add(c, "2.6", "Send ping with binary payload of 125 octets in octet-wise chops; expect pong", s -> {
            byte[] p = repeat(new byte[] {(byte) 0xfe}, 125);
            s.expectOk(Event.pong(p));
            s.sendChopped(Frame.ping(p), 1);
            s.closeAfter(secs(2));
        });
        add(c, "2.7", "Send unsolicited pong without payload; expect nothing, clean close", s -> {
            s.expectOk();
            s.send(Frame.pong(new byte[0]));
            s.closeAfter(secs(1));
        });
        add(c, "2.8", "Send unsolicited pong with payload; expect nothing, clean close", s -> {
            s.expectOk();
            s.send(Frame.pong(utf8("unsolicited pong payload")));
            s.closeAfter(secs(1));
        });
        add(c, "2.9", "Send unsolicited pong with payload, then ping; expect pong for the ping", s -> {
            s.expectOk(Event.pong("ping payload"));
            s.send(Frame.pong(utf8("unsolicited pong payload")));
            s.send(Frame.ping(utf8("ping payload")));
            s.closeAfter(secs(1));
        });
        for (int v = 0; v < 2; v++) {
            boolean octets = v == 1;
            add(c, octets ? "2.11" : "2.10", "Send 10 pings" + (octets ? " in octet-wise chops" : "") + "; expect 10 pongs in order", s -> {
                Event[] pongs = new Event[10];
                for (int i = 0; i < 10; i++) pongs[i] = Event.pong("payload-" + i);
                s.expectOk(pongs);
                for (int i = 0; i < 10; i++) {
                    Frame f = Frame.ping(utf8("payload-" + i));
                    if (octets) s.sendChopped(f, 1);
                    else s.send(f);
                }
                s.closeAfter(secs(3));
            });
        }
    }

    private static void pingCase(List<AutobahnCase> c, String id, byte[] payload) {
        add(c, id, "Send ping with payload 0x" + Hex.preview(payload, 16) + " (" + payload.length + " octets); expect pong with the same payload", s -> {
            s.expectOk(Event.pong(payload));
            s.send(Frame.ping(payload));
            s.closeAfter(secs(1));
        });
    }

    // ---- 3 Reserved bits ---------------------------------------------------------------------

    private static void section3(List<AutobahnCase> c) {
        add(c, "3.1", "Send small text message with RSV = 1; expect the connection failed (1002)", s -> {
            s.expectOk();
            s.expectClose(ExpectedClose.failedByServer(1002));
            s.send(Frame.text("Hello, world!").withRsv(1));
            s.killAfter(secs(1));
        });
        rsvAfterEcho(c, "3.2", 2, Chop.ONE, "Send small text message, then again with RSV = 2, then ping");
        rsvAfterEcho(c, "3.3", 3, Chop.FRAMES, "Send small text message, then again with RSV = 3, then ping, frame-wise");
        rsvAfterEcho(c, "3.4", 4, Chop.OCTETS, "Send small text message, then again with RSV = 4 octet-wise, then ping");
        add(c, "3.5", "Send small binary message with RSV = 5; expect the connection failed (1002)", s -> {
            s.expectOk();
            s.expectClose(ExpectedClose.failedByServer(1002));
            s.send(Frame.binary(hex("00fffefdfcfb00ff")).withRsv(5));
            s.killAfter(secs(1));
        });
        add(c, "3.6", "Send ping with RSV = 6; expect the connection failed (1002)", s -> {
            s.expectOk();
            s.expectClose(ExpectedClose.failedByServer(1002));
            s.send(Frame.ping(utf8("Hello, world!")).withRsv(6));
            s.killAfter(secs(1));
        });
        add(c, "3.7", "Send close with RSV = 7; expect the connection failed (1002)", s -> {
            s.expectOk();
            s.expectClose(ExpectedClose.failedByServer(1002));
            s.send(Frame.close(1000, "").withRsv(7));
            s.killAfter(secs(1));
        });
    }

    private static void rsvAfterEcho(List<AutobahnCase> c, String id, int rsv, Chop chop, String desc) {
        add(c, id, desc + "; expect the first echoed, then the connection failed (1002), no pong", s -> {
            s.expectOk(Event.text("Hello, world!"));
            s.expectNonStrict();
            s.expectClose(ExpectedClose.failedByServer(1002));
            if (chop == Chop.OCTETS) {
                sendAll(s, Chop.FRAMES, Frame.text("Hello, world!"));
                sendAll(s, Chop.OCTETS, Frame.text("Hello, world!").withRsv(rsv));
                sendAll(s, Chop.FRAMES, Frame.ping(new byte[0]));
            } else {
                sendAll(s, chop, Frame.text("Hello, world!"), Frame.text("Hello, world!").withRsv(rsv), Frame.ping(new byte[0]));
            }
            s.killAfter(secs(1));
        });
    }

    // ---- 4 Opcodes ---------------------------------------------------------------------------

    private static void section4(List<AutobahnCase> c) {
        int[][] groups = {{3, 4, 5, 6, 7}, {11, 12, 13, 14, 15}};
        for (int g = 0; g < 2; g++) {
            for (int i = 0; i < 5; i++) {
                int op = groups[g][i];
                String id = "4." + (g + 1) + "." + (i + 1);
                boolean withPayload = i == 1 || i >= 3;
                boolean afterEcho = i >= 2;
                add(c, id, (afterEcho ? "Send small text message, then frame with reserved opcode " : "Send frame with reserved opcode ") + op
                        + (withPayload ? " and payload" : "") + (afterEcho ? ", then ping" : "") + "; expect the connection failed (1002)", s -> {
                    Frame bad = Frame.of(op, withPayload ? utf8("reserved opcode payload") : new byte[0]);
                    s.expectClose(ExpectedClose.failedByServer(1002));
                    if (afterEcho) {
                        s.expectOk(Event.text("Hello, world!"));
                        s.expectNonStrict();
                        sendAll(s, Chop.ONE, Frame.text("Hello, world!"), bad, Frame.ping(new byte[0]));
                    } else {
                        s.expectOk();
                        s.send(bad);
                    }
                    s.killAfter(secs(1));
                });
            }
        }
    }

    // ---- 5 Fragmentation ---------------------------------------------------------------------

    private static void section5(List<AutobahnCase> c) {
        add(c, "5.1", "Send ping fragmented into 2 fragments; expect the connection failed (1002)", s -> {
            s.expectOk();
            s.expectClose(ExpectedClose.failedByServer(1002));
            sendAll(s, Chop.ONE, frame(Frame.PING, false, "fragment1"), frame(Frame.CONTINUATION, true, "fragment2"));
            s.killAfter(secs(1));
        });
        add(c, "5.2", "Send pong fragmented into 2 fragments; expect the connection failed (1002)", s -> {
            s.expectOk();
            s.expectClose(ExpectedClose.failedByServer(1002));
            sendAll(s, Chop.ONE, frame(Frame.PONG, false, "fragment1"), frame(Frame.CONTINUATION, true, "fragment2"));
            s.killAfter(secs(1));
        });
        Chop[] chops = {Chop.ONE, Chop.FRAMES, Chop.OCTETS};
        String[] chopDesc = {"", ", frame-wise chops", ", octet-wise chops"};
        for (int k = 0; k < 3; k++) {
            Chop chop = chops[k];
            add(c, "5." + (3 + k), "Send text message fragmented into 2 fragments" + chopDesc[k] + "; expect it echoed", s -> {
                s.expectOk(Event.text("fragment1fragment2"));
                sendAll(s, chop, frame(Frame.TEXT, false, "fragment1"), frame(Frame.CONTINUATION, true, "fragment2"));
                s.killAfter(secs(1));
            });
        }
        for (int k = 0; k < 3; k++) {
            Chop chop = chops[k];
            add(c, "5." + (6 + k), "Send text message in 2 fragments with a ping in between" + chopDesc[k] + "; expect pong, then the echo", s -> {
                s.expectOk(Event.pong("ping payload"), Event.text("fragment1fragment2"));
                sendAll(s, chop, frame(Frame.TEXT, false, "fragment1"), frame(Frame.PING, true, "ping payload"),
                        frame(Frame.CONTINUATION, true, "fragment2"));
                s.killAfter(secs(1));
            });
        }
        for (int fin = 1; fin >= 0; fin--) {
            for (int k = 0; k < 3; k++) {
                Chop chop = chops[k];
                boolean f = fin == 1;
                String id = "5." + ((f ? 9 : 12) + k);
                add(c, id, "Send continuation frame with FIN = " + f + " where there is nothing to continue, then text message"
                        + chopDesc[k] + "; expect the connection failed (1002)", s -> {
                    s.expectOk();
                    s.expectClose(ExpectedClose.failedByServer(1002));
                    sendAll(s, chop, frame(Frame.CONTINUATION, f, "non-continuation payload"), Frame.text("Hello, world!"));
                    s.killAfter(secs(1));
                });
            }
        }
        add(c, "5.15", "Send text message in 2 fragments, then continuation FIN = false with nothing to continue, then text;"
                + " expect the first echoed, then the connection failed (1002)", s -> {
            s.expectOk(Event.text("fragment1fragment2"));
            s.expectNonStrict();
            s.expectClose(ExpectedClose.failedByServer(1002));
            sendAll(s, Chop.ONE, frame(Frame.TEXT, false, "fragment1"), frame(Frame.CONTINUATION, true, "fragment2"),
                    frame(Frame.CONTINUATION, false, "fragment3"), frame(Frame.TEXT, true, "fragment4"));
            s.killAfter(secs(1));
        });
        for (int fin = 0; fin < 2; fin++) {
            boolean f = fin == 1;
            add(c, f ? "5.17" : "5.16", "Repeated 2x: continuation FIN = " + f + " with nothing to continue, then text message in 2 fragments;"
                    + " expect the connection failed (1002)", s -> {
                s.expectOk();
                s.expectClose(ExpectedClose.failedByServer(1002));
                List<Frame> fs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    fs.add(frame(Frame.CONTINUATION, f, "fragment1"));
                    fs.add(frame(Frame.TEXT, false, "fragment2"));
                    fs.add(frame(Frame.CONTINUATION, true, "fragment3"));
                }
                sendAll(s, Chop.ONE, fs.toArray(NONE));
                s.killAfter(secs(1));
            });
        }
        add(c, "5.18", "Send text message in 2 fragments, both with opcode text; expect the connection failed (1002)", s -> {
            s.expectOk();
            s.expectClose(ExpectedClose.failedByServer(1002));
            sendAll(s, Chop.ONE, frame(Frame.TEXT, false, "fragment1"), frame(Frame.TEXT, true, "fragment2"));
            s.killAfter(secs(1));
        });
        for (int k = 0; k < 2; k++) {
            Chop chop = k == 0 ? Chop.ONE : Chop.FRAMES;
            add(c, k == 0 ? "5.19" : "5.20", "Send text message in 5 fragments with 2 pings in between and a 1 s wait" + (k == 1 ? ", frame-wise" : "")
                    + "; expect both pongs at once, then the echo", 2, s -> {
                s.expectOk(Event.pong("pongme 1!"), Event.pong("pongme 2!"), Event.text("fragment1fragment2fragment3fragment4fragment5"));
                sendAll(s, chop, frame(Frame.TEXT, false, "fragment1"), frame(Frame.CONTINUATION, false, "fragment2"), frame(Frame.PING, true, "pongme 1!"));
                s.pause(secs(1));
                sendAll(s, chop, frame(Frame.CONTINUATION, false, "fragment3"), frame(Frame.CONTINUATION, false, "fragment4"),
                        frame(Frame.PING, true, "pongme 2!"), frame(Frame.CONTINUATION, true, "fragment5"));
                s.closeAfter(secs(1));
            });
        }
    }

    // ---- 6 UTF-8 handling --------------------------------------------------------------------

    private static final byte[] KOSME = hex("cebae1bdb9cf83cebcceb5");
    private static final String HELLO_UTF8 = "Hello-µ@ßöäüàá-UTF-8!!";

    private static void section6(List<AutobahnCase> c) {
        add(c, "6.1.1", "Send text message of length 0; expect it echoed", s -> {
            s.expectOk(Event.text(""));
            s.send(Frame.text(""));
            s.closeAfter(secs(1));
        });
        add(c, "6.1.2", "Send fragmented text message, 3 fragments each of length 0; expect an empty message echoed", s -> {
            s.expectOk(Event.text(""));
            sendAll(s, Chop.ONE, frame(Frame.TEXT, false, ""), frame(Frame.CONTINUATION, false, ""), frame(Frame.CONTINUATION, true, ""));
            s.closeAfter(secs(1));
        });
        add(c, "6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0, middle non-empty; expect it echoed", s -> {
            s.expectOk(Event.text("middle frame payload"));
            sendAll(s, Chop.ONE, frame(Frame.TEXT, false, ""), frame(Frame.CONTINUATION, false, "middle frame payload"), frame(Frame.CONTINUATION, true, ""));
            s.closeAfter(secs(1));
        });
        add(c, "6.2.1", "Send a valid UTF-8 text message in one fragment; expect it echoed", s -> {
            s.expectOk(Event.text(HELLO_UTF8));
            s.send(Frame.text(HELLO_UTF8));
            s.closeAfter(secs(1));
        });
        add(c, "6.2.2", "Send a valid UTF-8 text message in two fragments, fragmented on a code point boundary; expect it echoed", s -> {
            s.expectOk(Event.text(HELLO_UTF8));
            sendAll(s, Chop.ONE, frame(Frame.TEXT, false, "Hello-µ@ßöä"), frame(Frame.CONTINUATION, true, "üàá-UTF-8!!"));
            s.closeAfter(secs(1));
        });
        add(c, "6.2.3", "Send a valid UTF-8 text message in fragments of 1 octet; expect it echoed", s -> {
            s.expectOk(Event.text(HELLO_UTF8));
            sendInFragments(s, utf8(HELLO_UTF8), 1);
            s.closeAfter(secs(1));
        });
        add(c, "6.2.4", "Send a valid UTF-8 text message (κόσμε) in fragments of 1 octet; expect it echoed", s -> {
            s.expectOk(Event.text(KOSME));
            sendInFragments(s, KOSME, 1);
            s.closeAfter(secs(1));
        });
        byte[] invalid = concat(KOSME, hex("eda080"), hex("656469746564"));
        add(c, "6.3.1", "Send invalid UTF-8 text message unfragmented (0x" + Hex.of(invalid) + "); expect the connection failed (1007)", s -> {
            s.expectOk();
            s.expectClose(ExpectedClose.failedByServer(1007));
            s.send(Frame.text(invalid));
            s.killAfter(secs(1));
        });
        add(c, "6.3.2", "Send invalid UTF-8 text message in fragments of 1 octet; expect the connection failed (1007)", s -> {
            s.expectOk();
            s.expectClose(ExpectedClose.failedByServer(1007));
            sendInFragments(s, invalid, 1);
            s.killAfter(secs(1));
        });
        byte[] ff = concat(KOSME, hex("f4908080"), hex("656469746564"));
        failFast(c, "6.4.1", "3 frames: valid, then one making it invalid (f4908080), then the rest", ff, 11, 15, false);
        failFast(c, "6.4.2", "3 frames: valid up to 0xf4, then the single invalid octet 0x90, then the rest", ff, 12, 13, false);
        failFast(c, "6.4.3", "one frame sent in 3 chops: valid, then the invalid part, then the rest", ff, 11, 15, true);
        failFast(c, "6.4.4", "one frame sent in 3 chops: valid up to 0xf4, then the single invalid octet 0x90, then the rest", ff, 12, 13, true);

        int group = 5;
        for (Utf8Sequences.Group g : Utf8Sequences.groups()) {
            int j = 1;
            for (Utf8Sequences.Seq seq : g.sequences()) {
                String id = "6." + group + "." + j++;
                byte[] p = seq.bytes();
                boolean valid = seq.valid();
                add(c, id, g.name() + ": send a text message with payload 0x" + Hex.of(p) + " which is "
                        + (valid ? "valid UTF-8; expect it echoed" : "not valid UTF-8; expect the connection failed (1007)"), s -> {
                    if (valid) {
                        s.expectOk(Event.text(p));
                    } else {
                        s.expectOk();
                        s.expectClose(ExpectedClose.failedByServer(1007));
                    }
                    s.send(Frame.text(p));
                    s.killAfter(secs(0.5));
                });
            }
            group++;
        }
    }

    private static void sendInFragments(Session s, byte[] payload, int size) {
        List<Frame> fs = new ArrayList<>();
        for (int i = 0; i < payload.length; i += size) {
            byte[] part = Arrays.copyOfRange(payload, i, Math.min(payload.length, i + size));
            fs.add(Frame.of(i == 0 ? Frame.TEXT : Frame.CONTINUATION, part).withFin(i + size >= payload.length));
        }
        sendAll(s, Chop.ONE, fs.toArray(NONE));
    }

    /** 6.4.x: the server must fail as soon as the invalid octet arrives, before the rest is sent. */
    private static void failFast(List<AutobahnCase> c, String id, String how, byte[] payload, int cut1, int cut2, boolean chops) {
        add(c, id, "Fail-fast on invalid UTF-8 (0x" + Hex.of(payload) + "), " + how + ", waiting 1 s after each part;"
                + " expect the connection failed (1007) right after the invalid part, before the rest is sent", 3, s -> {
            s.expectOk(Event.timeout("A"));
            s.expectNonStrict(Event.timeout("A"), Event.timeout("B"));
            s.expectClose(ExpectedClose.failedByServer(1007));
            byte[] p1 = Arrays.copyOfRange(payload, 0, cut1);
            byte[] p2 = Arrays.copyOfRange(payload, cut1, cut2);
            byte[] p3 = Arrays.copyOfRange(payload, cut2, payload.length);
            byte[] whole = chops ? Frame.text(payload).encode() : null;
            int headerLen = chops ? whole.length - payload.length : 0;
            if (chops) {
                s.trace("> one text frame of " + payload.length + " bytes, first chop: header + 0x" + Hex.of(p1));
                s.raw(Arrays.copyOfRange(whole, 0, headerLen + cut1));
            } else {
                s.send(Frame.text(p1).withFin(false));
            }
            s.pause(secs(1));
            if (!s.markTimeout("A")) {
                s.pumpToEnd();
                return;
            }
            if (chops) {
                s.trace("> next chop: 0x" + Hex.of(p2));
                s.raw(Arrays.copyOfRange(whole, headerLen + cut1, headerLen + cut2));
            } else {
                s.send(Frame.of(Frame.CONTINUATION, p2).withFin(false));
            }
            s.pause(secs(1));
            if (!s.markTimeout("B")) {
                s.pumpToEnd();
                return;
            }
            if (chops) {
                s.trace("> last chop: 0x" + Hex.of(p3));
                s.raw(Arrays.copyOfRange(whole, headerLen + cut2, whole.length));
            } else {
                s.send(Frame.of(Frame.CONTINUATION, p3));
            }
            s.killAfter(secs(1));
        });
    }

    // ---- 7 Close handling --------------------------------------------------------------------

    private static void section7(List<AutobahnCase> c) {
        add(c, "7.1.1", "Send a message followed by a close frame; expect the echo, then clean close 1000", s -> {
            s.expectOk(Event.text("Hello World!"));
            s.send(Frame.text("Hello World!"));
            s.killAfter(secs(1));
        });
        add(c, "7.1.2", "Send two close frames; expect clean close 1000", s -> {
            s.expectOk();
            s.sendClose(1000);
            s.send(Frame.of(Frame.CLOSE, new byte[0]));
            s.killAfter(secs(1));
        });
        add(c, "7.1.3", "Send a ping after the close frame; expect no pong, clean close 1000", s -> {
            s.expectOk();
            s.sendClose(1000);
            s.send(Frame.ping(new byte[0]));
            s.killAfter(secs(1));
        });
        add(c, "7.1.4", "Send a text message after the close frame; expect no echo, clean close 1000", s -> {
            s.expectOk();
            s.sendClose(1000);
            s.send(Frame.text("Hello World!"));
            s.killAfter(secs(1));
        });
        add(c, "7.1.5", "Send a message fragment, a close frame, then the last fragment; expect no echo, clean close 1000", s -> {
            s.expectOk();
            s.send(frame(Frame.TEXT, false, "fragment1"));
            s.sendClose(1000);
            s.send(frame(Frame.CONTINUATION, true, "fragment2"));
            s.killAfter(secs(1));
        });
        c.add(new AutobahnCase("7.1.6", "Send 256K message followed by close then a ping (informational)", null, true, false, 2, s -> {
            s.suppressClose();
            s.expectOk(Event.text("Hello World!"));
            s.expectNonStrict();
            s.send(Frame.text(repeat(utf8("BAsd7&jh23"), 256 * 1024)));
            s.send(Frame.text("Hello World!"));
            s.sendClose(1000);
            s.send(Frame.ping(new byte[0]));
            s.killAfter(secs(1));
        }));
        closeCase(c, "7.3.1", "Send a close frame with payload length 0; expect clean close", Frame.of(Frame.CLOSE, new byte[0]), ExpectedClose.normal());
        closeCase(c, "7.3.2", "Send a close frame with payload length 1; expect close 1002 or TCP drop", Frame.of(Frame.CLOSE, utf8("a")),
                new ExpectedClose(true, java.util.Set.of(1002), false));
        closeCase(c, "7.3.3", "Send a close frame with status code only (1000); expect clean close 1000", Frame.close(1000, ""), ExpectedClose.normal());
        closeCase(c, "7.3.4", "Send a close frame with close code and reason; expect clean close 1000", Frame.close(1000, "Hello World!"), ExpectedClose.normal());
        closeCase(c, "7.3.5", "Send a close frame with close code and a 123-octet reason; expect clean close 1000",
                Frame.close(1000, "*".repeat(123)), ExpectedClose.normal());
        closeCase(c, "7.3.6", "Send a close frame with close code and a 124-octet reason (payload 126 > 125); expect close 1002",
                Frame.close(1000, "*".repeat(124)), new ExpectedClose(true, java.util.Set.of(1002), false));
        closeCase(c, "7.5.1", "Send a close frame with a reason that is not valid UTF-8; expect close 1007",
                Frame.close(1000, concat(KOSME, hex("eda080"), hex("656469746564"))), new ExpectedClose(true, java.util.Set.of(1007), false));
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        for (int i = 0; i < valid.length; i++) {
            closeCase(c, "7.7." + (i + 1), "Send close with valid close code " + valid[i] + "; expect clean close with 1000 or the echoed code",
                    Frame.close(valid[i], ""), new ExpectedClose(true, java.util.Set.copyOf(List.of(1000, valid[i])), true));
        }
        int[] invalid = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
        for (int i = 0; i < invalid.length; i++) {
            closeCase(c, "7.9." + (i + 1), "Send close with invalid close code " + invalid[i] + "; expect close 1002 or TCP drop",
                    Frame.close(invalid[i], ""), new ExpectedClose(true, java.util.Set.of(1002), false));
        }
        int[] info = {5000, 65535};
        for (int i = 0; i < info.length; i++) {
            int code = info[i];
            c.add(new AutobahnCase("7.13." + (i + 1), "Send close with close code " + code + " (informational; strict: expect close 1002)",
                    null, true, true, 1, s -> {
                s.expectOk();
                s.expectClose(new ExpectedClose(true, java.util.Set.of(1002), false));
                s.suppressClose();
                s.sendCloseFrame(Frame.close(code, ""));
                s.killAfter(secs(1));
            }));
        }
    }

    private static void closeCase(List<AutobahnCase> c, String id, String desc, Frame close, ExpectedClose expected) {
        add(c, id, desc, s -> {
            s.expectOk();
            s.expectClose(expected);
            s.suppressClose();
            s.sendCloseFrame(close);
            s.killAfter(secs(1));
        });
    }

    // ---- 9 Limits/performance ----------------------------------------------------------------

    private static void section9(List<AutobahnCase> c) {
        int[] sizes = {64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20};
        int[] waits = {10, 10, 20, 40, 80, 100};
        for (int bin = 0; bin < 2; bin++) {
            boolean binary = bin == 1;
            for (int i = 0; i < sizes.length; i++) {
                int len = sizes[i];
                int wait = waits[i];
                bigMessage(c, "9." + (bin + 1) + "." + (i + 1), binary, len, 0, 0, wait,
                        "Send " + (binary ? "binary" : "text") + " message of " + human(len) + "; expect it echoed");
            }
        }
        int[] frags = {64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20};
        for (int bin = 0; bin < 2; bin++) {
            boolean binary = bin == 1;
            for (int i = 0; i < frags.length; i++) {
                bigMessage(c, "9." + (bin + 3) + "." + (i + 1), binary, 4 << 20, frags[i], 0, 100,
                        "Send fragmented " + (binary ? "binary" : "text") + " message of 4M in fragments of " + human(frags[i]) + "; expect it echoed");
            }
        }
        int[] chopSizes = {64, 128, 256, 512, 1024, 2048};
        for (int bin = 0; bin < 2; bin++) {
            boolean binary = bin == 1;
            for (int i = 0; i < chopSizes.length; i++) {
                bigMessage(c, "9." + (bin + 5) + "." + (i + 1), binary, 1 << 20, 0, chopSizes[i], 100,
                        "Send " + (binary ? "binary" : "text") + " message of 1M in chops of " + chopSizes[i] + " octets; expect it echoed");
            }
        }
        int[][] rtt = {{0, 60}, {16, 60}, {64, 60}, {256, 120}, {1024, 240}, {4096, 480}};
        for (int bin = 0; bin < 2; bin++) {
            boolean binary = bin == 1;
            for (int i = 0; i < rtt.length; i++) {
                int len = rtt[i][0];
                int wait = rtt[i][1];
                add(c, "9." + (bin + 7) + "." + (i + 1), "Send 1000 " + (binary ? "binary" : "text") + " messages of " + len
                        + " octets one after the other; expect each echoed", 4, s -> {
                    byte[] p = repeat(binary ? new byte[] {(byte) 0xfe} : utf8("*"), len);
                    Event want = binary ? Event.binary(p) : Event.text(p);
                    int[] count = {1};
                    s.behavior(Verdict.FAILED, "Case did not finish within " + wait + " seconds.");
                    s.onMessage((ss, e) -> {
                        if (!e.equals(want)) {
                            ss.behavior(Verdict.FAILED, "Echoed message " + count[0] + " differs: " + e);
                            ss.sendClose(1000);
                        } else if (count[0] < 1000) {
                            count[0]++;
                            ss.raw((binary ? Frame.binary(p) : Frame.text(p)).encode());
                        } else {
                            ss.behavior(Verdict.OK, "Received all 1000 echoed messages.");
                            ss.sendClose(1000);
                        }
                    });
                    s.send(binary ? Frame.binary(p) : Frame.text(p));
                    s.closeAfter(secs(wait));
                });
            }
        }
    }

    private static String human(int n) {
        return n >= 1 << 20 ? (n >> 20) + "M" : n >= 1 << 10 ? (n >> 10) + "k" : String.valueOf(n);
    }

    private static void bigMessage(List<AutobahnCase> c, String id, boolean binary, int len, int fragment, int chop, int wait, String desc) {
        add(c, id, desc, 5 + len / (256 << 10), s -> {
            byte[] p = repeat(binary ? new byte[] {(byte) 0xfe} : utf8(fragment > 0 ? "*" : "BAsd7&jh23"), len);
            s.behavior(Verdict.FAILED, "Did not receive message within " + wait + " seconds.");
            s.onMessage((ss, e) -> {
                if (e.kind() != (binary ? Event.Kind.BINARY : Event.Kind.TEXT)) {
                    ss.behavior(Verdict.FAILED, "Expected " + (binary ? "binary" : "text") + " message, got " + e.kind());
                } else if (!Arrays.equals(e.payload(), p)) {
                    ss.behavior(Verdict.FAILED, "Expected the " + len + "-octet payload echoed, got " + e);
                } else {
                    ss.behavior(Verdict.OK, "Received " + e.kind() + " message of length " + len + ".");
                }
                ss.sendClose(1000);
            });
            if (chop > 0) {
                s.sendChopped(binary ? Frame.binary(p) : Frame.text(p), chop);
            } else {
                s.sendMessage(p, binary, fragment);
            }
            s.closeAfter(secs(wait));
        });
    }

    // ---- 10 Misc -----------------------------------------------------------------------------

    private static void section10(List<AutobahnCase> c) {
        add(c, "10.1.1", "Send text message of 65536 octets in fragments of 1300 octets; expect it echoed", 2, s -> {
            byte[] p = repeat(utf8("*"), 65536);
            s.expectOk(Event.text(p));
            s.sendMessage(p, false, 1300);
            s.killAfter(secs(10));
        });
    }

    // ---- 12, 13 permessage-deflate -----------------------------------------------------------

    /** (payload length, case timeout in seconds, auto-fragment size), Autobahn's MSG_SIZES. */
    private static final int[][] MSG_SIZES = {
            {16, 60, 0}, {64, 60, 0}, {256, 120, 0}, {1024, 240, 0}, {4096, 480, 0}, {8192, 480, 0}, {16384, 480, 0},
            {32768, 480, 0}, {65536, 480, 0}, {131072, 480, 0},
            {8192, 480, 256}, {16384, 480, 256}, {32768, 480, 256}, {65536, 480, 256}, {131072, 480, 256},
            {131072, 480, 1024}, {131072, 480, 4096}, {131072, 480, 32768}};

    private static void section12and13(List<AutobahnCase> c, int count) {
        List<java.util.function.Supplier<CompressionTestData>> sets = List.of(CompressionTestData::json, CompressionTestData::lena,
                CompressionTestData::faust, CompressionTestData::html, CompressionTestData::pdf);
        String[] names = {"Large JSON data file (utf8)", "Bitmap 512x512 (binary)", "Human readable German text (binary)",
                "Large HTML file (utf8)", "A larger PDF (binary)"};
        String defaultOffer = ClientDeflate.offer(true, true, false, 0);
        for (int j = 0; j < sets.size(); j++) {
            for (int i = 0; i < MSG_SIZES.length; i++) {
                deflateCase(c, "12." + (j + 1) + "." + (i + 1), names[j], sets.get(j), MSG_SIZES[i], count, defaultOffer);
            }
        }
        String[] offers = {
                defaultOffer,
                ClientDeflate.offer(true, true, true, 0),
                ClientDeflate.offer(true, true, false, 8),
                ClientDeflate.offer(true, true, false, 15),
                ClientDeflate.offer(true, true, true, 8),
                ClientDeflate.offer(true, true, true, 15),
                ClientDeflate.offer(true, true, true, 8) + ", " + ClientDeflate.offer(true, true, true, 0) + ", " + defaultOffer};
        for (int j = 0; j < offers.length; j++) {
            for (int i = 0; i < MSG_SIZES.length; i++) {
                deflateCase(c, "13." + (j + 1) + "." + (i + 1), names[0], sets.get(0), MSG_SIZES[i], count, offers[j]);
            }
        }
    }

    private static void deflateCase(List<AutobahnCase> c, String id, String setName, java.util.function.Supplier<CompressionTestData> set,
                                    int[] size, int count, String offer) {
        int len = size[0];
        int wait = size[1];
        int frag = size[2];
        String desc = "Offer \"" + offer + "\"; send " + count + " compressed messages of " + len + " octets from " + setName
                + (frag > 0 ? ", auto-fragmented to " + frag + " octets" : "") + "; expect each echoed";
        c.add(new AutobahnCase(id, desc, offer, false, false, 1 + (len * (long) count > (16 << 20) ? 6 : 0), s -> {
            if (s.deflate() == null) {
                s.behavior(Verdict.UNIMPLEMENTED, "The server did not accept the permessage-deflate offer.");
                s.sendClose(1000);
                s.closeAfter(Duration.ZERO);
                return;
            }
            CompressionTestData data = set.get();
            int[] state = {0, 0}; // messages sent, read pointer
            byte[][] last = new byte[1][];
            Runnable sendOne = () -> {
                last[0] = data.slice(state[1], len);
                state[1] = (state[1] + len) % data.data().length;
                state[0]++;
                s.sendMessage(last[0], data.binary(), frag);
            };
            s.behavior(Verdict.FAILED, "Case did not finish within " + wait + " seconds.");
            s.onMessage((ss, e) -> {
                boolean binary = e.kind() == Event.Kind.BINARY;
                if (binary != data.binary() || !Arrays.equals(e.payload(), last[0])) {
                    ss.behavior(Verdict.FAILED, "Echoed message " + state[0] + " differs from what was sent (got " + e + ", binary " + binary + ").");
                    ss.sendClose(1000);
                } else if (state[0] < count) {
                    sendOne.run();
                } else {
                    ss.behavior(Verdict.OK, "Received all " + count + " echoed messages.");
                    ss.sendClose(1000);
                }
            });
            sendOne.run();
            s.closeAfter(secs(wait));
        }));
    }
}
