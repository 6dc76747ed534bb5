package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a version whose write failed is tried again, on a clock the test moves. */
class PendingWritesTest {

    private final AtomicLong nanos = new AtomicLong(42);
    private final PendingWrites pending = new PendingWrites(nanos::get, Long.MAX_VALUE);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void shouldTryAgainAfterAWaitThatDoublesUpToTwoMinutesUntilLetGo() throws Exception {
        // Given a version whose write failed
        String json = Files.readString(ModelCatalogTest.MODELS.resolve("ff/model.json"));
        ModelSpec spec = SegmentationModel.parseSpec(json, "ff");
        PendingWrites.Write write = new PendingWrites.Write(spec, json, List.of(new byte[] {1}));
        assertEquals(PendingWrites.FIRST_RETRY, pending.failed(write));

        // Then it is due only once its wait is over
        advance(PendingWrites.FIRST_RETRY.minusMillis(1));
        assertEquals(List.of(), pending.due());
        advance(Duration.ofMillis(1));
        assertEquals(List.of(write), pending.due());

        // And each failure again doubles the wait, up to two minutes
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waits.add(pending.failed(write).toSeconds());
        }
        assertEquals(List.of(10L, 20L, 40L, 80L, 120L, 120L), waits);

        // And a version written, removed or published again is let go
        pending.forget(spec.version());
        assertFalse(pending.holds(spec.version()));
        advance(PendingWrites.MAX_RETRY);
        assertEquals(List.of(), pending.due());
    }

    /** The ff model's write under another version, with a parameter file of some bytes. */
    private static PendingWrites.Write write(String version, int bytes) throws Exception {
        String json = Files.readString(ModelCatalogTest.MODELS.resolve("ff/model.json"));
        ModelSpec ff = SegmentationModel.parseSpec(json, "ff");
        ModelSpec spec =
                new ModelSpec(
                        ff.formatVersion(),
                        ff.modelId(),
                        version,
                        ff.network(),
                        ff.classes(),
                        ff.input(),
                        ff.training(),
                        ff.parameters());
        return new PendingWrites.Write(
                spec, json, List.of(new byte[bytes / 2], new byte[bytes / 2]));
    }

    @Test
    void shouldLetGoOfUnassignedVersionsThenTheLongestHeldOnceOverTheMostBytes() throws Exception {
        // Given at most 10 bytes held, and versions of 4 bytes, b assigned to no camera
        PendingWrites bounded = new PendingWrites(nanos::get, 10);
        Set<String> assigned = Set.of("a", "c", "d");
        bounded.failed(write("a", 4));
        bounded.failed(write("b", 4));
        assertEquals(List.of(), bounded.trim(assigned::contains));

        // When a third would make 12 bytes, the one no assignment names is let go
        bounded.failed(write("c", 4));
        assertEquals(List.of("b"), bounded.trim(assigned::contains));

        // When a fourth would, the longest held of the assigned ones is
        bounded.failed(write("d", 4));
        assertEquals(List.of("a"), bounded.trim(assigned::contains));

        // And failing again, or being let go after it was written, frees what it held: two of 4
        // bytes and one of 2 fit
        bounded.failed(write("d", 4));
        bounded.forget("c");
        bounded.failed(write("c", 4));
        bounded.failed(write("e", 2));
        assertEquals(List.of(), bounded.trim(v -> true));

        // And a version larger than the bound alone is never held
        bounded.failed(write("f", 12));
        assertEquals(List.of("f"), bounded.trim(v -> true));
        assertEquals(List.of(), bounded.trim(v -> true));
    }
}
