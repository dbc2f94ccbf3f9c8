package io.switchboard.testkit.autobahn;

/**
 * One Autobahn TestSuite case: its id (e.g. {@code "6.4.1"}), what it does, and the script that
 * drives a {@link Session}.
 *
 * @param id            Autobahn's case id
 * @param description   what the case sends and expects, in Autobahn's words
 * @param offer         the {@code Sec-WebSocket-Extensions} offer for the handshake, or null
 * @param informational whether Autobahn only records the outcome (7.1.6, 7.13.x)
 * @param strictWhenInformational whether strict mode still judges this informational case by its
 *                      expectations (7.13.x: Switchboard answers codes of 5000 and up with 1002)
 * @param weight        rough cost, so the runner starts heavy cases first
 * @param script        the case's actions and expectations
 */
public record AutobahnCase(String id, String description, String offer, boolean informational,
                           boolean strictWhenInformational, int weight, Script script) {

    /** What a case does on an open connection (Autobahn's onOpen and what follows). */
    @FunctionalInterface
    public interface Script {
        /** Runs the case on {@code session}; returns when the connection has ended. */
        void run(Session session);
    }

    /** The section number: {@code "6"} for {@code "6.4.1"}. */
    public String section() {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }

    /** Orders ids numerically ("6.10.1" after "6.9.3"). */
    public static int compareIds(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }

    @Override
    public String toString() {
        return id + " " + description;
    }
}
