package io.switchboard.testkit.autobahn;

import java.util.List;

/**
 * What one case run came to, with everything needed to tell a developer what went wrong: the
 * verdict (and the plain-Autobahn verdict), the events seen against those expected, how the
 * connection ended, protocol violations by the server, and a trace of frames both ways.
 *
 * @param id               case id
 * @param description      what the case does
 * @param verdict          the verdict under the runner's rules (strict: a failing server must send the expected close code)
 * @param autobahnVerdict  the verdict under Autobahn's own rules
 * @param behavior         Autobahn's "behavior" (events) part
 * @param behaviorClose    Autobahn's "behaviorClose" part
 * @param result           why, for the events
 * @param resultClose      why, for the close
 * @param expected         the expected event list for OK
 * @param received         the events observed
 * @param closeCode        the server's close code (null: no close frame or none in it)
 * @param closeReason      the server's close reason
 * @param closedByMe       whether the client started the close handshake
 * @param wasClean         whether the close handshake completed and the server closed TCP
 * @param droppedByMe      whether the client had to drop TCP
 * @param violations       protocol violations by the server
 * @param trace            frames sent (&gt;) and received (&lt;)
 * @param millis           how long the case took
 * @param informational    whether the case is informational
 */
public record CaseResult(String id, String description, Verdict verdict, Verdict autobahnVerdict, Verdict behavior,
                         Verdict behaviorClose, String result, String resultClose, List<String> expected, List<String> received,
                         Integer closeCode, String closeReason, boolean closedByMe, boolean wasClean, boolean droppedByMe,
                         List<String> violations, List<String> trace, long millis, boolean informational) {

    /** True when the case passed: OK, or INFORMATIONAL for an informational case. */
    public boolean passed() {
        return verdict == Verdict.OK || (informational && verdict == Verdict.INFORMATIONAL);
    }

    /** The section number of the case. */
    public String section() {
        return id.substring(0, id.indexOf('.') < 0 ? id.length() : id.indexOf('.'));
    }

    /** A one-line summary: id, verdict, close code. */
    public String summary() {
        return id + " " + verdict.label() + (autobahnVerdict != verdict ? " (Autobahn rules: " + autobahnVerdict.label() + ")" : "")
                + " close=" + (closeCode == null ? "none" : closeCode) + " " + millis + "ms";
    }

    /** A multi-line account for a failure message: what was sent, expected and observed. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("Case ").append(id).append(": ").append(description).append('\n');
        sb.append("  verdict: ").append(verdict.label()).append(" (Autobahn rules: ").append(autobahnVerdict.label())
                .append("; behavior ").append(behavior.label()).append(", close ").append(behaviorClose.label()).append(")\n");
        sb.append("  events: ").append(result).append("\n    expected ").append(expected).append("\n    received ").append(received).append('\n');
        sb.append("  close: ").append(resultClose).append("; server close code ").append(closeCode == null ? "none" : closeCode)
                .append(closeReason != null && !closeReason.isEmpty() ? " \"" + closeReason + "\"" : "")
                .append(", closed by ").append(closedByMe ? "client" : "server").append(", clean ").append(wasClean)
                .append(droppedByMe ? ", client had to drop TCP" : "").append('\n');
        if (!violations.isEmpty()) sb.append("  server protocol violations: ").append(violations).append('\n');
        sb.append("  trace:\n");
        for (String t : trace) sb.append("    ").append(t).append('\n');
        return sb.toString();
    }
}
