package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FrameJoinBufferTest {

    private static final Duration IDLE = Duration.ofMinutes(5);

    private final AtomicLong nanos = new AtomicLong();
    private final FrameJoinBuffer join = join(3, Long.MAX_VALUE);

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
        FrameJoinBuffer roomy = join(10, Long.MAX_VALUE);
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
        FrameJoinBuffer roomy = join(10, Long.MAX_VALUE);
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

    @Test
    void shouldHoldNoMoreThanItsBudgetHoweverManyCamerasSend() {
        // Given a join of 1 MiB over all cameras, a camera that keeps sending, and 1,000 cameras
        // that each send one 64 KiB frame no mask will come for (junk ids, frames serve refused)
        long budget = 1L << 20;
        FrameJoinBuffer bounded = join(300, budget);
        byte[] image = new byte[64 << 10];
        long maxHeld = 0;

        // When they have all sent
        for (int c = 0; c < 1_000; c++) {
            if (c % 5 == 0) {
                bounded.onFrame(frame("live", c / 5, image));
            }
            bounded.onFrame(frame("junk-" + c, 0, image));
            maxHeld = Math.max(maxHeld, bounded.heldBytes());
        }

        // Then it never held more than its budget by its own count, though the frames came to 78
        // MiB; the live camera's first frame, pushed out for room, has its mask released at once
        // without it (the buffer's size to blame), and its newest frame is there for its mask
        assertTrue(maxHeld <= budget, maxHeld + " bytes held");
        assertEquals(
                List.of(new JoinedMask(mask("live", 0), null, true)),
                bounded.onMask(mask("live", 0)));
        assertEquals(
                List.of(new JoinedMask(mask("live", 199), frame("live", 199, image))),
                bounded.onMask(mask("live", 199)));
    }

    @Test
    void shouldForgetACameraWithNoFrameAndNoMaskForTheIdleTime() {
        // Given a camera that sent a frame and one whose mask waits for its frame, at 0, and a
        // camera that sent a frame at 4 minutes
        join.onFrame(frame("gone", 1));
        join.onMask(mask("waiting", 1));
        nanos.set(Duration.ofMinutes(4).toNanos());
        join.onFrame(frame("b", 1));

        // When five minutes and a moment have passed since the first two
        nanos.set(IDLE.toNanos() + 1);
        List<JoinedMask> released = join.forgetIdle();

        // Then the waiting mask is released without its frame, which will not come (not for want
        // of room), and only the third camera and its frame are held
        assertEquals(List.of(new JoinedMask(mask("waiting", 1), null)), released);
        assertEquals(
                List.of(1, 0, HeldBytes.of(frame("b", 1)) + HeldBytes.ofCamera("b")),
                List.of(join.waitingFrames(), join.waitingMasks(), join.heldBytes()));
    }

    @Test
    void shouldKeepTheFramesOfACameraThatKeepsSending() {
        // Given a camera that sends a frame a minute for ten minutes, with no mask yet
        for (int minute = 0; minute <= 10; minute++) {
            nanos.set(Duration.ofMinutes(minute).toNanos());
            join.onFrame(frame("a", minute));
        }

        // When its mask comes, then it meets its frame
        assertEquals(
                List.of(new JoinedMask(mask("a", 10), frame("a", 10))), join.onMask(mask("a", 10)));
    }

    @Test
    void shouldRefuseABudgetOfNoBytes() {
        // Given a follower told to hold no bytes for the join
        MaskFollower.Builder builder =
                MaskFollower.builder().setBootstrapServers("localhost:9092").optJoinMemory(0);

        // When it is built, then it is refused in one sentence
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals("expected a join buffer of at least one byte but found 0", e.getMessage());
    }

    private FrameJoinBuffer join(int perCamera, long maxBytes) {
        return new FrameJoinBuffer(perCamera, maxBytes, IDLE, nanos::get);
    }

    /** A frame captured at {@code sequence} ms. */
    static Frame frame(String camera, long sequence) {
        return frame(camera, sequence, sequence);
    }

    static Frame frame(String camera, long sequence, long captureMillis) {
        return frame(camera, sequence, captureMillis, new byte[3]);
    }

    /** A frame of {@code image}, which frames may share: the join counts each one's whole. */
    static Frame frame(String camera, long sequence, byte[] image) {
        return frame(camera, sequence, sequence, image);
    }

    static Frame frame(String camera, long sequence, long captureMillis, byte[] image) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(captureMillis))
                .setWidth(1)
                .setHeight(1)
                .setEncoding(ImageEncoding.RGB24)
                .setImage(ByteBuffer.wrap(image))
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
