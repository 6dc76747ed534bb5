package io.canvasflow.clients;

import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Mask events for the clients' tests, built one way. */
public final class TestMasks {

    private TestMasks() {}

    /**
     * A seeded mask event of two classes (road, sky) after 2 iterations.
     *
     * @param camera the camera
     * @param sequence its frame's sequence
     * @param width the class map's width
     * @param height the class map's height
     * @param png the class map PNG; empty for a skipped frame
     * @return the event
     */
    public static MaskEvent mask(String camera, long sequence, int width, int height, byte[] png) {
        return MaskEvent.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(1_000))
                .setProcessedTimestamp(Instant.ofEpochMilli(1_040))
                .setMaskWidth(width)
                .setMaskHeight(height)
                .setClassMap(ByteBuffer.wrap(png))
                .setClassFractions(List.of(1f, 0f))
                .setClassNames(List.of("road", "sky"))
                .setIterations(2)
                .setSeeded(true)
                .setResetReason(null)
                .setSkipped(png.length == 0)
                .setModelId("test")
                .setModelVersion("1")
                .setModelMillis(12.5)
                .setEndToEndLatencyMillis(40)
                .build();
    }
}
