package io.switchboard.server.poll;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The polls a server is holding, so that shutdown answers each of them instead of cutting them off. */
public final class HeldPolls {

    private final Set<LongPoll> polls = ConcurrentHashMap.newKeySet();

    void add(LongPoll poll) {
        polls.add(poll);
    }

    void remove(LongPoll poll) {
        polls.remove(poll);
    }

    /** How many polls are held right now. */
    public int count() {
        return polls.size();
    }

    /** Answers every held poll now (each on its own event loop) with what it has: the server is going away. */
    public void releaseAll() {
        for (LongPoll poll : polls) {
            poll.finishSoon();
        }
    }
}
