package io.switchboard.core;

/**
 * The rule for channel names: 1 to {@code maxLength} characters from {@code [A-Za-z0-9_\-:.@/=#,]}
 * (enough for {@code chat}, {@code user:42}, {@code room/a.b}, {@code mail@host}, base64-ish ids, and
 * user-limited channels such as {@code dialog:#42,43}).
 */
public final class ChannelName {

    private ChannelName() {
    }

    /**
     * Returns {@code name} when valid; otherwise throws a {@link ProtocolException} with
     * {@link ErrorCode#BAD_CHANNEL} saying what is wrong with it.
     */
    public static String validate(String name, int maxLength) {
        if (name == null || name.isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_CHANNEL, "channel name is empty");
        }
        if (name.length() > maxLength) {
            throw new ProtocolException(ErrorCode.BAD_CHANNEL,
                    "channel name is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAllowed(c)) {
                throw new ProtocolException(ErrorCode.BAD_CHANNEL, "channel name has a character outside "
                        + "[A-Za-z0-9_-:.@/=#,] at index " + i);
            }
        }
        return name;
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == ':' || c == '.' || c == '@' || c == '/' || c == '=' || c == '#' || c == ',';
    }
}
