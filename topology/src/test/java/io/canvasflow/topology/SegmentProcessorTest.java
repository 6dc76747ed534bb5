package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.testsupport.Frames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SegmentProcessorTest {

    private final CanvasFlowConfig config =
            CanvasFlowConfig.fromMap(
                    Map.of(CanvasFlowConfig.APPLICATION_ID, "segment-processor-test"));
    private final CanvasFlowMetrics metrics = new CanvasFlowMetrics(new SimpleMeterRegistry());
    private MockProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, CanvasState> canvases;
    private SegmentProcessor processor;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(TestFrames.T0.toEpochMilli() + 1000);
        canvases = TestCanvasStore.openIn(context);
        context.addStateStore(canvases);
        processor =
                new SegmentProcessor(
                        new SegmentationCore(
                                config,
                                ModelRouter.fixed(TestModel.source()),
                                metrics,
                                context::currentSystemTimeMs));
        processor.init(context);
    }

    @Test
    void shouldForwardAMaskToTheMasksSinkAndStoreTheCanvas() {
        Frame frame = TestFrames.jpeg("cam-1", 1, 64, 48);

        processor.process(new Record<>("cam-1", frame, 1000L));

        List<CapturedForward<? extends String, ? extends SpecificRecord>> forwarded =
                context.forwarded();
        assertEquals(1, forwarded.size());
        assertEquals(CanvasFlowTopology.MASKS_SINK, forwarded.get(0).childName().orElseThrow());
        MaskEvent mask = (MaskEvent) forwarded.get(0).record().value();
        assertEquals(
                List.of("cam-1", 1L, 6),
                List.of(mask.getCameraId(), mask.getSequence(), mask.getIterations()));
        assertEquals(1L, canvases.get("cam-1").getSequence());
    }

    @Test
    void shouldDateEachMaskAfterItsModelRanNotAtTheBatchStart() {
        // Given a wall clock that moves 25 ms per reading, while Kafka Streams' cached time stays
        // where the batch began, as it does for every record of a batch
        long batchStart = TestFrames.T0.toEpochMilli() + 1000;
        AtomicLong clock = new AtomicLong(batchStart);
        SegmentProcessor timed = timedBy(() -> clock.addAndGet(25));

        // When two frames of one batch are segmented
        Frame first = TestFrames.jpeg("cam-1", 1, 64, 48);
        Frame second = TestFrames.jpeg("cam-1", 2, 64, 48);
        timed.process(new Record<>("cam-1", first, 1000L));
        timed.process(new Record<>("cam-1", second, 1000L));

        // Then each mask carries the reading taken after its model ran (the second of its
        // frame's two), and its latency runs from its capture to then
        List<Long> expected = new ArrayList<>();
        List<Long> actual = new ArrayList<>();
        List<Frame> sent = List.of(first, second);
        for (int i = 0; i < 2; i++) {
            MaskEvent mask = (MaskEvent) context.forwarded().get(i).record().value();
            long processed = batchStart + 50L * (i + 1);
            expected.addAll(
                    List.of(
                            processed,
                            processed - sent.get(i).getCaptureTimestamp().toEpochMilli()));
            actual.addAll(
                    List.of(
                            mask.getProcessedTimestamp().toEpochMilli(),
                            mask.getEndToEndLatencyMillis()));
        }
        assertEquals(expected, actual);
        assertEquals(batchStart, context.currentSystemTimeMs());
    }

    @Test
    void shouldForwardADeadLetterWithTheSourceCoordinatesToTheDeadLetterSink() {
        // Given a record read from partition 2 at offset 41
        context.setRecordMetadata(Topics.FRAMES.name(), 2, 41);
        Frame bad =
                Frames.frame(
                        "cam-1", 1, TestFrames.T0, 64, 48, ImageEncoding.PNG, new byte[] {1, 2, 3});

        // When it is processed
        processor.process(new Record<>("cam-1", bad, 1000L));

        // Then a dead letter naming them goes to the dead-letter sink, and nothing is stored
        CapturedForward<? extends String, ? extends SpecificRecord> forward =
                context.forwarded().get(0);
        DeadLetter letter = (DeadLetter) forward.record().value();
        assertEquals(
                List.of(
                        CanvasFlowTopology.DLQ_SINK,
                        "cam-1",
                        Topics.FRAMES.name(),
                        2,
                        41L,
                        DeadLetterReason.UNDECODABLE_IMAGE),
                List.of(
                        forward.childName().orElseThrow(),
                        forward.record().key(),
                        letter.getSourceTopic(),
                        letter.getSourcePartition(),
                        letter.getSourceOffset(),
                        letter.getReason()));
        assertEquals(1, context.forwarded().size());
        assertEquals(null, canvases.get("cam-1"));
        assertEquals(1.0, metrics.deadLetters(DeadLetterReason.UNDECODABLE_IMAGE));
    }

    @Test
    void shouldDateADeadLetterByTheWallClockNotTheBatchStart() {
        // Given a wall clock half a second past the start of the batch, where Kafka Streams'
        // cached time stays
        long batchStart = context.currentSystemTimeMs();
        SegmentProcessor timed = timedBy(() -> batchStart + 500);
        Frame bad =
                Frames.frame(
                        "cam-1", 1, TestFrames.T0, 64, 48, ImageEncoding.PNG, new byte[] {1, 2, 3});

        // When a bad frame of that batch is dead-lettered
        timed.process(new Record<>("cam-1", bad, 1000L));

        // Then its dead letter is dated by the wall clock, as its mask would have been
        DeadLetter letter = (DeadLetter) context.forwarded().get(0).record().value();
        assertEquals(Instant.ofEpochMilli(batchStart + 500), letter.getTimestamp());
    }

    /** The processor of this test's model, its wall clock this one, started in the context. */
    private SegmentProcessor timedBy(LongSupplier clock) {
        SegmentProcessor processor =
                new SegmentProcessor(
                        new SegmentationCore(
                                config, ModelRouter.fixed(TestModel.source()), metrics, clock));
        processor.init(context);
        return processor;
    }
}
