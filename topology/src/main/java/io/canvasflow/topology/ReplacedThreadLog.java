package io.canvasflow.topology;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Says the stream threads serve replaces after a failure it knows ({@link ThreadFailures#passing}):
 * the first at once, then at most one line a minute, with how many were replaced since the last. A
 * frames topic deleted under serve fails a new thread at each rebalance, every few seconds (11
 * lines in 100 s, seen in a review), while the cluster watch says the topic is gone once a minute.
 */
final class ReplacedThreadLog {

    /** The least time between two lines. */
    static final long QUIET_MS = 60_000;

    private final LongSupplier millis;
    private boolean said;
    private long saidAt;
    private int unsaid;

    /**
     * @param millis the clock, in milliseconds
     */
    ReplacedThreadLog(LongSupplier millis) {
        this.millis = millis;
    }

    /**
     * The line to log for one more thread replaced, if one is due.
     *
     * @param sentence why the thread was replaced
     * @return the sentence, with the count replaced since the last line where there were any; empty
     *     within a minute of the last line
     */
    synchronized Optional<String> line(String sentence) {
        long now = millis.getAsLong();
        if (said && now - saidAt < QUIET_MS) {
            unsaid++;
            return Optional.empty();
        }
        String line =
                unsaid == 0
                        ? sentence
                        : sentence
                                + " ("
                                + unsaid
                                + " more replaced for it in the "
                                + (now - saidAt) / 1000
                                + " s since the last such line)";
        said = true;
        saidAt = now;
        unsaid = 0;
        return Optional.of(line);
    }
}
