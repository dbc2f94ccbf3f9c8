package io.switchboard.cli;

import picocli.CommandLine;

/** Reads {@code --broker}: memory, redis://… or rediss://…. */
final class BrokerConverter implements CommandLine.ITypeConverter<BrokerChoice> {

    @Override
    public BrokerChoice convert(String value) {
        try {
            return BrokerChoice.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
