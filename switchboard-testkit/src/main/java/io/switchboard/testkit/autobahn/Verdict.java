package io.switchboard.testkit.autobahn;

/** Autobahn TestSuite's case outcomes, best first. Only {@link #OK} (or {@link #INFORMATIONAL} for informational cases) passes. */
public enum Verdict {
    /** Behaved exactly as expected. */
    OK("OK"),
    /** The case only records what happened (7.1.6, 7.13.x). */
    INFORMATIONAL("INFORMATIONAL"),
    /** Acceptable to Autobahn but not strict: e.g. invalid UTF-8 detected only at the end of the message. */
    NON_STRICT("NON-STRICT"),
    /** The feature under test was not negotiated (e.g. permessage-deflate declined). */
    UNIMPLEMENTED("UNIMPLEMENTED"),
    /** The server closed with a close code the case does not allow. */
    WRONG_CODE("WRONG CODE"),
    /** The close handshake was required but did not complete cleanly. */
    UNCLEAN("UNCLEAN"),
    /** The client had to drop the TCP connection: the server did not close it (in time). */
    FAILED_BY_CLIENT("FAILED BY CLIENT"),
    /** Anything else: wrong or missing events, connection closed by the wrong side. */
    FAILED("FAILED");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The label as Autobahn's reports print it. */
    public String label() { return label; }

    /** The worse of two verdicts. */
    public Verdict worst(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
