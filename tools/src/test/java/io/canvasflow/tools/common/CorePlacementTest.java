package io.canvasflow.tools.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CorePlacementTest {

    @Test
    void shouldReadTheKernelsCpuLists() {
        assertEquals(List.of(0, 1, 2, 3, 6), CorePlacement.parseList("0-3,6"));
        assertEquals(List.of(1), CorePlacement.parseList("1"));
    }

    @Test
    void shouldWriteThePlacementAsTheBenchmarksJson() {
        // Given a pinned placement
        CorePlacement p = new CorePlacement(true, List.of(0, 1), List.of(2), "broker on core 2");

        // When it is written for a report
        Map<String, Object> json = p.json();

        // Then its fields are there, in the reports' order
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("pinned", true);
        expected.put("processorCores", List.of(0, 1));
        expected.put("brokerCores", List.of(2));
        expected.put("description", "broker on core 2");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(json.entrySet()));
    }

    @Test
    void shouldPutTheBrokerOnTheLastCoreAndTheProcessorOnTheRest() {
        // Given the cores this test may use (the kernel's list)
        List<Integer> all = CorePlacement.allowedCores();

        // When the two are placed apart
        CorePlacement p = CorePlacement.separate();

        // Then, with two cores or more and taskset present, the broker has the last one alone
        if (p.pinned()) {
            assertEquals(List.of(all.get(all.size() - 1)), p.brokerCores());
            assertEquals(all.subList(0, all.size() - 1), p.processorCores());
            assertEquals("taskset", p.brokerPrefix().get(0));
            assertTrue(p.describe().contains("broker pinned to core"), p.describe());
        } else {
            // else nothing is pinned and the report says why
            assertEquals(List.of(), p.brokerPrefix());
            assertEquals(all, p.processorCores());
            assertFalse(p.describe().isBlank());
        }
    }

    @Test
    void shouldStartThreadsOnTheProcessorCoresAndGiveTheCallerItsCoresBack() throws Exception {
        CorePlacement p = CorePlacement.separate();
        assumeTrue(p.pinned(), "needs two cores and taskset: " + p.describe());
        // Given a caller thread on every core (its own thread, so the test runner's is untouched)
        AtomicReference<List<Integer>> started = new AtomicReference<>();
        AtomicReference<List<Integer>> callerBefore = new AtomicReference<>();
        AtomicReference<List<Integer>> callerAfter = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller =
                new Thread(
                        () -> {
                            try {
                                callerBefore.set(ownCores());
                                // When it starts a thread on the processor's cores
                                Thread child =
                                        p.onProcessorCores(
                                                () -> {
                                                    Thread t =
                                                            new Thread(
                                                                    () -> started.set(ownCores()));
                                                    t.start();
                                                    return t;
                                                });
                                child.join();
                                callerAfter.set(ownCores());
                            } catch (Throwable e) {
                                failure.set(e);
                            }
                        });
        caller.start();
        caller.join();

        // Then the started thread runs on the processor's cores only, and the caller where it was
        assertEquals(null, failure.get());
        assertEquals(p.processorCores(), started.get());
        assertEquals(callerBefore.get(), callerAfter.get());
    }

    private static List<Integer> ownCores() {
        return CorePlacement.coresOf(Path.of("/proc/thread-self/status"));
    }
}
