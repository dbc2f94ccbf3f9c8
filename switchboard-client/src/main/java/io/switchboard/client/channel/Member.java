package io.switchboard.client.channel;

/**
 * A client present on a channel, as {@code presence} lists it.
 *
 * @param client the server's id for that connection
 * @param user   the user its verified connection token names, or null for an anonymous client
 */
public record Member(String client, String user) {
}
