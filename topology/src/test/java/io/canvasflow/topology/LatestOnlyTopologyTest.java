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
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.testsupport.Bytes;
import io.canvasflow.topology.TopologyHarness.Seen;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
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

    /** A latest-only harness with one more setting. */
    private TopologyHarness harness(String key, String value) {
        return new TopologyHarness(
                stateDir, Map.of(CanvasFlowConfig.PROCESSING_MODE, "latest-only", key, value));
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

    /** What a test checks of a mask record besides its event: its key, headers and timestamp. */
    record OnRecord(String key, long sequence, boolean skipped, List<String> headers, long ts) {

        static OnRecord of(TestRecord<String, MaskEvent> r) {
            return new OnRecord(
                    r.key(),
                    r.value().getSequence(),
                    r.value().getSkipped(),
                    TestFrames.headers(r.headers(), v -> new String(v, StandardCharsets.UTF_8)),
                    r.timestamp());
        }
    }

    /** A frame of cam-a in a record with one header, stamped a while after its capture. */
    private static TestRecord<String, Frame> withHeader(long sequence, String traceId) {
        Frame frame = jpeg("cam-a", sequence, W, H);
        return new TestRecord<>(
                "cam-a",
                frame,
                new RecordHeaders().add("trace-id", traceId.getBytes(StandardCharsets.UTF_8)),
                frame.getCaptureTimestamp().plusMillis(1234));
    }

    private static long stamped(long sequence) {
        return jpeg("cam-a", sequence, W, H).getCaptureTimestamp().toEpochMilli() + 1234;
    }

    @Test
    void shouldCarryTheFrameRecordsHeadersAndTimestampOntoItsEventInBothModes() {
        for (String mode : List.of("every-frame", "latest-only")) {
            try (TopologyHarness t =
                    new TopologyHarness(
                            stateDir.resolve(mode),
                            Map.of(CanvasFlowConfig.PROCESSING_MODE, mode))) {
                // Given two frames whose records carry a header each and a timestamp other than
                // their capture time, arriving before a drain
                t.frames.pipeInput(withHeader(1, "abc1"));
                t.frames.pipeInput(withHeader(2, "abc2"));

                // When the pending frames are drained (latest-only)
                t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

                // Then each frame's event is on a record with its record's header and timestamp:
                // two masks, or the replaced frame's skipped event and the newer one's mask
                boolean latest = mode.equals("latest-only");
                assertEquals(
                        List.of(
                                new OnRecord(
                                        "cam-a", 1, latest, List.of("trace-id=abc1"), stamped(1)),
                                new OnRecord(
                                        "cam-a", 2, false, List.of("trace-id=abc2"), stamped(2))),
                        t.masks.readRecordsToList().stream().map(OnRecord::of).toList(),
                        mode);
            }
        }
    }

    @Test
    void shouldCarryTheRecordsHeadersAndTimestampOntoTheSkippedEventOfAnOlderFrame() {
        try (TopologyHarness t = harness()) {
            // Given frame 2 pending
            t.frames.pipeInput(withHeader(2, "abc2"));

            // When frame 1 arrives after it, in a record with its own header, and they are drained
            t.frames.pipeInput(withHeader(1, "abc1"));
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then frame 1's skipped event carries its record's header and timestamp
            assertEquals(
                    List.of(
                            new OnRecord("cam-a", 1, true, List.of("trace-id=abc1"), stamped(1)),
                            new OnRecord("cam-a", 2, false, List.of("trace-id=abc2"), stamped(2))),
                    t.masks.readRecordsToList().stream().map(OnRecord::of).toList());
        }
    }

    @Test
    void shouldDeadLetterAReplacedFrameWhoseSkippedEventIsTooLargeWithItsOwnPosition() {
        try (TopologyHarness t = harness(CanvasFlowConfig.MASK_MAX_BYTES, "1")) {
            // Given a masks topic that takes no event, and frame 1 pending (offset 0)
            Frame first = jpeg("cam-a", 1, W, H);
            Frame second = jpeg("cam-a", 2, W, H);
            t.frames.pipeInput("cam-a", first);
            Instant now = t.wallClock();

            // When frame 2 replaces it (offset 1), and is drained
            t.frames.pipeInput("cam-a", second);
            t.advanceTo(now.plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then frame 1's dead letter names its own offset and carries it as it arrived, and
            // frame 2's names its own
            assertEquals(
                    List.of(
                            letter(0, first, now),
                            letter(1, second, now.plus(LatestOnlyProcessor.DRAIN_INTERVAL))),
                    letters(t));
            assertEquals(List.of(), t.seen());
        }
    }

    /** The dead letter of a frame of cam-a read from an offset of partition 0, failed at a time. */
    private static DeadLetterTopologyTest.Letter letter(long offset, Frame frame, Instant at) {
        return new DeadLetterTopologyTest.Letter(
                Topics.FRAMES.name(),
                0,
                offset,
                "cam-a",
                DeadLetterReason.PROCESSING_ERROR,
                Bytes.digest("cam-a".getBytes(StandardCharsets.UTF_8)),
                Bytes.digest(AvroSerdes.frame().serialize(frame)),
                at);
    }

    /** The dead letters a test's frames had, in order. */
    private static List<DeadLetterTopologyTest.Letter> letters(TopologyHarness t) {
        return t.deadLetters.readValuesToList().stream()
                .map(DeadLetterTopologyTest.Letter::of)
                .toList();
    }

    /** Metrics whose first meter of this name fails to register, as a bug in them would. */
    private static SimpleMeterRegistry failingOnceAt(String meter) {
        AtomicBoolean failed = new AtomicBoolean();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config()
                .meterFilter(
                        new MeterFilter() {
                            @Override
                            public Meter.Id map(Meter.Id id) {
                                if (id.getName().equals(meter)
                                        && failed.compareAndSet(false, true)) {
                                    throw new IllegalStateException("injected");
                                }
                                return id;
                            }
                        });
        return registry;
    }

    /** A latest-only harness whose metrics go to a registry of the test's. */
    private TopologyHarness harness(MeterRegistry registry) {
        return new TopologyHarness(
                stateDir, Map.of(CanvasFlowConfig.PROCESSING_MODE, "latest-only"), registry);
    }

    @Test
    void shouldDeadLetterAReplacedFrameWhoseSkippedEventFailsAndParkTheFrameThatReplacedIt() {
        // Given metrics that fail on cam-a's first event, which frame 1's skipped event will be,
        // and frame 1 pending (offset 0)
        try (TopologyHarness t = harness(failingOnceAt("canvasflow.camera.lag"))) {
            Frame first = jpeg("cam-a", 1, W, H);
            t.frames.pipeInput("cam-a", first);
            Instant now = t.wallClock();

            // When frame 2 replaces it (offset 1), and is drained
            t.frames.pipeInput("cam-a", jpeg("cam-a", 2, W, H));
            t.advanceTo(now.plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then frame 1 has its dead letter, with its own bytes and offset, and frame 2, which
            // did not fail, is parked and segmented: the failure is not taken for frame 2's, which
            // would dead-letter frame 2 and leave frame 1 pending
            assertEquals(List.of(letter(0, first, now)), letters(t));
            assertEquals(List.of(reset("cam-a", 2, 6, ResetReason.FIRST_FRAME)), t.seen());
        }
    }

    @Test
    void shouldDeadLetterADrainedFrameWithItsBytesWhenItFailsAfterItsModelRan() {
        // Given metrics that fail when the first frame's reset is counted, after its model ran
        try (TopologyHarness t = harness(failingOnceAt("canvasflow.frames.reset"))) {
            Frame first = jpeg("cam-a", 1, W, H);
            t.frames.pipeInput("cam-a", first);
            Instant drained = t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL);

            // When it is drained, and then the camera's next frame
            t.advanceTo(drained);
            t.frames.pipeInput("cam-a", jpeg("cam-a", 2, W, H));
            t.advanceTo(drained.plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then the first frame has one event, its dead letter with its bytes and position, and
            // the next frame is segmented from the canvas it left; nothing stays pending
            assertEquals(List.of(letter(0, first, drained)), letters(t));
            assertEquals(List.of(seeded("cam-a", 2, 2)), t.seen());
            KeyValueStore<String, Frame> pending =
                    t.driver.getKeyValueStore(StoreNames.PENDING_FRAMES_STORE);
            assertEquals(null, pending.get("cam-a"));
        }
    }

    @Test
    void shouldDeadLetterAFrameWhoseHeadersAreTooLargeToKeepPending() {
        try (TopologyHarness t = harness(CanvasFlowConfig.FRAME_MAX_BYTES, "100000")) {
            // Given a frame whose record carries headers that, in Base64, a pending frame's
            // changelog record cannot take, though they are smaller than it
            Frame frame = jpeg("cam-a", 1, W, H);
            byte[] large = new byte[ParkedFrame.maxRecordBytes(t.config) * 4 / 5];

            // When it arrives
            t.frames.pipeInput(
                    new TestRecord<>(
                            "cam-a",
                            frame,
                            new RecordHeaders().add("blob", large),
                            frame.getCaptureTimestamp()));
            t.advanceTo(t.wallClock().plus(LatestOnlyProcessor.DRAIN_INTERVAL));

            // Then it is dead-lettered on arrival, and nothing is parked
            assertEquals(
                    List.of(DeadLetterReason.PROCESSING_ERROR, 0L, true),
                    t.nextDeadLetter("kept as a pending frame"));
            assertEquals(List.of(), t.seen());
        }
    }
}
