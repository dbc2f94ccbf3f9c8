package io.switchboard.core.protocol;

/**
 * What a publish asks for, however it arrived (a {@code /ws} publish command, {@code POST
 * /api/publish}, {@code POST /api/notifications}), as read by {@link CommandParser}.
 *
 * @param channel the channel to publish to; already validated
 * @param data    the message, compact JSON text
 */
public record PublishRequest(String channel, String data) {
}
