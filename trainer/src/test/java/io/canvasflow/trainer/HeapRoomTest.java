package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapRoomTest {

    private static final long MIB = 1L << 20;

    @Test
    void shouldSayWhatDoesNotFitHalfTheHeapAndTheMostThatDoes() {
        // Given a heap of 1 GiB, half of which holds 51 things of 10 MiB
        // When 51 and 200 of them are asked for, two a --batch
        List<String> said =
                Arrays.asList(
                        HeapRoom.problem(
                                "--batch 25 would hold 51 frames",
                                51,
                                10 * MIB,
                                most -> "give --batch " + most / 2 + " or less",
                                1024 * MIB,
                                "1 GiB"),
                        HeapRoom.problem(
                                "--batch 100 would hold 200 frames",
                                200,
                                10 * MIB,
                                most -> "give --batch " + most / 2 + " or less",
                                1024 * MIB,
                                "1 GiB"));

        // Then the 51 fit, and the 200 are one sentence with the bound and what to do
        assertEquals(
                Arrays.asList(
                        null,
                        "--batch 100 would hold 200 frames at once, 2.0 GiB, but half of this"
                                + " JVM's heap of 1 GiB holds at most 51 of them; give --batch 25"
                                + " or less, or more heap (CANVASFLOW_HEAP)"),
                said);
    }

    @Test
    void shouldSayASizeBelowOneGibInMib() {
        // Given what 148 frames of 0.87 MiB take, the heap's half being 128 MiB
        // When it is said, and a size of a GiB and more
        List<String> said = List.of(HeapRoom.size(148 * 0.87 * MIB), HeapRoom.size(2048.0 * MIB));

        // Then the first is in MiB, where "0.1 GiB" would read as less than the bound
        assertEquals(List.of("128.8 MiB", "2.0 GiB"), said);
    }
}
