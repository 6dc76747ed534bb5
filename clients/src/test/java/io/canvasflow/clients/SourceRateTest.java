package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SourceRateTest {

    private final SourceRate rate = new SourceRate();

    @Test
    void shouldTakeTheRateThePublisherRecorded() {
        rate.add(mask(0, 0), frame(0, Map.of(PublishJob.META_FPS, "29.97")));

        assertEquals(OptionalDouble.of(29.97), rate.known());
    }

    @Test
    void shouldEstimateTheRateFromCaptureTimesWhenNoneWasRecorded() {
        // Given 25 frames/s capture times, one frame missing, no recorded rate
        for (long s : new long[] {0, 1, 2, 4, 5, 6, 7}) {
            rate.add(mask(s, 40 * s), frame(s, Map.of()));
            assertEquals(OptionalDouble.empty(), rate.known(), "too few masks yet");
        }

        // When the eighth comes, then the rate is known
        rate.add(mask(8, 320), null);
        assertEquals(OptionalDouble.of(25), rate.known());
    }

    @Test
    void shouldFallBackToTenFramesASecondWhenNothingTellsTheRate() {
        // capture times all equal, as when a publisher stamps a burst
        for (long s = 0; s < SourceRate.SAMPLES; s++) {
            rate.add(mask(s, 0), frame(s, Map.of(PublishJob.META_FPS, "fast")));
        }

        assertEquals(OptionalDouble.of(10), rate.known());
    }

    @Test
    void shouldGiveItsBestGuessFromFewMasks() {
        rate.add(mask(0, 0), null);
        rate.add(mask(1, 200), null);

        assertEquals(5, rate.best());
    }

    /** A drawable mask of camera "a" (MaskFollowerTest's mask 3 is a skipped frame's). */
    static MaskEvent mask(long sequence, long captureMillis) {
        MaskEvent mask = MaskFollowerTest.mask("a", sequence == 3 ? 103 : sequence);
        mask.setSequence(sequence);
        mask.setCaptureTimestamp(Instant.ofEpochMilli(1_000_000 + captureMillis));
        return mask;
    }

    /** Camera "a"'s frame with this metadata. */
    static Frame frame(long sequence, Map<String, String> metadata) {
        Frame frame = MaskFollowerTest.frame("a", sequence);
        frame.setMetadata(metadata);
        return frame;
    }
}
