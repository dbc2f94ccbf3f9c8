package io.switchboard.server;

/**
 * Client-controlled text made safe for one log line: control characters (a newline would forge a
 * new log line) are escaped as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}, and long
 * text is cut, so a client can neither fake log entries nor flood the log.
 */
public final class Printable {

    /** The longest client text written into a log line. */
    static final int MAX_LENGTH = 256;

    private Printable() {
    }

    /** {@code text} quoted for a log line (null stays null). */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        int length = Math.min(text.length(), MAX_LENGTH);
        StringBuilder out = new StringBuilder(length + 8);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (text.length() > MAX_LENGTH) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
