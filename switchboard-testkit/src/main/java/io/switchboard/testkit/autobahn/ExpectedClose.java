package io.switchboard.testkit.autobahn;

import java.util.Set;

/**
 * How a case must end, in Autobahn's terms.
 *
 * @param closedByMe   true when the test client starts the close handshake, false when the server
 *                     must fail the connection first
 * @param closeCodes   close codes the server may send (an absent code is also accepted, as in Autobahn)
 * @param requireClean whether the close handshake must complete with the server closing TCP
 */
public record ExpectedClose(boolean closedByMe, Set<Integer> closeCodes, boolean requireClean) {

    /** The client closes with 1000 once the expected events arrived; clean close required. */
    public static ExpectedClose normal() {
        return new ExpectedClose(true, Set.of(1000), true);
    }

    /** The server must fail the connection, with one of {@code codes} if it sends a close frame. */
    public static ExpectedClose failedByServer(Integer... codes) {
        return new ExpectedClose(false, Set.of(codes), false);
    }
}
