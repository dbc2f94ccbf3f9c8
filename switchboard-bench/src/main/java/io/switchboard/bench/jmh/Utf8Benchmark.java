package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.websocket.Utf8Validator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Validating a 1 KiB text message as UTF-8: Switchboard's incremental validator (a byte automaton
 * with an eight-bytes-at-a-time ASCII skip) against decoding with the JDK's {@link CharsetDecoder}
 * (what a plain implementation does) and Netty's {@link ByteBufUtil#isText}.
 */
@State(Scope.Thread)
public class Utf8Benchmark extends MicroBenchmark {

    /** Message bytes. */
    @Param({"1024"})
    public int size;

    /** "ascii": chat JSON in ASCII; "mixed": with Cyrillic, CJK and emoji. */
    @Param({"ascii", "mixed"})
    public String text;

    private ByteBuf message;
    private ByteBuffer nioMessage;
    private CharsetDecoder decoder;
    private CharBuffer chars;

    /** The message in a direct buffer, a reporting decoder and room for its output. */
    @Setup(Level.Trial)
    public void setUp() {
        message = Payloads.direct(Payloads.text(size, text.equals("ascii")));
        nioMessage = message.nioBuffer();
        decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        chars = CharBuffer.allocate(size);
    }

    /** Frees the buffer. */
    @TearDown(Level.Trial)
    public void tearDown() {
        message.release();
    }

    /** Switchboard: {@link Utf8Validator#validate}. */
    @Benchmark
    public boolean switchboard() {
        return Utf8Validator.validate(Utf8Validator.ACCEPT, message, 0, size) == Utf8Validator.ACCEPT;
    }

    /** Baseline: decode with a JDK decoder that reports malformed input. */
    @Benchmark
    public boolean jdkCharsetDecoder() {
        decoder.reset();
        chars.clear();
        ByteBuffer in = nioMessage.duplicate();
        CoderResult result = decoder.decode(in, chars, true);
        return !result.isError() && !decoder.flush(chars).isError();
    }

    /** Baseline: Netty's {@link ByteBufUtil#isText}. */
    @Benchmark
    public boolean nettyIsText() {
        return ByteBufUtil.isText(message, StandardCharsets.UTF_8);
    }
}
