package io.canvasflow.clients;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A table that a terminal shows live: each {@link #draw} replaces the previous one in place with
 * ANSI escapes (move up over it, clear to the end of the screen), and, while {@link
 * #routeStandardError} is in effect, every line written to {@code System.err} (SLF4J's simple
 * logger, Kafka's client warnings, a stack trace) is printed above the table instead of through it:
 * the table is erased, the line goes to the original standard error, and the table is drawn again
 * below it. Without that, a log line printed between two draws is overwritten by the next one and
 * the table's top lines stay behind as a torn copy.
 *
 * <p>In place, each table line is cut to the terminal's width (from {@code COLUMNS}, else {@code
 * stty size} on {@code /dev/tty}; not cut when neither tells): a line that wrapped would take two
 * rows while the redraw moves up over one per line, and leave a torn copy behind as well.
 *
 * <p>Not in place (standard output is not a terminal), a draw prints the table after the previous
 * one, at most once every {@link #OFF_TERMINAL_EVERY_SECONDS} seconds (a log of masks printed a
 * table a second), the last one always, and standard error is left alone.
 */
public final class LiveTable {

    /** Off a terminal, how often a table is printed, the last one apart. */
    static final long OFF_TERMINAL_EVERY_SECONDS = 10;

    private final PrintWriter out;
    private final boolean inPlace;
    private final int columns;
    private final LongSupplier nanoClock;
    private long printedAt;
    private boolean printed;
    private String drawn = "";
    private int lines;

    /**
     * Creates a table that prints to {@code out}.
     *
     * @param out where the table goes
     * @param inPlace whether to redraw it in place with ANSI escapes (a terminal)
     */
    public LiveTable(PrintWriter out, boolean inPlace) {
        this(out, inPlace, inPlace ? terminalColumns() : 0);
    }

    /**
     * Creates a table for a terminal of a known width.
     *
     * @param columns the terminal's width; 0 when unknown (lines are not cut)
     */
    LiveTable(PrintWriter out, boolean inPlace, int columns) {
        this(out, inPlace, columns, System::nanoTime);
    }

    /** Creates a table with a clock of its own, in nanoseconds, for the pace off a terminal. */
    LiveTable(PrintWriter out, boolean inPlace, int columns, LongSupplier nanoClock) {
        this.out = Objects.requireNonNull(out, "out");
        this.inPlace = inPlace;
        this.columns = columns;
        this.nanoClock = nanoClock;
    }

    /**
     * Shows {@code text} in place of the table drawn before (or after it, when not in place).
     *
     * @param text the table, each line ending with a line separator
     */
    public synchronized void draw(String text) {
        if (!inPlace) {
            long now = nanoClock.getAsLong();
            if (printed && now - printedAt < TimeUnit.SECONDS.toNanos(OFF_TERMINAL_EVERY_SECONDS)) {
                return;
            }
            printed = true;
            printedAt = now;
        }
        show(inPlace && columns > 0 ? cut(text, columns - 1) : text);
    }

    /**
     * Shows the last table in full, lines not cut: nothing moves over it again, so a long line may
     * wrap. Lines logged after it print below it.
     *
     * @param text the table, each line ending with a line separator
     */
    public synchronized void drawLast(String text) {
        show(text);
        drawn = "";
        lines = 0;
    }

    private void show(String shown) {
        erase();
        out.print(shown);
        out.flush();
        drawn = shown;
        lines = (int) shown.lines().count();
    }

    /** Each line at most {@code width} characters (one short of the terminal: no wrap pending). */
    private static String cut(String text, int width) {
        StringBuilder shown = new StringBuilder();
        text.lines()
                .forEach(
                        line ->
                                shown.append(
                                                line.length() > width
                                                        ? line.substring(0, Math.max(0, width))
                                                        : line)
                                        .append(System.lineSeparator()));
        return shown.toString();
    }

    /** The terminal's width from {@code COLUMNS} or {@code stty size}; 0 when neither tells. */
    static int terminalColumns() {
        String env = System.getenv("COLUMNS");
        if (env != null && env.strip().matches("[1-9][0-9]{0,4}")) {
            return Integer.parseInt(env.strip());
        }
        File tty = new File("/dev/tty");
        if (!tty.canRead()) {
            return 0;
        }
        try {
            Process stty =
                    new ProcessBuilder("stty", "size")
                            .redirectInput(ProcessBuilder.Redirect.from(tty))
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!stty.waitFor(2, TimeUnit.SECONDS)) {
                stty.destroyForcibly();
                return 0;
            }
            String[] rowsColumns =
                    new String(stty.getInputStream().readAllBytes(), Charset.defaultCharset())
                            .strip()
                            .split("\\s+");
            return rowsColumns.length == 2 && rowsColumns[1].matches("[1-9][0-9]{0,4}")
                    ? Integer.parseInt(rowsColumns[1])
                    : 0;
        } catch (IOException e) {
            return 0; // no stty: lines are not cut
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * Until the returned handle is closed, sends each line written to {@code System.err} above the
     * table; does nothing when the table is not drawn in place. The lines still go to the standard
     * error stream that was in place, so a redirected {@code 2>} file gets them unchanged.
     *
     * @return closes the routing: a partial last line is written, {@code System.err} restored
     */
    public synchronized Routing routeStandardError() {
        if (!inPlace) {
            return () -> {};
        }
        PrintStream original = System.err;
        LineSplitter lines = new LineSplitter(original);
        PrintStream routed = new PrintStream(lines, true, Charset.defaultCharset());
        System.setErr(routed);
        return () -> {
            routed.flush();
            lines.flushPartialLine();
            if (System.err == routed) {
                System.setErr(original);
            }
        };
    }

    /** Stops sending standard error's lines through the table. */
    @FunctionalInterface
    public interface Routing extends AutoCloseable {
        @Override
        void close();
    }

    /** Erases the table, writes one line to {@code log}, and draws the table again below it. */
    synchronized void printAbove(String line, PrintStream log) {
        erase();
        out.flush();
        log.print(line);
        log.print(System.lineSeparator());
        log.flush();
        out.print(drawn);
        out.flush();
    }

    private void erase() {
        if (inPlace && lines > 0) {
            // To the start of the table's first line, then clear to the end of the screen.
            out.print("\033[" + lines + "F\033[J");
        }
    }

    /** Collects bytes into lines and prints each complete one above the table. */
    private final class LineSplitter extends OutputStream {

        private final PrintStream log;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSplitter(PrintStream log) {
            this.log = log;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String text = line.toString(Charset.defaultCharset());
                line.reset();
                printAbove(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text, log);
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        synchronized void flushPartialLine() {
            if (line.size() > 0) {
                String text = line.toString(Charset.defaultCharset());
                line.reset();
                printAbove(text, log);
            }
        }
    }
}
