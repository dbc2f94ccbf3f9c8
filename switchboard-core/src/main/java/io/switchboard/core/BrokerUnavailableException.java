package io.switchboard.core;

/**
 * The broker cannot be reached (a shared broker's server is down, unreachable or not answering in
 * time). Operations fail fast with it instead of waiting; nothing was stored. Transports answer it
 * as "try again later" (HTTP 503, a protocol error reply) and keep the client's connection open.
 */
public class BrokerUnavailableException extends RuntimeException {

    /** The broker is unavailable for the reason {@code message} gives; {@code cause} may be null. */
    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
