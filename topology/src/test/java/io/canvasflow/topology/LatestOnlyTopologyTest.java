package io.canvasflow.topology;

import static io.canvasflow.testsupport.Frames.frame;
import static io.canvasflow.topology.TestFrames.T0;
import static io.canvasflow.topology.TestFrames.jpeg;
import static io.canvasflow.topology.TestFrames.jpegHeaderWithGarbageBody;
import static io.canvasflow.topology.TopologyHarness.Seen.reset;
import static io.canvasflow.topology.TopologyHarness.Seen.seeded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.testsupport.Bytes;
import io.canvasflow.topology.TopologyHarness.Seen;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatestOnlyTopologyTest {

    private static final int W = 64;
    private static final int H = 48;

    @TempDir Path stateDir;

    private static Seen skipped(String camera, long sequence) {
        return new Seen(camera, sequence, 0, false, null, true, false);
    }

    private TopologyHarness harness() {
        return new TopologyHarness(
                stateDir, Map.of(CanvasFlowConfig.PROCESSING_MODE, "latest-only"));
    }

    @Test
    void shouldSkipFramesSupersededBeforeTheyAreSegmented() {
        try (TopologyHarness t = harness()) {
            // Given a backlog: three frames of one camera and two of another arrive between two
            // drains, all in the same instant
            for (long seq = 1; seq <= 3; seq++) {
                t.frames.pipeInput("cam-a", jpeg("cam-a", seq, W, H));
                t.frames.pipeInput("cam-b", jpeg("cam-b", seq, W, H));
            }
            t.frames.pipeInput("cam-a", jpeg("cam-a", 4, W, H));

            // When the pending frames are drained
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then each superseded frame got a skipped event at once, in order, and only the
            // newest frame of each camera was segmented
            List<MaskEvent> masks = t.masks.readValuesToList();
            assertEquals(
                    List.of(
                            skipped("cam-a", 1),
                            skipped("cam-b", 1),
                            skipped("cam-a", 2),
                            skipped("cam-b", 2),
                            skipped("cam-a", 3),
                            reset("cam-a", 4, 6, ResetReason.FIRST_FRAME),
                            reset("cam-b", 3, 6, ResetReason.FIRST_FRAME)),
                    masks.stream().map(Seen::of).toList());
            assertEquals(0, masks.get(0).getClassMap().remaining());
        }
    }

    @Test
    void shouldSegmentEveryFrameWhenNoneIsSuperseded() {
        try (TopologyHarness t = harness()) {
            for (long seq = 1; seq <= 3; seq++) {
                t.frames.pipeInput("cam-a", jpeg("cam-a", seq, W, H));
                t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));
            }
            t.frames.pipeInput("cam-a", jpeg("cam-a", 3, W, H));
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            assertEquals(
                    List.of(
                            reset("cam-a", 1, 6, ResetReason.FIRST_FRAME),
                            seeded("cam-a", 2, 2),
                            seeded("cam-a", 3, 2)),
                    t.seen());
            assertEquals(1.0, t.metrics.duplicates());
        }
    }

    @Test
    void shouldTakeANewRunOfTheCameraAsNewerThoughItsNumberIsLower() {
        try (TopologyHarness t = harness()) {
            // Given frame 50 pending, and the camera's publisher restarting at 0 a minute later,
            // then sending its frame 0 twice
            t.frames.pipeInput("cam-a", jpeg("cam-a", 50, W, H));
            Frame restarted = jpeg("cam-a", 0, W, H);
            restarted.setCaptureTimestamp(T0.plusSeconds(60));
            t.frames.pipeInput("cam-a", restarted);
            t.frames.pipeInput("cam-a", restarted);

            // When the pending frames are drained
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then the old run's frame was the one skipped, the new run's was segmented, and its
            // copy was a duplicate, where the new frame was skipped for the stale one before
            assertEquals(
                    List.of(skipped("cam-a", 50), reset("cam-a", 0, 6, ResetReason.FIRST_FRAME)),
                    t.seen());
            assertEquals(1.0, t.metrics.duplicates());
        }
    }

    @Test
    void shouldGoOnAfterTheCameraServedLastWhenARoundRunsOutOfTime() {
        try (TopologyHarness t = harness()) {
            // Given more cameras with a frame pending than a round has time for
            int cameras = 400;
            for (int c = 0; c < cameras; c++) {
                String camera = String.format("cam-%03d", c);
                t.frames.pipeInput(camera, jpeg(camera, 1, W, H));
            }
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));
            List<String> first =
                    t.seen().stream().filter(s -> !s.skipped()).map(Seen::camera).toList();
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    first.size() < cameras, "this machine segmented all in a second");

            // When every camera but the one served last sends its next frame before the next
            // round
            String last = first.get(first.size() - 1);
            for (int c = 0; c < cameras; c++) {
                String camera = String.format("cam-%03d", c);
                if (!camera.equals(last)) {
                    t.frames.pipeInput(camera, jpeg(camera, 2, W, H));
                }
            }
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then that round starts after the camera served last, where it started again at
            // the first camera, and the cameras after it never had a turn
            List<Seen> second =
                    t.seen().stream().filter(s -> !s.skipped() && s.sequence() == 2).toList();
            assertEquals(
                    String.format("cam-%03d", Integer.parseInt(last.substring(4)) + 1),
                    second.get(0).camera(),
                    "first round ended at " + last);
        }
    }

    @Test
    void shouldNameWhereAPendingFrameWasReadWhenItsPixelsDoNotDecode() {
        try (TopologyHarness t = harness()) {
            // Given a good frame, then one whose header passes the arrival check but whose pixels
            // do not decode, at offsets 0 and 1 of partition 0
            t.frames.pipeInput("cam-a", jpeg("cam-a", 1, W, H));
            Frame corrupt =
                    frame(
                            "cam-b",
                            1,
                            T0,
                            W,
                            H,
                            ImageEncoding.JPEG,
                            jpegHeaderWithGarbageBody(W, H));
            t.frames.pipeInput("cam-b", corrupt);

            // When the pending frames are drained, outside of any source record
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then the dead letter names the partition and offset the frame was read from, and
            // carries the frame as it arrived
            DeadLetter letter = t.deadLetters.readValue();
            assertEquals(DeadLetterReason.UNDECODABLE_IMAGE, letter.getReason());
            assertEquals(t.config.framesTopic(), letter.getSourceTopic());
            assertEquals(0, letter.getSourcePartition());
            assertEquals(1, letter.getSourceOffset());
            assertArrayEquals(
                    AvroSerdes.frame().serialize(corrupt), Bytes.of(letter.getOriginalValue()));
            assertEquals(List.of(reset("cam-a", 1, 6, ResetReason.FIRST_FRAME)), t.seen());
        }
    }
}
