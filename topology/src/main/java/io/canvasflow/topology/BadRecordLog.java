package io.canvasflow.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The log of bad records: one line per record (where it was and why), at most {@value
 * #LINES_PER_MINUTE} lines a minute for each reason, so that a hostile producer cannot fill the
 * disk. The line that reaches the limit is followed by one saying that the reason goes quiet; the
 * first line after the minute says how many records went unlogged. The exception with its stack
 * trace is logged at DEBUG only: the dead-letter topic keeps every record and its reason.
 */
final class BadRecordLog {

    /** Lines per reason and minute. */
    static final int LINES_PER_MINUTE = 10;

    /** The longest line logged; a longer one is cut. */
    static final int MAX_LINE = 500;

    private final Logger log;
    private final Level level;
    private final int lines;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Map<Object, Window> windows = new HashMap<>();

    /** A reason's current window: when it began, lines logged in it, records left unlogged. */
    private static final class Window {
        long start;
        int logged;
        long unlogged;
    }

    /** Logs to {@code log} at {@code level}, {@value #LINES_PER_MINUTE} lines a minute a reason. */
    BadRecordLog(Logger log, Level level) {
        this(log, level, LINES_PER_MINUTE, Duration.ofMinutes(1), System::nanoTime);
    }

    BadRecordLog(Logger log, Level level, int lines, Duration window, LongSupplier nanoClock) {
        this.log = log;
        this.level = level;
        this.lines = lines;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Logs one bad record.
     *
     * @param reason what the limit counts by
     * @param line the record's coordinates and reason, in one line
     * @param exception the failure, logged with its stack trace at DEBUG only; may be null
     */
    void log(Object reason, String line, Throwable exception) {
        line = oneLine(line);
        for (String l : admit(reason, line)) {
            log.atLevel(level).log(l);
        }
        if (exception != null && log.isDebugEnabled()) {
            log.debug(line, exception);
        }
    }

    /**
     * The line with every control character (a line break in an exception message from hostile
     * bytes) as a space, and at most {@value #MAX_LINE} characters long.
     */
    static String oneLine(String line) {
        String clean = line.replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= MAX_LINE ? clean : clean.substring(0, MAX_LINE) + "...";
    }

    /**
     * The lines to log for one more bad record of a reason: its own line (with the count of those
     * left unlogged before it, if any), followed by a notice when it reaches the limit; none once
     * the limit is reached, until the window is over.
     */
    synchronized List<String> admit(Object reason, String line) {
        long now = nanoClock.getAsLong();
        Window w = windows.computeIfAbsent(reason, r -> new Window());
        long unlogged = 0;
        if (w.logged == 0 || now - w.start >= windowNanos) {
            unlogged = w.unlogged;
            w.start = now;
            w.logged = 0;
            w.unlogged = 0;
        }
        if (w.logged >= lines) {
            w.unlogged++;
            return List.of();
        }
        w.logged++;
        String own =
                unlogged == 0
                        ? line
                        : line + " (" + unlogged + " more " + reason + " records were not logged)";
        if (w.logged < lines) {
            return List.of(own);
        }
        return List.of(
                own,
                String.format(
                        "%d %s records in %d s: the next are not logged for the rest of this"
                                + " interval (they are still dead-lettered)",
                        lines, reason, Duration.ofNanos(windowNanos).toSeconds()));
    }
}
