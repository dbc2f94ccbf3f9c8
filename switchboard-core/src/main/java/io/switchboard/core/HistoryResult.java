package io.switchboard.core;

import java.util.List;

/**
 * Messages read from a channel's history, oldest first, and the channel's position when read.
 * {@code complete} is false when the requested cursor is older than the kept history or from
 * another epoch, so messages between it and the first returned one are lost.
 */
public record HistoryResult(List<Message> messages, StreamPosition position, boolean complete) {
}
