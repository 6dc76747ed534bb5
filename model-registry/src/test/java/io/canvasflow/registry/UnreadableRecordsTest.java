package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class UnreadableRecordsTest {

    @Test
    void shouldGiveANewBadRecordItsOwnLineAMinuteAfterTheOldOnesUsedUpTheAllowance() {
        // Given seven stray records read at a start, said five in lines and two in a count
        AtomicLong nanos = new AtomicLong();
        UnreadableRecords unreadable = new UnreadableRecords(NOPLogger.NOP_LOGGER, "", nanos::get);
        List<String> said = new ArrayList<>();
        for (int offset = 0; offset < 7; offset++) {
            said.add(unreadable.skipped("models", 0, offset, "a Frame"));
        }
        said.addAll(unreadable.summarise());

        // When a different bad record comes two minutes later
        nanos.addAndGet(120_000_000_000L);
        String later = unreadable.skipped("models", 0, 40, "a truncated ModelPart");

        // Then the first start said five lines and a count, and the later record has its own
        // line, with its offset and reason
        assertEquals(
                List.of(
                        "skipped the unreadable record at models partition 0 offset 0: a Frame",
                        "skipped the unreadable record at models partition 0 offset 1: a Frame",
                        "skipped the unreadable record at models partition 0 offset 2: a Frame",
                        "skipped the unreadable record at models partition 0 offset 3: a Frame",
                        "skipped the unreadable record at models partition 0 offset 4: a Frame",
                        "skipped 7 unreadable records on topic models in all (the first 5"
                                + " above); is it a registry topic?"),
                said.stream().filter(l -> l != null).toList());
        assertEquals(
                "skipped the unreadable record at models partition 0 offset 40: a truncated"
                        + " ModelPart",
                later);
    }
}
