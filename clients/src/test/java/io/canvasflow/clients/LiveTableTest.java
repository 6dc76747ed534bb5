package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LiveTableTest {

    private static final String FIRST = "camera  frames\nstreet       1\nlobby        1\n";
    private static final String SECOND = "camera  frames\nstreet      20\nlobby       19\n";
    private static final String THIRD = "camera  frames\nstreet      40\nlobby       41\n";

    private final TerminalScreen terminal = new TerminalScreen();
    private PrintStream testErr;

    @BeforeEach
    void standardErrorIsTheTerminal() {
        testErr = System.err;
        System.setErr(terminal.err());
    }

    @AfterEach
    void restoreStandardError() {
        System.setErr(testErr);
    }

    @Test
    void shouldPrintLogLinesAboveTheTableInsteadOfThroughIt() {
        // Given a table drawn in place on a terminal
        LiveTable table = new LiveTable(terminal.out(), true, 0);
        table.draw(FIRST);

        // When SLF4J's simple logger and a plain write to System.err print between two redraws
        try (LiveTable.Routing logs = table.routeStandardError()) {
            LoggerFactory.getLogger(LiveTableTest.class).warn("the broker answers slowly");
            table.draw(SECOND);
            System.err.println("a second line");
            System.err.print("a last line without its line feed");
            table.draw(THIRD);
        }

        // Then the screen shows each log line intact, above one complete table, the last one
        List<String> screen = terminal.lines();
        assertEquals(6, screen.size(), terminal.raw());
        assertTrue(
                screen.get(0)
                        .endsWith(
                                "WARN "
                                        + LiveTableTest.class.getName()
                                        + " - the broker"
                                        + " answers slowly"),
                screen.get(0));
        List<String> expected = new ArrayList<>(List.of(screen.get(0), "a second line"));
        expected.add("a last line without its line feed");
        expected.addAll(THIRD.lines().toList());
        assertEquals(expected, screen, terminal.raw());
        // and standard error is what it was
        assertSame(terminal.err(), System.err);
    }

    @Test
    void shouldCutTableLinesToANarrowTerminal() {
        // Given a terminal 40 columns wide and a table whose lines are 60
        TerminalScreen narrow = new TerminalScreen(40);
        System.setErr(narrow.err());
        LiveTable table = new LiveTable(narrow.out(), true, 40);
        String wide = "w".repeat(60) + "\n";
        String log = "a log line that is longer than the terminal is wide, so it wraps";

        // When it is drawn, a log line prints, and it is drawn again
        try (LiveTable.Routing logs = table.routeStandardError()) {
            table.draw("first\n" + wide);
            System.err.println(log);
            table.draw("second\n" + wide);
        }

        // Then each table line takes one row, cut one short of the width, and the redraw leaves
        // no torn copy; the log line wraps above it, intact
        assertEquals(
                List.of(log.substring(0, 40), log.substring(40), "second", "w".repeat(39)),
                narrow.lines(),
                narrow.raw());

        // When the last table is drawn, and a line logged after it
        try (LiveTable.Routing logs = table.routeStandardError()) {
            table.drawLast("last\n" + wide);
            System.err.println("closed");
        }

        // Then it replaces the live one, in full, wrapped by the terminal, and the line follows it
        assertEquals(
                List.of(
                        log.substring(0, 40),
                        log.substring(40),
                        "last",
                        "w".repeat(40),
                        "w".repeat(20),
                        "closed"),
                narrow.lines(),
                narrow.raw());
    }

    @Test
    void shouldLeaveStandardErrorAloneWhenNotDrawnInPlace() {
        // Given a table that is not on a terminal (output redirected to a file or a pipe)
        long[] now = {0};
        LiveTable table = new LiveTable(terminal.out(), false, 0, () -> now[0]);

        // When it is drawn twice, 10 s apart, with a log line in between, and again 1 s later
        try (LiveTable.Routing logs = table.routeStandardError()) {
            table.draw(FIRST);
            // Then standard error is not touched
            assertSame(terminal.err(), System.err);
            System.err.println("a log line");
            now[0] += TimeUnit.SECONDS.toNanos(LiveTable.OFF_TERMINAL_EVERY_SECONDS);
            table.draw(SECOND);
            now[0] += TimeUnit.SECONDS.toNanos(1);
            table.draw(FIRST);
        }

        // and the output is the two tables one after the other, no escapes: the third, a second
        // after the second, is not printed (a log filled with a table a second)
        List<String> expected = new ArrayList<>(FIRST.lines().toList());
        expected.add("a log line");
        expected.addAll(SECOND.lines().toList());
        assertEquals(expected, terminal.lines());
        assertEquals(String.join("\n", expected) + "\n", terminal.raw().replace("\r\n", "\n"));

        // while the last table is printed whenever it comes
        table.drawLast(FIRST);
        expected.addAll(FIRST.lines().toList());
        assertEquals(expected, terminal.lines());
    }
}
