package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameJoinBufferTest {

    private final FrameJoinBuffer join = new FrameJoinBuffer(3);

    @Test
    void shouldJoinAMaskWithTheFrameThatArrivedFirst() {
        Frame frame = frame("a", 1);
        join.onFrame(frame);

        assertEquals(List.of(new JoinedMask(mask("a", 1), frame)), join.onMask(mask("a", 1)));
        assertEquals(0, join.waitingFrames());
    }

    @Test
    void shouldHoldAMaskUntilItsFrameArrives() {
        assertEquals(List.of(), join.onMask(mask("a", 1)));

        assertEquals(
                List.of(new JoinedMask(mask("a", 1), frame("a", 1))), join.onFrame(frame("a", 1)));
        assertEquals(0, join.waitingMasks());
    }

    @Test
    void shouldKeepCamerasApart() {
        join.onFrame(frame("a", 1));

        assertEquals(List.of(), join.onMask(mask("b", 1)));
        assertEquals(1, join.waitingMasks());
    }

    @Test
    void shouldReleaseOlderWaitingMasksWithoutFramesWhenALaterFrameMatches() {
        join.onMask(mask("a", 1));
        join.onMask(mask("a", 2));

        List<JoinedMask> released = join.onFrame(frame("a", 2));

        assertEquals(
                List.of(
                        new JoinedMask(mask("a", 1), null),
                        new JoinedMask(mask("a", 2), frame("a", 2))),
                released);
    }

    @Test
    void shouldBoundBothSidesPerCamera() {
        for (int s = 0; s < 5; s++) {
            join.onFrame(frame("a", s));
        }
        assertEquals(3, join.waitingFrames());

        join.onMask(mask("a", 10));
        join.onMask(mask("a", 11));
        join.onMask(mask("a", 12));
        assertEquals(List.of(new JoinedMask(mask("a", 10), null)), join.onMask(mask("a", 13)));
        assertEquals(
                List.of(
                        new JoinedMask(mask("a", 11), null),
                        new JoinedMask(mask("a", 12), null),
                        new JoinedMask(mask("a", 13), null)),
                join.drain());
    }

    @Test
    void shouldReleaseAMaskAtOnceWhenItsFrameWasDroppedForRoom() {
        // Given frames 0 and 1 dropped to keep three
        for (int s = 0; s < 5; s++) {
            join.onFrame(frame("a", s));
        }

        // When their masks come, then they are released without a frame, not held
        assertEquals(List.of(new JoinedMask(mask("a", 0), null)), join.onMask(mask("a", 0)));
        assertEquals(List.of(new JoinedMask(mask("a", 1), null)), join.onMask(mask("a", 1)));
        assertEquals(0, join.waitingMasks());
        assertEquals(
                List.of(new JoinedMask(mask("a", 2), frame("a", 2))), join.onMask(mask("a", 2)));
    }

    @Test
    void shouldForgetDroppedFramesWhenACameraRestartsItsSequence() {
        // Given frames 0 and 1 dropped, then the camera starts again from 0
        for (int s = 0; s < 5; s++) {
            join.onFrame(frame("a", s));
        }
        join.onFrame(frame("a", 0));

        // When the new mask 1 comes before its frame, then it waits for it
        assertEquals(List.of(), join.onMask(mask("a", 1)));
        assertEquals(
                List.of(new JoinedMask(mask("a", 1), frame("a", 1))), join.onFrame(frame("a", 1)));
    }

    static Frame frame(String camera, long sequence) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(sequence))
                .setWidth(1)
                .setHeight(1)
                .setEncoding(ImageEncoding.RGB24)
                .setImage(ByteBuffer.wrap(new byte[3]))
                .setMetadata(Map.of())
                .build();
    }

    static MaskEvent mask(String camera, long sequence) {
        return TestMasks.mask(camera, sequence, 80, 60, new byte[] {1});
    }
}
