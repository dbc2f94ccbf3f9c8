package io.switchboard.core;

/**
 * A cursor into a channel's stream: the offset of the last message seen and the channel's epoch
 * when it was seen. Offsets start at 1; offset 0 means "nothing seen yet".
 *
 * <p>On the wire a position is written {@code "<offset>:<epoch>"} (SSE {@code id:}, long-poll
 * {@code since=}); see {@link #parse(String)} and {@link #toString()}.
 *
 * @param offset the offset of the last message seen, 0 or more
 * @param epoch  the channel's epoch, never empty
 */
public record StreamPosition(long offset, String epoch) {

    /** Longest epoch accepted from a client; real epochs are far shorter. */
    static final int MAX_EPOCH_LENGTH = 64;

    /**
     * Parses {@code "<offset>:<epoch>"}; throws {@link IllegalArgumentException} with a readable
     * reason (a {@link ProtocolException} with {@link ErrorCode#BAD_CURSOR}).
     */
    public static StreamPosition parse(String text) {
        if (text == null || text.isEmpty()) {
            throw badCursor("cursor is empty");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw badCursor("cursor must be <offset>:<epoch>");
        }
        long offset = 0;
        for (int i = 0; i < colon; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || offset > (Long.MAX_VALUE - 9) / 10) {
                throw badCursor("cursor offset must be a non-negative integer");
            }
            offset = offset * 10 + (c - '0');
        }
        return of(offset, text.substring(colon + 1));
    }

    /** A validated position: {@code offset >= 0} and a non-empty, printable epoch; else {@link ErrorCode#BAD_CURSOR}. */
    public static StreamPosition of(long offset, String epoch) {
        if (offset < 0) {
            throw badCursor("cursor offset must be a non-negative integer");
        }
        if (epoch == null || epoch.isEmpty()) {
            throw badCursor("cursor epoch is empty");
        }
        if (epoch.length() > MAX_EPOCH_LENGTH) {
            throw badCursor("cursor epoch is longer than " + MAX_EPOCH_LENGTH + " characters");
        }
        for (int i = 0; i < epoch.length(); i++) {
            char c = epoch.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw badCursor("cursor epoch must be printable ASCII");
            }
        }
        return new StreamPosition(offset, epoch);
    }

    private static ProtocolException badCursor(String reason) {
        return new ProtocolException(ErrorCode.BAD_CURSOR, reason);
    }

    @Override
    public String toString() {
        return offset + ":" + epoch;
    }
}
