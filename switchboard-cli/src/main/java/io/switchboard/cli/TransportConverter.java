package io.switchboard.cli;

import io.switchboard.server.Transport;
import picocli.CommandLine;

/** Reads {@code --transport}: auto, io_uring (or io-uring), epoll or nio, in any case. */
final class TransportConverter implements CommandLine.ITypeConverter<Transport> {

    @Override
    public Transport convert(String value) {
        try {
            return Transport.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
