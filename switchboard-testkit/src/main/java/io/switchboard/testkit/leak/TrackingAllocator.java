package io.switchboard.testkit.leak;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An allocator that remembers every buffer it hands out, so a test can check right after one
 * exchange that each was released ({@link #assertAllReleased()}), instead of waiting for the
 * garbage collector to let Netty's leak detector notice. Fuzz tests give it to an
 * {@code EmbeddedChannel} ({@code channel.config().setAllocator(...)}) and check after every input.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {

    private final ConcurrentLinkedQueue<ByteBuf> allocated = new ConcurrentLinkedQueue<>();

    /** Heap buffers by default, as the JDK's zlib and the tests' assertions read them. */
    public TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf track(ByteBuf buffer) {
        allocated.add(buffer);
        return buffer;
    }

    /** Throws when a buffer handed out since the last call is still referenced; then forgets them all. */
    public void assertAllReleased() {
        List<String> held = new ArrayList<>();
        for (ByteBuf buffer; (buffer = allocated.poll()) != null; ) {
            if (buffer.refCnt() != 0) {
                held.add(buffer.toString() + " refCnt " + buffer.refCnt());
            }
        }
        if (!held.isEmpty()) {
            throw new AssertionError(held.size() + " buffer(s) not released: " + held);
        }
    }
}
