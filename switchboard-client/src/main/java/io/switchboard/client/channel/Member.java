package io.switchboard.client.channel;

/**
 * A client present on a channel, as {@code presence} lists it.
 *
 * @param client the server's id for that connection
 * @param user   the name it gave with {@code ?user=}, or null
 */
public record Member(String client, String user) {
}
