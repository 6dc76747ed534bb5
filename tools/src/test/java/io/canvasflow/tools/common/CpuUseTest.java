package io.canvasflow.tools.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuUseTest {

    @Test
    void shouldGroupThreadsByName() {
        assertEquals(
                CpuUse.Group.MODEL_THREADS,
                CpuUse.group("canvasflow-replay-bench-1t-2i-abc-0f6e-StreamThread-1"));
        assertEquals(CpuUse.Group.MODEL_THREADS, CpuUse.group("canvasflow-model-bench-bare"));
        assertEquals(
                CpuUse.Group.KAFKA_CLIENTS,
                CpuUse.group("kafka-producer-network-thread | app-StreamThread-1-producer"));
        assertEquals(CpuUse.Group.KAFKA_CLIENTS, CpuUse.group("mask-collector-masks-replay"));
        assertEquals(CpuUse.Group.OTHER_JAVA, CpuUse.group("data-plane-kafka-request-handler-0"));
        assertEquals(CpuUse.Group.OTHER_JAVA, CpuUse.group(null));
    }

    @Test
    void shouldSplitTheProcessTimeIntoGroupsAndNative() {
        // Given two snapshots 1 s apart: a stream thread ran 800 ms, a broker thread 100 ms, a
        // thread that started in between 50 ms, and the process 1,300 ms in all; the machine's 2
        // cores were busy 3 ticks of 4
        CpuUse.Snapshot from =
                new CpuUse.Snapshot(
                        0,
                        1_000_000_000L,
                        Map.of(1L, 200_000_000L, 2L, 0L),
                        Map.of(1L, "app-StreamThread-1", 2L, "kafka-request-handler-0"),
                        100,
                        200);
        CpuUse.Snapshot to =
                new CpuUse.Snapshot(
                        1_000_000_000L,
                        2_300_000_000L,
                        Map.of(1L, 1_000_000_000L, 2L, 100_000_000L, 3L, 50_000_000L),
                        Map.of(
                                1L,
                                "app-StreamThread-1",
                                2L,
                                "kafka-request-handler-0",
                                3L,
                                "kafka-producer-network-thread | p"),
                        103,
                        204);

        // When the usage between them is taken
        CpuUse.Usage u = CpuUse.between(from, to);

        // Then each group has its threads' time and native the rest of the process's
        assertEquals(1000, u.wallMs(), 1e-9);
        assertEquals(800, u.ms(CpuUse.Group.MODEL_THREADS), 1e-9);
        assertEquals(100, u.ms(CpuUse.Group.OTHER_JAVA), 1e-9);
        assertEquals(50, u.ms(CpuUse.Group.KAFKA_CLIENTS), 1e-9);
        assertEquals(350, u.nativeMs(), 1e-9);
        assertEquals(0.75, u.machineBusyShare(), 1e-9);
        assertTrue(u.cores() >= 1);
    }

    @Test
    void shouldMeasureThisThreadsWork() {
        // Given a snapshot, then 200 ms of arithmetic on this thread
        CpuUse.Snapshot from = CpuUse.snapshot();
        long end = System.nanoTime() + 200_000_000L;
        double x = 0;
        while (System.nanoTime() < end) {
            x += Math.sqrt(x + 1);
        }

        // Then the process was measured busy for at least most of it
        CpuUse.Usage u = CpuUse.between(from, CpuUse.snapshot());
        assertTrue(x > 0);
        assertTrue(u.processMs() >= 100, "process ms " + u.processMs());
        assertTrue(u.wallMs() >= 200, "wall ms " + u.wallMs());
    }
}
