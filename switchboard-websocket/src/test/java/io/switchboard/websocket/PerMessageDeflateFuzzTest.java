package io.switchboard.websocket;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the permessage-deflate inflater (docs/fuzzing.md): arbitrary
 * compressed payloads in frames with RSV1 set. No message over the maximum size is delivered,
 * however far its payload would inflate, and inflating never costs memory out of proportion to it.
 *
 * <p>An input is one byte of options (bit 0: {@code client_no_context_takeover}), then messages,
 * each a byte (bit 0: binary, bits 1-2: frames to split it into, less one), a two-byte length and
 * that many bytes of payload. A normal build replays the corpus in {@code PerMessageDeflateFuzzTestInputs/}.
 */
class PerMessageDeflateFuzzTest {

    private static final int MAX_MESSAGE_SIZE = 16 * 1024;
    /**
     * Heap one exchange may allocate: a base, and for each message a few times the largest one
     * (buffers, the listener's copies); far below what a bomb would inflate to without the limit.
     */
    private static final long BASE_BUDGET = 1024 * 1024;
    private static final long BUDGET_PER_MESSAGE = 8L * MAX_MESSAGE_SIZE;

    private static final ServerSideExchange PLAIN = new ServerSideExchange(MAX_MESSAGE_SIZE, "permessage-deflate");
    private static final ServerSideExchange NO_CONTEXT = new ServerSideExchange(MAX_MESSAGE_SIZE,
            "permessage-deflate; client_no_context_takeover");

    @FuzzTest(maxDuration = "60s")
    void compressedMessagesStayWithinTheMaximumSize(byte[] input) {
        if (input.length == 0) {
            return;
        }
        ServerSideExchange server = (input[0] & 1) == 0 ? PLAIN : NO_CONTEXT;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int messages = writeCompressedFrames(input, out);
        byte[] frames = out.toByteArray();
        long budget = BASE_BUDGET + BUDGET_PER_MESSAGE * messages;
        long allocated = allocatedBy(() -> server.run(frames, 0));
        if (allocated > budget) {
            // The first run of a path loads (and instruments) classes; the second run is what it costs.
            allocated = allocatedBy(() -> server.run(frames, 0));
        }
        assertThat(allocated).as("bytes allocated for %d messages in %d bytes of frames", messages, frames.length)
                .isLessThanOrEqualTo(budget);
    }

    private static long allocatedBy(Runnable exchange) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        exchange.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** Writes the client frames an input describes (masked with a zero key, RSV1 on each message's first frame); returns how many messages. */
    private static int writeCompressedFrames(byte[] input, ByteArrayOutputStream out) {
        int messages = 0;
        int at = 1;
        while (at < input.length) {
            messages++;
            int flags = input[at++] & 0xFF;
            int length = at + 1 < input.length ? ((input[at] & 0xFF) << 8) | (input[at + 1] & 0xFF) : 0;
            at += 2;
            int start = Math.min(at, input.length);
            int end = Math.min(start + length, input.length);
            at = start + length;
            int opcode = (flags & 1) == 0 ? 0x1 : 0x2;
            int pieces = ((flags >> 1) & 3) + 1;
            int size = end - start;
            for (int i = 0; i < pieces; i++) {
                int from = start + size * i / pieces;
                int to = start + size * (i + 1) / pieces;
                boolean fin = i == pieces - 1;
                int b0 = (fin ? 0x80 : 0) | (i == 0 ? 0x40 | opcode : 0);
                writeFrameHeader(out, b0, to - from);
                out.write(input, from, to - from);
            }
        }
        return messages;
    }

    private static void writeFrameHeader(ByteArrayOutputStream out, int b0, int length) {
        out.write(b0);
        if (length < 126) {
            out.write(0x80 | length);
        } else {
            out.write(0x80 | 126);
            out.write(length >> 8);
            out.write(length);
        }
        out.write(new byte[4], 0, 4); // masking key 0: the payload is sent as is
    }
}
