package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate extension (RFC 7692) for one connection: negotiation of an offer, and
 * the compressor and decompressor, created on first use so an idle connection holds no zlib state.
 *
 * <p>The JDK's zlib always compresses with a 32 KiB window. A {@code server_max_window_bits} below
 * 15 is honoured by compressing in pieces of that window's size, each ended by a full flush, which
 * empties zlib's dictionary: no back-reference reaches further than the window. Every
 * {@code client_max_window_bits} is accepted, since a 32 KiB inflater reads smaller windows.
 */
public final class PerMessageDeflate {

    /** The extension token. */
    public static final String NAME = "permessage-deflate";
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final int MAX_WINDOW = 1 << 15;

    private final boolean resetDeflater;
    private final boolean resetInflater;
    private final int threshold;
    private final int window;
    private final String responseHeader;
    private Deflater deflater;
    private Inflater inflater;

    private PerMessageDeflate(boolean resetDeflater, boolean resetInflater, int threshold, int windowBits, String responseHeader) {
        this.resetDeflater = resetDeflater;
        this.resetInflater = resetInflater;
        this.threshold = threshold;
        this.window = 1 << windowBits;
        this.responseHeader = responseHeader;
    }

    /**
     * Server side: picks the first acceptable permessage-deflate offer of a
     * {@code Sec-WebSocket-Extensions} request header, or returns null to decline them all.
     *
     * @param threshold messages shorter than this are sent uncompressed
     */
    public static PerMessageDeflate negotiate(String extensionsHeader, int threshold) {
        if (extensionsHeader == null) {
            return null;
        }
        for (String offer : extensionsHeader.split(",")) {
            PerMessageDeflate accepted = accept(offer, threshold);
            if (accepted != null) {
                return accepted;
            }
        }
        return null;
    }

    private static PerMessageDeflate accept(String offer, int threshold) {
        String[] parts = offer.split(";");
        if (!parts[0].trim().equalsIgnoreCase(NAME)) {
            return null;
        }
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        boolean clientBits = false;
        int serverBits = 0;
        List<String> response = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : param.substring(eq + 1).trim().replace("\"", "");
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (serverNoContext || value != null) return null;
                    serverNoContext = true;
                }
                case "client_no_context_takeover" -> {
                    if (clientNoContext || value != null) return null;
                    clientNoContext = true;
                }
                case "server_max_window_bits" -> {
                    if (serverBits != 0 || windowBits(value) < 0) return null;
                    serverBits = windowBits(value);
                }
                case "client_max_window_bits" -> {
                    if (clientBits || (value != null && windowBits(value) < 0)) return null;
                    clientBits = true;
                }
                default -> {
                    return null;
                }
            }
        }
        StringBuilder header = new StringBuilder(NAME);
        if (serverNoContext) {
            header.append("; server_no_context_takeover");
        }
        if (clientNoContext) {
            header.append("; client_no_context_takeover");
        }
        if (serverBits != 0) {
            // RFC 7692 section 7.1.2.1: a server accepting server_max_window_bits must answer it.
            header.append("; server_max_window_bits=").append(serverBits);
        }
        return new PerMessageDeflate(serverNoContext, clientNoContext, threshold, serverBits == 0 ? 15 : serverBits, header.toString());
    }

    private static int windowBits(String value) {
        if (value == null) {
            return -1;
        }
        try {
            int bits = Integer.parseInt(value);
            return bits >= 8 && bits <= 15 ? bits : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The {@code Sec-WebSocket-Extensions} value to answer with. */
    public String responseHeader() {
        return responseHeader;
    }

    /** Messages shorter than this many bytes are sent uncompressed (RSV1 clear). */
    public int threshold() {
        return threshold;
    }

    /** Compresses one whole message; the caller keeps ownership of {@code payload}. */
    public ByteBuf deflate(ByteBufAllocator alloc, ByteBuf payload) {
        if (deflater == null) {
            deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        ByteBuffer input = payload.nioBuffer();
        ByteBuf out = alloc.heapBuffer(Math.max(64, payload.readableBytes() / 2 + 16));
        if (window >= MAX_WINDOW) {
            deflate(input, out, Deflater.SYNC_FLUSH);
        } else {
            // A full flush after each window's worth of input: nothing after it refers back before it.
            int end = input.limit();
            do {
                input.limit(Math.min(end, input.position() + window));
                deflate(input, out, Deflater.FULL_FLUSH);
            } while (input.limit() < end);
        }
        // A sync (or full) flush ends with 00 00 FF FF; RFC 7692 section 7.2.1 says to drop it.
        out.writerIndex(out.writerIndex() - TAIL.length);
        if (resetDeflater) {
            deflater.reset();
        }
        return out;
    }

    private void deflate(ByteBuffer input, ByteBuf out, int flush) {
        deflater.setInput(input);
        while (true) {
            out.ensureWritable(64);
            int written = deflater.deflate(out.array(), out.arrayOffset() + out.writerIndex(), out.writableBytes(), flush);
            out.writerIndex(out.writerIndex() + written);
            if (!input.hasRemaining() && out.isWritable()) {
                break;
            }
        }
    }

    /**
     * Decompresses one whole message; the caller keeps ownership of {@code payload}.
     *
     * @throws TooBigException when the result would exceed {@code maxSize}
     */
    public ByteBuf inflate(ByteBufAllocator alloc, ByteBuf payload, long maxSize) throws DataFormatException, TooBigException {
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        ByteBuf out = alloc.heapBuffer(Math.max(64, payload.readableBytes() * 2));
        boolean ok = false;
        try {
            inflate(payload.nioBuffer(), out, maxSize);
            inflate(ByteBuffer.wrap(TAIL), out, maxSize);
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.release();
            }
            if (resetInflater) {
                inflater.reset();
            }
        }
    }

    private void inflate(ByteBuffer input, ByteBuf out, long maxSize) throws DataFormatException, TooBigException {
        inflater.setInput(input);
        while (input.hasRemaining() || !inflater.needsInput()) {
            out.ensureWritable(Math.max(1024, out.writableBytes() == 0 ? out.capacity() : 0));
            int n = inflater.inflate(out.array(), out.arrayOffset() + out.writerIndex(), out.writableBytes());
            out.writerIndex(out.writerIndex() + n);
            if (out.readableBytes() > maxSize) {
                throw new TooBigException();
            }
            if (n == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) {
                break;
            }
        }
    }

    /** Frees the zlib state. */
    public void close() {
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** An inflated message would be larger than allowed (close with 1009). */
    public static final class TooBigException extends Exception {
        TooBigException() {
            super(null, null, false, false);
        }
    }
}
