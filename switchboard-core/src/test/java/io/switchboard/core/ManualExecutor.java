package io.switchboard.core;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** An executor that queues tasks until the test runs them, counting every task it was given. */
final class ManualExecutor implements Executor {

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private int submitted;

    @Override
    public synchronized void execute(Runnable task) {
        submitted++;
        tasks.add(task);
    }

    /** How many tasks were ever submitted. */
    synchronized int submitted() {
        return submitted;
    }

    /** How many tasks wait to run. */
    synchronized int pending() {
        return tasks.size();
    }

    /** Runs queued tasks, including those they submit, until none is left; returns how many ran. */
    int runAll() {
        int ran = 0;
        Runnable task;
        while ((task = next()) != null) {
            task.run();
            ran++;
        }
        return ran;
    }

    private synchronized Runnable next() {
        return tasks.poll();
    }
}
