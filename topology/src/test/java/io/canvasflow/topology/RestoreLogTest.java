package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RestoreLogTest {

    private static final String STORE = "canvas-store";
    private static final TopicPartition P0 = new TopicPartition("app-canvas-store-changelog", 0);
    private static final TopicPartition P1 = new TopicPartition("app-canvas-store-changelog", 1);

    @Test
    void shouldTimeARestoreFromItsFirstPartitionsStartToItsLastPartitionsEnd() {
        // Given a restore listener on a clock the test moves
        AtomicLong now = new AtomicLong();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RestoreLog log = new RestoreLog(registry, now::get);

        // When Kafka Streams' state updater restores one partition, then another 1 s later
        restoreInOneBatch(log, P0, 0, 600);
        now.set(300);
        log.onRestoreEnd(P0, STORE, 600);
        now.set(1_300);
        restoreInOneBatch(log, P1, 0, 400);
        now.set(2_000);
        log.onRestoreEnd(P1, STORE, 400);

        // Then it is one restore of 1,000 records in 2 s
        assertEquals(List.of(2.0, 1000.0), lastRestore(registry));

        // And one that starts a minute later is a restore of its own
        now.set(62_000);
        restoreInOneBatch(log, P0, 600, 610);
        now.set(62_500);
        log.onRestoreSuspended(P0, STORE, 10);
        assertEquals(List.of(0.5, 10.0), lastRestore(registry));
    }

    @Test
    void shouldTellTheWatcherWhetherARestoreIsUnderWayAtEachStartBatchAndEnd() {
        // Given a restore log with a watcher
        List<Boolean> told = new ArrayList<>();
        RestoreLog log = new RestoreLog(new SimpleMeterRegistry(), () -> 0, told::add);

        // When two partitions restore, one ending before the other
        restoreInOneBatch(log, P0, 0, 600);
        restoreInOneBatch(log, P1, 0, 400);
        log.onRestoreEnd(P0, STORE, 600);
        log.onBatchRestored(P1, STORE, 500, 100);
        log.onRestoreSuspended(P1, STORE, 500);

        // Then the watcher hears of each, and that nothing is under way after the last end
        assertEquals(List.of(true, true, true, true, true, true, false), told);
    }

    /** Kafka Streams' state updater starting a partition's restore and restoring it in a batch. */
    private static void restoreInOneBatch(
            RestoreLog log, TopicPartition partition, long startOffset, long endOffset) {
        log.onRestoreStart(partition, STORE, startOffset, endOffset);
        log.onBatchRestored(partition, STORE, endOffset, endOffset - startOffset);
    }

    /** The last restore's seconds and records, as the gauges give them. */
    private static List<Double> lastRestore(SimpleMeterRegistry registry) {
        return List.of(
                gauge(registry, "canvasflow.state.restore.seconds"),
                gauge(registry, "canvasflow.state.restore.records"));
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.find(name).gauge().value();
    }
}
