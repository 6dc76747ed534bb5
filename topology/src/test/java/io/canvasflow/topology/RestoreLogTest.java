package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RestoreLogTest {

    private static final TopicPartition P0 = new TopicPartition("app-canvas-store-changelog", 0);
    private static final TopicPartition P1 = new TopicPartition("app-canvas-store-changelog", 1);

    @Test
    void shouldTimeARestoreFromItsFirstPartitionsStartToItsLastPartitionsEnd() {
        // Given a restore listener on a clock the test moves
        AtomicLong now = new AtomicLong();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RestoreLog log = new RestoreLog(registry, now::get);

        // When Kafka Streams' state updater restores one partition, then another 1 s later
        log.onRestoreStart(P0, "canvas-store", 0, 600);
        log.onBatchRestored(P0, "canvas-store", 600, 600);
        now.set(300);
        log.onRestoreEnd(P0, "canvas-store", 600);
        now.set(1_300);
        log.onRestoreStart(P1, "canvas-store", 0, 400);
        log.onBatchRestored(P1, "canvas-store", 400, 400);
        now.set(2_000);
        log.onRestoreEnd(P1, "canvas-store", 400);

        // Then it is one restore of 1,000 records in 2 s
        assertEquals(2.0, gauge(registry, "canvasflow.state.restore.seconds"));
        assertEquals(1000.0, gauge(registry, "canvasflow.state.restore.records"));

        // And one that starts a minute later is a restore of its own
        now.set(62_000);
        log.onRestoreStart(P0, "canvas-store", 600, 610);
        log.onBatchRestored(P0, "canvas-store", 610, 10);
        now.set(62_500);
        log.onRestoreSuspended(P0, "canvas-store", 10);
        assertEquals(0.5, gauge(registry, "canvasflow.state.restore.seconds"));
        assertEquals(10.0, gauge(registry, "canvasflow.state.restore.records"));
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.find(name).gauge().value();
    }
}
