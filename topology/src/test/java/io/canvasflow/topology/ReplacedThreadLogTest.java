package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplacedThreadLogTest {

    @Test
    void shouldSayTheFirstReplacementAtOnceAndThenAtMostOneLineAMinuteWithTheCount() {
        // Given the log of replaced threads, on a clock the test moves
        AtomicLong now = new AtomicLong(1_000);
        ReplacedThreadLog log = new ReplacedThreadLog(now::get);

        // When a thread is replaced every 9 s for two minutes, as at a deleted frames topic
        List<Optional<String>> lines = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            lines.add(log.line("why"));
            now.addAndGet(9_000);
        }

        // Then the first is said, then one line a minute with how many went unsaid before it
        List<Optional<String>> expected = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            expected.add(Optional.empty());
        }
        expected.set(0, Optional.of("why"));
        expected.set(
                7,
                Optional.of("why (6 more replaced for it in the 63 s since the last such line)"));
        expected.set(
                14,
                Optional.of("why (6 more replaced for it in the 63 s since the last such line)"));
        assertEquals(expected, lines);
    }
}
