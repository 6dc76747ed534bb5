package io.canvasflow.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The registry records a reader could not use, said in a few lines: a line each for the first few
 * of a topic in a minute, then, each time the reader asks, one line with how many more it skipped.
 * A compacted topic of another kind (not refused as a registry topic, since it keeps every key)
 * would otherwise be a line per record, thousands of them, and, from serve, as many {@code
 * model-errors} records from every instance. The allowance comes back after a minute, so that a new
 * bad record, after the old ones serve reads again at each start, still gets its own line and
 * reason.
 */
final class UnreadableRecords {

    /** How many unreadable records of one topic get a line of their own in a minute. */
    static final int LOGGED_PER_TOPIC = 5;

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final Logger log;
    private final String prefix;
    private final LongSupplier nanoClock;
    private final Map<String, Integer> counts = new TreeMap<>();
    private final Map<String, Integer> unsaid = new TreeMap<>();
    private final Map<String, Integer> saidThisMinute = new TreeMap<>();
    private final Map<String, Long> minuteFrom = new TreeMap<>();

    /**
     * @param log where the lines go, at WARN
     * @param prefix what each line begins with (empty, or ends with a space)
     */
    UnreadableRecords(Logger log, String prefix) {
        this(log, prefix, System::nanoTime);
    }

    UnreadableRecords(Logger log, String prefix, LongSupplier nanoClock) {
        this.log = log;
        this.prefix = prefix;
        this.nanoClock = nanoClock;
    }

    /**
     * Counts a record skipped, with a line of its own if it is among its topic's first few.
     *
     * @return the line said, or null when the record was only counted
     */
    String skipped(String topic, int partition, long offset, String why) {
        counts.merge(topic, 1, Integer::sum);
        long now = nanoClock.getAsLong();
        Long from = minuteFrom.get(topic);
        if (from == null || now - from >= MINUTE_NANOS) {
            minuteFrom.put(topic, now);
            saidThisMinute.put(topic, 0);
        }
        if (saidThisMinute.merge(topic, 1, Integer::sum) > LOGGED_PER_TOPIC) {
            unsaid.merge(topic, 1, Integer::sum);
            return null;
        }
        String line =
                "skipped the unreadable record at "
                        + topic
                        + " partition "
                        + partition
                        + " offset "
                        + offset
                        + ": "
                        + why;
        log.warn("{}{}", prefix, line);
        return line;
    }

    /**
     * Says, in a line a topic, how many records were skipped without a line since it last said.
     *
     * @return the lines said
     */
    List<String> summarise() {
        List<String> lines = new ArrayList<>();
        unsaid.forEach(
                (topic, more) -> {
                    int all = counts.get(topic);
                    String line =
                            all == more + LOGGED_PER_TOPIC
                                    ? "skipped "
                                            + all
                                            + " unreadable records on topic "
                                            + topic
                                            + " in all (the first "
                                            + LOGGED_PER_TOPIC
                                            + " above); is it a registry topic?"
                                    : "skipped "
                                            + more
                                            + " more unreadable records on topic "
                                            + topic
                                            + " ("
                                            + all
                                            + " in all); is it a registry topic?";
                    log.warn("{}{}", prefix, line);
                    lines.add(line);
                });
        unsaid.clear();
        return lines;
    }
}
