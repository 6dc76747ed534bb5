package io.canvasflow.schemas;

import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Fully populated records of every CanvasFlow schema. */
final class SampleRecords {

    static final Instant CAPTURED = Instant.parse("2025-01-02T03:04:05.678Z");

    private SampleRecords() {}

    static Frame frame() {
        return Frame.newBuilder()
                .setCameraId("cam-7")
                .setSequence(42L)
                .setCaptureTimestamp(CAPTURED)
                .setWidth(64)
                .setHeight(48)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}))
                .setGroundTruth(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
                .setMetadata(Map.of("source", "clip-3.mp4", "scene", "kitchen"))
                .build();
    }

    static MaskEvent maskEvent() {
        return MaskEvent.newBuilder()
                .setCameraId("cam-7")
                .setSequence(42L)
                .setCaptureTimestamp(CAPTURED)
                .setProcessedTimestamp(CAPTURED.plusMillis(35))
                .setMaskWidth(64)
                .setMaskHeight(48)
                .setClassMap(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1}))
                .setClassFractions(List.of(0.75f, 0.25f))
                .setClassNames(List.of("background", "person"))
                .setIterations(3)
                .setSeeded(false)
                .setResetReason(ResetReason.SCENE_CUT)
                .setSkipped(false)
                .setModelId("convlstm-tiny")
                .setModelVersion("3")
                .setModelMillis(12.5)
                .setEndToEndLatencyMillis(35L)
                .setBudgetReduced(true)
                .build();
    }

    static CanvasState canvasState() {
        return CanvasState.newBuilder()
                .setSequence(42L)
                .setCaptureTimestamp(CAPTURED)
                .setModelId("convlstm-tiny")
                .setModelVersion("3")
                .setFrameWidth(64)
                .setFrameHeight(48)
                .setClasses(2)
                .setCanvasHeight(2)
                .setCanvasWidth(1)
                .setLogits(ByteBuffer.wrap(new byte[] {0x00, 0x3C, 0x00, (byte) 0xBC, 0, 0, 0, 0}))
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic(Topics.FRAMES.name())
                .setSourcePartition(1)
                .setSourceOffset(1234L)
                .setCameraId("cam-7")
                .setReason(DeadLetterReason.UNDECODABLE_IMAGE)
                .setMessage("expected a JPEG image but found 5 bytes without an SOI marker")
                .setOriginalKey(
                        ByteBuffer.wrap("cam-7".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setTimestamp(CAPTURED.plusSeconds(1))
                .build();
    }
}
