package io.canvasflow.clients;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * A table that a terminal shows live: each {@link #draw} replaces the previous one in place with
 * ANSI escapes (move up over it, clear to the end of the screen), and, while {@link
 * #routeStandardError} is in effect, every line written to {@code System.err} (SLF4J's simple
 * logger, Kafka's client warnings, a stack trace) is printed above the table instead of through it:
 * the table is erased, the line goes to the original standard error, and the table is drawn again
 * below it. Without that, a log line printed between two draws is overwritten by the next one and
 * the table's top lines stay behind as a torn copy.
 *
 * <p>Not in place (standard output is not a terminal), a draw simply prints the table after the
 * previous one and standard error is left alone.
 */
public final class LiveTable {

    private final PrintWriter out;
    private final boolean inPlace;
    private String drawn = "";
    private int lines;

    /**
     * Creates a table that prints to {@code out}.
     *
     * @param out where the table goes
     * @param inPlace whether to redraw it in place with ANSI escapes (a terminal)
     */
    public LiveTable(PrintWriter out, boolean inPlace) {
        this.out = Objects.requireNonNull(out, "out");
        this.inPlace = inPlace;
    }

    /**
     * Shows {@code text} in place of the table drawn before (or after it, when not in place).
     *
     * @param text the table, each line ending with a line separator
     */
    public synchronized void draw(String text) {
        erase();
        out.print(text);
        out.flush();
        drawn = text;
        lines = (int) text.lines().count();
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
