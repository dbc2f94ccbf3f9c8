package io.switchboard.testkit.autobahn;

import io.switchboard.testkit.ClientDeflate;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.Hex;
import io.switchboard.testkit.RawWebSocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;

/**
 * One run of one case on one connection: Autobahn's fuzzing-client protocol state (who closed,
 * was it clean, what arrived) and the operations case scripts use. Single-threaded: the script
 * runs on the caller's thread and incoming frames are handled whenever the script waits.
 */
public final class Session {

    /** How long the client waits for the server's close reply, and then for the server to close TCP. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    final RawWebSocket ws;
    final ClientDeflate deflate;
    final List<Event> received = new ArrayList<>();
    final Map<Verdict, List<Event>> expected = new LinkedHashMap<>();
    ExpectedClose expectedClose = ExpectedClose.normal();
    boolean suppressClose;
    /** Set by message-driven cases (9.x, 12.x, 13.x); null means "compare received with expected". */
    Verdict behavior;
    String result;
    final List<String> violations = new ArrayList<>();
    final List<String> trace = new ArrayList<>();
    private int traceDropped;
    MessageHandler onMessage;

    boolean sentClose;
    boolean receivedClose;
    boolean closedByMe;
    boolean droppedByMe;
    boolean tcpClosed;
    Integer remoteCloseCode;
    String remoteCloseReason;
    private long closeDeadline = Long.MAX_VALUE;

    private ByteArrayOutputStream messageBuffer;
    private int messageOpcode = -1;
    private boolean messageCompressed;

    /** A hook for cases that react to each echoed message (Autobahn's onMessage override). */
    @FunctionalInterface
    public interface MessageHandler {
        /** Called for each complete message from the server. */
        void onMessage(Session session, Event message);
    }

    Session(RawWebSocket ws, ClientDeflate deflate) {
        this.ws = ws;
        this.deflate = deflate;
    }

    // ---- expectations ------------------------------------------------------------------------

    /** The events that make the case OK. */
    public void expectOk(Event... events) { expected.put(Verdict.OK, List.of(events)); }

    /** The events that make the case NON-STRICT. */
    public void expectNonStrict(Event... events) { expected.put(Verdict.NON_STRICT, List.of(events)); }

    /** How the connection must end. */
    public void expectClose(ExpectedClose close) { this.expectedClose = close; }

    /** Do not close automatically once the expected events arrived. */
    public void suppressClose() { this.suppressClose = true; }

    /** Installs a per-message hook (replaces recording and matching). */
    public void onMessage(MessageHandler handler) { this.onMessage = handler; }

    /** Sets the outcome directly (message-driven cases). */
    public void behavior(Verdict verdict, String why) {
        this.behavior = verdict;
        this.result = why;
    }

    /** The negotiated permessage-deflate, or null. */
    public ClientDeflate deflate() { return deflate; }

    // ---- sending -----------------------------------------------------------------------------

    /** Sends one frame (in one write). */
    public void send(Frame frame) {
        trace("> " + frame);
        raw(frame.encode());
    }

    /** Sends a data or control frame with the given bits and payload. */
    public void sendFrame(int opcode, boolean fin, int rsv, byte[] payload) {
        send(Frame.of(opcode, payload).withFin(fin).withRsv(rsv));
    }

    /** Sends a frame's bytes in chops of {@code chopSize} (each flushed separately). */
    public void sendChopped(Frame frame, int chopSize) {
        trace("> " + frame + " in chops of " + chopSize);
        if (tcpClosed || droppedByMe) return;
        try {
            ws.sendChopped(frame.encode(), chopSize, Duration.ZERO);
        } catch (IOException e) {
            // the server may have failed the connection at the first bad byte; what it did is judged from what we read
            trace("! write failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends raw bytes. */
    public void raw(byte[] bytes) {
        if (tcpClosed || droppedByMe) return;
        try {
            ws.send(bytes);
        } catch (IOException e) {
            // the server may have closed already; what it did is judged from what we read
            trace("! write failed: " + e);
        }
    }

    /**
     * Sends a message as Autobahn's {@code sendMessage} does: compressed when permessage-deflate was
     * negotiated, split into frames of {@code fragmentSize} payload bytes (0: one frame).
     */
    public void sendMessage(byte[] payload, boolean binary, int fragmentSize) {
        int opcode = binary ? Frame.BINARY : Frame.TEXT;
        byte[] data = payload;
        int rsv = 0;
        if (deflate != null) {
            data = deflate.compress(payload);
            rsv = 4;
        }
        if (fragmentSize <= 0 || data.length <= fragmentSize) {
            if (trace.size() < 40) trace("> message " + (binary ? "binary" : "text") + "[" + payload.length + "]" + (rsv != 0 ? " compressed to " + data.length : ""));
            raw(Frame.of(opcode, data).withRsv(rsv).encode());
            return;
        }
        if (trace.size() < 40) trace("> message " + (binary ? "binary" : "text") + "[" + payload.length + "] in fragments of " + fragmentSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / fragmentSize * 14 + 14);
        for (int i = 0; i < data.length; i += fragmentSize) {
            int n = Math.min(fragmentSize, data.length - i);
            byte[] chunk = new byte[n];
            System.arraycopy(data, i, chunk, 0, n);
            boolean first = i == 0;
            boolean last = i + n >= data.length;
            out.writeBytes(Frame.of(first ? opcode : Frame.CONTINUATION, chunk).withFin(last).withRsv(first ? rsv : 0).encode());
        }
        raw(out.toByteArray());
    }

    /** Starts the close handshake with {@code code} (Autobahn's sendClose). */
    public void sendClose(int code) {
        sendCloseFrame(Frame.close(code, new byte[0]));
    }

    /** Sends a close frame with any payload; the first one sent while open starts the closing handshake. */
    public void sendCloseFrame(Frame closeFrame) {
        if (tcpClosed || droppedByMe) return;
        if (!sentClose && !receivedClose) closedByMe = true;
        if (!sentClose) {
            sentClose = true;
            if (closeDeadline == Long.MAX_VALUE) closeDeadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        }
        send(closeFrame);
    }

    // ---- waiting -----------------------------------------------------------------------------

    /** Handles incoming frames for {@code d} (or until the TCP connection ends). */
    public void pause(Duration d) {
        pumpUntil(System.nanoTime() + d.toNanos());
    }

    /** True while neither side has sent a close frame and TCP is up (Autobahn's STATE_OPEN). */
    public boolean isOpen() {
        pumpUntil(System.nanoTime());
        return !sentClose && !receivedClose && !tcpClosed && !droppedByMe;
    }

    /** Records a timeout marker if the connection is still open (the fail-fast cases' probe). */
    public boolean markTimeout(String label) {
        if (!isOpen()) return false;
        received.add(Event.timeout(label));
        trace("  timeout " + label + " passed with the connection open");
        return true;
    }

    /** Handles incoming frames until the connection has ended (the close handshake's own timeouts apply). */
    public void pumpToEnd() {
        pumpUntil(Long.MAX_VALUE);
    }

    /** Autobahn's killAfter: after {@code d}, drop the TCP connection if it still exists. */
    public void killAfter(Duration d) {
        pumpUntil(System.nanoTime() + d.toNanos());
        if (!tcpClosed) drop("killAfter " + d.toMillis() + " ms");
    }

    /** Autobahn's closeAfter: after {@code d}, start the close handshake if nobody has; then wait it out. */
    public void closeAfter(Duration d) {
        pumpUntil(System.nanoTime() + d.toNanos());
        if (!tcpClosed && !sentClose && !receivedClose) sendClose(1000);
        pumpUntil(Long.MAX_VALUE);
    }

    private void drop(String why) {
        trace("! client drops TCP: " + why);
        droppedByMe = true;
        tcpClosed = true;
        ws.close();
    }

    private void pumpUntil(long deadline) {
        while (!tcpClosed) {
            long now = System.nanoTime();
            long until = Math.min(deadline, closeDeadline);
            if (now >= until) {
                if (now >= closeDeadline) {
                    drop(sentClose && receivedClose ? "server did not close TCP after the close handshake"
                            : "server did not answer the close frame");
                }
                return;
            }
            RawWebSocket.Incoming in;
            try {
                in = ws.poll(Duration.ofNanos(until - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drop("interrupted");
                return;
            }
            if (in == null) continue;
            if (in.isClosed()) {
                tcpClosed = true;
                trace("< TCP closed" + (in.error() != null ? " (" + in.error() + ")" : ""));
                return;
            }
            handle(in.frame());
        }
    }

    // ---- receiving ---------------------------------------------------------------------------

    private void handle(Frame f) {
        if (trace.size() < 60) trace("< " + f);
        else traceDropped++;
        if (f.masked()) violation("server sent a masked frame");
        if (receivedClose) violation("server sent a frame after its close frame: " + f);
        int op = f.opcode();
        if (op >= 8) {
            if (!f.fin()) violation("server sent a fragmented control frame");
            if (f.length() > 125) violation("server sent a control frame of " + f.length() + " bytes");
            if (f.rsv() != 0) violation("server set RSV bits on a control frame");
        }
        switch (op) {
            case Frame.PING -> {
                received.add(Event.ping(f.payload()));
                if (!sentClose) send(Frame.pong(f.payload()));
                finishWhenDone();
            }
            case Frame.PONG -> {
                received.add(Event.pong(f.payload()));
                finishWhenDone();
            }
            case Frame.CLOSE -> onClose(f);
            case Frame.TEXT, Frame.BINARY -> {
                if (messageBuffer != null) violation("server started a new message inside a fragmented one");
                messageBuffer = new ByteArrayOutputStream();
                messageOpcode = op;
                messageCompressed = (f.rsv() & 4) != 0;
                checkRsv(f, true);
                appendFragment(f);
            }
            case Frame.CONTINUATION -> {
                if (messageBuffer == null) {
                    violation("server sent a continuation frame with no message to continue");
                    return;
                }
                checkRsv(f, false);
                appendFragment(f);
            }
            default -> violation("server used reserved opcode " + op);
        }
    }

    private void checkRsv(Frame f, boolean first) {
        int allowed = first && deflate != null ? 4 : 0;
        if ((f.rsv() & ~allowed) != 0) violation("server set RSV bits " + f.rsv() + " without a negotiated meaning");
    }

    private void appendFragment(Frame f) {
        messageBuffer.writeBytes(f.payload());
        if (messageBuffer.size() > MAX_MESSAGE) {
            violation("message over " + MAX_MESSAGE + " bytes");
            messageBuffer = null;
            return;
        }
        if (!f.fin()) return;
        byte[] data = messageBuffer.toByteArray();
        messageBuffer = null;
        if (messageCompressed) {
            try {
                data = deflate.decompress(data, MAX_MESSAGE);
            } catch (DataFormatException e) {
                violation("server's compressed message does not inflate: " + e.getMessage());
                return;
            }
        }
        boolean binary = messageOpcode == Frame.BINARY;
        if (!binary && !validUtf8(data)) violation("server sent a text message that is not valid UTF-8: " + Hex.preview(data, 32));
        Event e = binary ? Event.binary(data) : Event.text(data);
        if (onMessage != null) {
            onMessage.onMessage(this, e);
        } else {
            received.add(e);
            finishWhenDone();
        }
    }

    private void onClose(Frame f) {
        byte[] p = f.payload();
        if (p.length == 1) violation("server sent a close frame with a 1-byte payload");
        if (p.length >= 2) {
            remoteCloseCode = f.closeCode();
            byte[] reason = f.closeReason();
            if (!validUtf8(reason)) violation("server's close reason is not valid UTF-8");
            remoteCloseReason = new String(reason, StandardCharsets.UTF_8);
        }
        boolean first = !receivedClose;
        receivedClose = true;
        if (!first) return;
        if (!sentClose) {
            closedByMe = false;
            sentClose = true;
            // reply as Autobahn does: echo the code (or nothing)
            send(remoteCloseCode != null ? Frame.close(remoteCloseCode, new byte[0]) : Frame.of(Frame.CLOSE, new byte[0]));
        }
        // now the server must close the TCP connection
        closeDeadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
    }

    /** Autobahn's finishWhenDone: once the received events equal every expected list, start closing. */
    void finishWhenDone() {
        if (expected.isEmpty()) return;
        for (List<Event> e : expected.values()) if (!e.equals(received)) return;
        if (expectedClose.closedByMe() && !suppressClose && !sentClose) sendClose(expectedClose.closeCodes().contains(1000) ? 1000 : expectedClose.closeCodes().iterator().next());
    }

    void violation(String v) {
        if (violations.size() < 10) violations.add(v);
        trace("! " + v);
    }

    void trace(String line) {
        if (trace.size() < 80) trace.add(line);
        else traceDropped++;
    }

    List<String> traceLines() {
        List<String> t = new ArrayList<>(trace);
        if (traceDropped > 0) t.add("... " + traceDropped + " more lines");
        return t;
    }

    static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
