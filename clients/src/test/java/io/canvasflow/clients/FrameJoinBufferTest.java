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
        // the fourth waiting mask pushes out the first, for want of room
        assertEquals(
                List.of(new JoinedMask(mask("a", 10), null, true)), join.onMask(mask("a", 13)));
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

        // When their masks come, then they are released without a frame, not held, and the
        // buffer's size is to blame
        assertEquals(List.of(new JoinedMask(mask("a", 0), null, true)), join.onMask(mask("a", 0)));
        assertEquals(List.of(new JoinedMask(mask("a", 1), null, true)), join.onMask(mask("a", 1)));
        assertEquals(0, join.waitingMasks());
        assertEquals(
                List.of(new JoinedMask(mask("a", 2), frame("a", 2))), join.onMask(mask("a", 2)));
    }

    @Test
    void shouldForgetDroppedFramesWhenACameraRestartsItsSequence() {
        // Given frames 0 and 1 dropped, then the camera starts again from 0, captured later
        for (int s = 0; s < 5; s++) {
            join.onFrame(frame("a", s));
        }
        join.onFrame(frame("a", 0, 100));

        // When the new mask 1 comes before its frame, then it waits for it
        assertEquals(List.of(), join.onMask(mask("a", 1, 101)));
        assertEquals(
                List.of(new JoinedMask(mask("a", 1, 101), frame("a", 1, 101))),
                join.onFrame(frame("a", 1, 101)));
    }

    @Test
    void shouldJoinEachRunsMaskWithItsOwnFrameAfterARestart() {
        // Given a camera's frames 0-2, then its publisher restarting and sending 0-2 again later
        FrameJoinBuffer roomy = new FrameJoinBuffer(10);
        for (int s = 0; s < 3; s++) {
            roomy.onFrame(frame("a", s));
        }
        for (int s = 0; s < 3; s++) {
            roomy.onFrame(frame("a", s, 100 + s));
        }

        // When the masks of both runs come, then each meets the frame of its own run
        assertEquals(
                List.of(new JoinedMask(mask("a", 2), frame("a", 2))), roomy.onMask(mask("a", 2)));
        assertEquals(
                List.of(new JoinedMask(mask("a", 1, 101), frame("a", 1, 101))),
                roomy.onMask(mask("a", 1, 101)));
    }

    @Test
    void shouldReleaseTheEarlierRunsWaitingMasksWhenANewRunStarts() {
        // Given masks 4 and 5 waiting for frames that never came, and a mask of the new run
        join.onFrame(frame("a", 3));
        join.onMask(mask("a", 4));
        join.onMask(mask("a", 5));
        join.onMask(mask("a", 1, 101));

        // When the camera's new run starts, its sequence back to 0 and captured later
        List<JoinedMask> released = join.onFrame(frame("a", 0, 100));

        // Then the earlier run's masks are released without a frame; the new run's waits
        assertEquals(
                List.of(new JoinedMask(mask("a", 4), null), new JoinedMask(mask("a", 5), null)),
                released);
        assertEquals(1, join.waitingMasks());
    }

    @Test
    void shouldKeepAWaitingMaskWhenTheNextRunsMaskOfTheSameSequenceComes() {
        FrameJoinBuffer roomy = new FrameJoinBuffer(10);
        roomy.onMask(mask("a", 1));

        roomy.onMask(mask("a", 1, 101));

        assertEquals(
                List.of(
                        new JoinedMask(mask("a", 1), null),
                        new JoinedMask(mask("a", 1, 101), null)),
                roomy.drain());
    }

    @Test
    void shouldKeepAFrameThatCameLaterThoughItsClockWentBack() {
        // Given frame 11 captured 10 ms before frame 10 (the camera's clock was set back)
        join.onFrame(frame("a", 10, 1_000));
        join.onFrame(frame("a", 11, 990));

        // When mask 10 meets its frame, then frame 11, which came after it, stays for its mask
        join.onMask(mask("a", 10, 1_000));
        assertEquals(
                List.of(new JoinedMask(mask("a", 11, 990), frame("a", 11, 990))),
                join.onMask(mask("a", 11, 990)));
    }

    /** A frame captured at {@code sequence} ms. */
    static Frame frame(String camera, long sequence) {
        return frame(camera, sequence, sequence);
    }

    static Frame frame(String camera, long sequence, long captureMillis) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(captureMillis))
                .setWidth(1)
                .setHeight(1)
                .setEncoding(ImageEncoding.RGB24)
                .setImage(ByteBuffer.wrap(new byte[3]))
                .setMetadata(Map.of())
                .build();
    }

    /** The mask of {@link #frame(String, long)}. */
    static MaskEvent mask(String camera, long sequence) {
        return mask(camera, sequence, sequence);
    }

    static MaskEvent mask(String camera, long sequence, long captureMillis) {
        return MaskEvent.newBuilder(TestMasks.mask(camera, sequence, 80, 60, new byte[] {1}))
                .setCaptureTimestamp(Instant.ofEpochMilli(captureMillis))
                .build();
    }
}
