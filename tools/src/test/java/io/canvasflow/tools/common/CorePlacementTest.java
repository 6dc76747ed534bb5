package io.canvasflow.tools.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorePlacementTest {

    @Test
    void shouldReadTheKernelsCpuLists() {
        assertEquals(List.of(0, 1, 2, 3, 6), CorePlacement.parseList("0-3,6"));
        assertEquals(List.of(1), CorePlacement.parseList("1"));
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
}
