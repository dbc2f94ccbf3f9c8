package io.switchboard.cli;

import io.switchboard.core.access.Namespace;
import picocli.CommandLine;

import java.time.Duration;

/**
 * Reads {@code --namespace NAME:OPTIONS}: {@code room:publish}, {@code private:subscribe=token},
 * {@code default:publish,no-presence} ({@code default}, or an empty name, is the namespace of
 * channels without a colon). Options: {@code subscribe=anyone|authenticated|token}, {@code publish},
 * {@code no-presence}, {@code no-history}, {@code no-join-leave}, {@code history-size=N},
 * {@code history-ttl=DURATION}. Unnamed options keep the server's defaults (history size and age
 * from {@code --history-size} and {@code --history-ttl}, applied by {@link ServeCommand}).
 */
final class NamespaceConverter implements CommandLine.ITypeConverter<Namespace> {

    /** Marks a history size or age the spec did not name, to be filled from the server's defaults. */
    static final int UNSET_SIZE = -1;
    static final Duration UNSET_TTL = Duration.ofSeconds(-1);

    @Override
    public Namespace convert(String value) {
        String spec = value.trim();
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        if (name.equals("default")) {
            name = "";
        }
        if (!name.matches("[A-Za-z0-9_\\-.@/=]*")) {
            throw new CommandLine.TypeConversionException("'" + name + "' is not a namespace name");
        }
        Namespace.SubscribePolicy subscribe = Namespace.SubscribePolicy.ANYONE;
        boolean publish = false;
        boolean presence = true;
        boolean joinLeave = true;
        boolean history = true;
        int historySize = UNSET_SIZE;
        Duration historyTtl = UNSET_TTL;
        if (colon >= 0 && colon < spec.length() - 1) {
            for (String option : spec.substring(colon + 1).split(",")) {
                String o = option.trim();
                if (o.startsWith("subscribe=")) {
                    subscribe = switch (o.substring("subscribe=".length())) {
                        case "anyone" -> Namespace.SubscribePolicy.ANYONE;
                        case "authenticated" -> Namespace.SubscribePolicy.AUTHENTICATED;
                        case "token" -> Namespace.SubscribePolicy.TOKEN;
                        default -> throw new CommandLine.TypeConversionException("subscribe= takes anyone, authenticated or token, not '" + o + "'");
                    };
                } else if (o.startsWith("history-size=")) {
                    historySize = Integer.parseInt(o.substring("history-size=".length()));
                } else if (o.startsWith("history-ttl=")) {
                    historyTtl = new DurationConverter().convert(o.substring("history-ttl=".length()));
                } else {
                    switch (o) {
                        case "publish" -> publish = true;
                        case "no-presence" -> presence = false;
                        case "no-join-leave" -> joinLeave = false;
                        case "no-history" -> history = false;
                        default -> throw new CommandLine.TypeConversionException("unknown namespace option '" + o
                                + "' (subscribe=anyone|authenticated|token, publish, no-presence, no-history, no-join-leave, history-size=N, history-ttl=D)");
                    }
                }
            }
        }
        return new Namespace(name, subscribe, publish, presence, joinLeave, history, historySize, historyTtl);
    }
}
