package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class BadRecordLogTest {

    private static final String NOTICE =
            "3 NOT_A_FRAME records in 60 s: the next are not logged for the rest of this interval"
                    + " (they are still dead-lettered)";

    private final AtomicLong clock = new AtomicLong(1_000);
    private final BadRecordLog log =
            new BadRecordLog(
                    LoggerFactory.getLogger(BadRecordLogTest.class),
                    Level.WARN,
                    3,
                    Duration.ofMinutes(1),
                    clock::get);

    private List<List<String>> admit(String reason, int from, int to) {
        List<List<String>> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(log.admit(reason, "record " + i));
        }
        return out;
    }

    @Test
    void shouldLogOneLineARecordUpToTheLimitThenSayOnceThatTheReasonGoesQuiet() {
        // When five records of one reason come within a minute, with a limit of three
        List<List<String>> lines = admit("NOT_A_FRAME", 1, 5);

        // Then the first three are logged, the third with the notice, the rest not at all
        assertEquals(
                List.of(
                        List.of("record 1"),
                        List.of("record 2"),
                        List.of("record 3", NOTICE),
                        List.of(),
                        List.of()),
                lines);
    }

    @Test
    void shouldCountTheUnloggedRecordsInTheFirstLineOfTheNextMinute() {
        // Given a reason that went quiet after three of five records
        admit("NOT_A_FRAME", 1, 5);

        // When a minute has passed and another record comes
        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        List<String> lines = log.admit("NOT_A_FRAME", "record 6");

        // Then it is logged and says how many were not
        assertEquals(List.of("record 6 (2 more NOT_A_FRAME records were not logged)"), lines);
    }

    @Test
    void shouldLimitEachReasonOnItsOwn() {
        // Given a reason that went quiet
        admit("NOT_A_FRAME", 1, 4);

        // When a record of another reason comes
        List<String> lines = log.admit("UNKNOWN_SCHEMA", "other 1");

        // Then it is logged
        assertEquals(List.of("other 1"), lines);
    }

    @Test
    void shouldKeepALineOnOneLineAndShort() {
        assertEquals("bad  bytes here", BadRecordLog.oneLine("bad\r\nbytes\there"));
        String cut = BadRecordLog.oneLine("x".repeat(2 * BadRecordLog.MAX_LINE));
        assertEquals("x".repeat(BadRecordLog.MAX_LINE) + "...", cut);
    }
}
