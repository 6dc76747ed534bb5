package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a version whose write failed is tried again, on a clock the test moves. */
class PendingWritesTest {

    private final AtomicLong nanos = new AtomicLong(42);
    private final PendingWrites pending = new PendingWrites(nanos::get);

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
}
