package io.switchboard.core;

/**
 * Who a subscriber is, for presence: a connection-unique client id, an optional user name and
 * optional application info (JSON text, may be null).
 */
public record ClientInfo(String clientId, String user, String info) {
}
