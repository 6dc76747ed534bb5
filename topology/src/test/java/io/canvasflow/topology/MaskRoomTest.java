package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskRoomTest {

    private static final int W = 64;
    private static final int H = 48;

    @TempDir Path stateDir;

    @Test
    void shouldTakeWhatTheMasksTopicHoldsUnlessSetAndRefuseMoreThanThat() {
        CanvasFlowConfig config = CanvasFlowConfig.defaults();

        assertEquals(
                1_048_588 - MaskRoom.framingBytes(config),
                MaskRoom.fit(config, 1_048_588).maskMaxBytes());
        CanvasFlowConfig set = config.with(CanvasFlowConfig.MASK_MAX_BYTES, "500000");
        assertEquals(500_000, MaskRoom.fit(set, 1_048_588).maskMaxBytes());
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> MaskRoom.fit(set, 400_000));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "mask.max.bytes is 500000 but the masks topic masks takes records"
                                        + " of at most 400000 bytes"),
                e.getMessage());
    }

    @Test
    void shouldRefuseAMasksTopicTooSmallForAnyMaskEvent() {
        CanvasFlowConfig config = CanvasFlowConfig.defaults();

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> MaskRoom.fit(config, 3000));

        assertTrue(
                e.getMessage()
                        .startsWith("the masks topic masks takes records of at most 3000 bytes"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("too few for mask events; raise it to at least 4096"));
    }

    @Test
    void shouldTakeTheProducersLimitWhereItIsLowerThanTheTopics() {
        // Given a masks topic raised to 20 MB, and the producer at its default and set lower
        CanvasFlowConfig config = CanvasFlowConfig.defaults();
        CanvasFlowConfig lower = config.with("producer.max.request.size", "2000000");
        TopicLimits limits =
                new TopicLimits(
                        Map.of("masks", 20_000_000),
                        List.of(),
                        CanvasFlowTopology.producerMaxRequestSize(config));

        // Then what serve can write is the producer's limit, frame.max.bytes and a megabyte
        assertEquals(CanvasFlowTopology.maxMessageBytes(config), limits.writable("masks"));
        assertEquals(2_000_000, CanvasFlowTopology.producerMaxRequestSize(lower));
        // a plain max.request.size reaches the stream producer too, so it binds here as well
        assertEquals(
                1_500_000,
                CanvasFlowTopology.producerMaxRequestSize(
                        config.with("max.request.size", "1500000")));
        assertEquals(
                2_000_000,
                CanvasFlowTopology.producerMaxRequestSize(
                        lower.with("max.request.size", "1500000")));
        assertNull(limits.writable("frames"));
    }

    @Test
    void shouldCountTheHeadersTheMaskRecordCarries() {
        CanvasFlowConfig config =
                CanvasFlowConfig.defaults().with(CanvasFlowConfig.MASK_MAX_BYTES, "5000");
        MaskEvent event =
                new MaskEncoder(TestModel.source().spec())
                        .skipped(TestFrames.jpeg("cam-1", 1, W, H), 0);

        assertNull(MaskRoom.tooLarge(event, new RecordHeaders(), config));
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[10_000]);
        assertTrue(
                MaskRoom.tooLarge(event, headers, config).startsWith("its mask event of up to "));
    }

    @Test
    void shouldBoundTheEncodedSizeOfAMaskEventFromAbove() {
        // Given an event with long, non-ASCII strings and many classes
        List<String> names = new ArrayList<>(Collections.nCopies(255, "\u20ac".repeat(40)));
        MaskEvent event =
                MaskEvent.newBuilder()
                        .setCameraId("\u20ac".repeat(256))
                        .setSequence(Long.MAX_VALUE)
                        .setCaptureTimestamp(java.time.Instant.ofEpochMilli(Long.MAX_VALUE / 2))
                        .setProcessedTimestamp(java.time.Instant.ofEpochMilli(Long.MAX_VALUE / 2))
                        .setMaskWidth(Integer.MAX_VALUE)
                        .setMaskHeight(Integer.MAX_VALUE)
                        .setClassMap(ByteBuffer.wrap(new byte[123_456]))
                        .setClassFractions(new ArrayList<>(Collections.nCopies(255, 0.5f)))
                        .setClassNames(names)
                        .setIterations(Integer.MIN_VALUE)
                        .setSeeded(true)
                        .setModelId("m".repeat(300))
                        .setModelVersion("\u20ac".repeat(100))
                        .setModelMillis(1.5)
                        .setEndToEndLatencyMillis(Long.MIN_VALUE)
                        .build();

        // Then the bound is at least its encoding (without the 10-byte single-object header)
        int encoded = AvroSerdes.maskEvent().serialize(event).length - 10;
        long bound = MaskRoom.sizeBound(event);
        assertTrue(bound >= encoded, bound + " < " + encoded);
        assertTrue(bound < encoded * 1.5, bound + " is far above " + encoded);
    }

    @Test
    void shouldDeadLetterAFrameWhoseMaskTheTopicWouldRefuseAndGoOn() {
        // Given masks of at most 200 bytes, less than a 64x48 mask event takes
        try (TopologyHarness t =
                new TopologyHarness(stateDir, Map.of(CanvasFlowConfig.MASK_MAX_BYTES, "200"))) {
            // When two frames come
            t.send(TestFrames.jpeg("cam-1", 1, W, H));
            t.send(TestFrames.jpeg("cam-1", 2, W, H));

            // Then each is dead-lettered, saying what to change, and no mask is written
            List<DeadLetter> letters = t.deadLetters.readValuesToList();
            assertEquals(2, letters.size());
            for (DeadLetter letter : letters) {
                assertEquals(DeadLetterReason.PROCESSING_ERROR, letter.getReason());
                assertTrue(
                        letter.getMessage().contains("(mask.max.bytes=200); set mask.size smaller"),
                        letter.getMessage());
            }
            assertEquals(List.of(), t.seen());
        }
        // and with the default, the same frames have their masks
        try (TopologyHarness t = new TopologyHarness(stateDir.resolve("b"), Map.of())) {
            t.send(TestFrames.jpeg("cam-1", 1, W, H));
            assertEquals(1, t.seen().size());
            assertNull(t.deadLetters.readValuesToList().stream().findFirst().orElse(null));
        }
    }
}
