package io.canvasflow.tools.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                        200,
                        2);
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
                        204,
                        2);

        // When the usage between them is taken
        CpuUse.Usage u = CpuUse.between(from, to);

        // Then each group has its threads' time and native the rest of the process's
        assertEquals(1000, u.wallMs(), 1e-9);
        assertEquals(800, u.ms(CpuUse.Group.MODEL_THREADS), 1e-9);
        assertEquals(100, u.ms(CpuUse.Group.OTHER_JAVA), 1e-9);
        assertEquals(50, u.ms(CpuUse.Group.KAFKA_CLIENTS), 1e-9);
        assertEquals(350, u.nativeMs(), 1e-9);
        assertEquals(0.75, u.machineBusyShare(), 1e-9);
        assertEquals(2, u.cores());
    }

    @Test
    void shouldMeasureThisThreadsWork() {
        // Given a snapshot, then 200 ms of this thread's own CPU time on arithmetic (counted by
        // the thread's clock, not the wall's: on a busy machine the wall runs on without it)
        List<Integer> cores = CorePlacement.shared("test").machineCores();
        java.lang.management.ThreadMXBean threads =
                java.lang.management.ManagementFactory.getThreadMXBean();
        CpuUse.Snapshot from = CpuUse.snapshot(cores);
        long end = threads.getCurrentThreadCpuTime() + 200_000_000L;
        double x = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            x += Math.sqrt(x + 1);
        }

        // Then the process was measured busy for at least that, less a few clock ticks
        CpuUse.Usage u = CpuUse.between(from, CpuUse.snapshot(cores));
        assertTrue(x > 0);
        assertTrue(u.processMs() >= 170, "process ms " + u.processMs());
        assertTrue(u.wallMs() >= 200, "wall ms " + u.wallMs());
    }

    @Test
    void shouldAddUpTheTicksOfTheMachinesCoresOnly() {
        // Given /proc/stat with four cores, of which the machine measured is cores 1 and 3
        List<String> procStat =
                List.of(
                        "cpu  400 0 0 400 0 0 0 0 0 0",
                        "cpu0 100 0 0 100 0 0 0 0 0 0",
                        "cpu1 30 1 9 50 10 0 0 0 0 0",
                        "cpu2 100 0 0 100 0 0 0 0 0 0",
                        "cpu3 70 0 0 30 0 0 0 0 0 0",
                        "intr 12345");

        // When their ticks are read
        long[] ticks = CpuUse.machineTicks(procStat, List.of(1, 3));

        // Then busy is user + nice + system (idle and iowait are not), of theirs alone
        assertArrayEquals(new long[] {40 + 70, 100 + 100}, ticks);
        // and a core without a line leaves the machine unknown rather than smaller
        assertArrayEquals(new long[] {-1, -1}, CpuUse.machineTicks(procStat, List.of(1, 7)));
    }

    @Test
    void shouldMeasureTheMachinesCoresFromAThreadPinnedToOne() throws Exception {
        // Given the cores this process may use, at least two, and a thread that taskset pins to
        // the first of them, as bench pipeline pins itself beside its broker
        List<Integer> machine = CorePlacement.shared("test").machineCores();
        assumeTrue(machine.size() >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset")));
        int[] seen = new int[1];
        CpuUse.Usage[] usage = new CpuUse.Usage[1];
        Thread pinned =
                new Thread(
                        () -> {
                            new CorePlacement(true, List.of(machine.get(0)), machine, "test")
                                    .pinThisThreadToProcessorCores();
                            seen[0] = Runtime.getRuntime().availableProcessors();
                            CpuUse.Snapshot from = CpuUse.snapshot(machine);
                            usage[0] = CpuUse.between(from, CpuUse.snapshot(machine));
                        });

        // When it measures
        pinned.start();
        pinned.join();

        // Then the JVM counts one processor there, and the usage is of the machine's cores
        assertEquals(
                List.of(1, machine.size()),
                List.of(seen[0], usage[0].cores()),
                usage[0].toString());
    }
}
