package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Timing on a shared machine is noisy: these bounds only check the order of magnitude. */
class PacerTest {

    @Test
    void shouldSpaceEventsAtTheGivenRate() throws InterruptedException {
        // Given 21 events at 100 per second: 20 periods of 10 ms
        Pacer pacer = Pacer.atFps(100);

        // When
        long start = System.nanoTime();
        for (int i = 0; i < 21; i++) {
            pacer.await();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // Then: about 0.2 s, certainly not instant and not seconds
        assertTrue(seconds > 0.1 && seconds < 2.0, seconds + " s");
    }

    @Test
    void shouldNotWaitWhenUnlimited() throws InterruptedException {
        Pacer pacer = FrameRate.max().pacerFor(new SyntheticCameraSource(0, 1));

        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            pacer.await();
        }

        assertTrue((System.nanoTime() - start) / 1e9 < 1.0);
        assertEquals(0, pacer.periodNanos());
    }

    @Test
    void shouldPaceRealTimeAtTheSourcesOwnRate() {
        Pacer pacer = FrameRate.realtime().pacerFor(new SyntheticCameraSource(0, 1));

        assertEquals(100_000_000L, pacer.periodNanos(), "10 fps");
    }

    @Test
    void shouldNotBurstToCatchUpAfterFallingBehind() throws InterruptedException {
        // Given a pacer at 20 fps whose caller stalls for 300 ms, six periods
        Pacer pacer = Pacer.atFps(20);
        pacer.await();
        Thread.sleep(300);

        // When the caller goes on
        long start = System.nanoTime();
        pacer.await();
        pacer.await();
        pacer.await();
        double seconds = (System.nanoTime() - start) / 1e9;

        // Then it is paced from now (two periods, 0.1 s) instead of sending six frames at once
        assertTrue(seconds > 0.05, seconds + " s");
    }

    @Test
    void shouldAdmitALiveCamerasNewestFramesAtTheGivenRateWithoutWaiting() {
        // Given a live camera sending 25 frames a second (every 40 ms) for 10 s, published at 5
        Pacer pacer = FrameRate.fixed(5).pacerFor(new SyntheticCameraSource(0, 1));
        long ms = 1_000_000L;

        // When each frame is offered as it comes
        int admitted = 0;
        long lastAdmitted = -1;
        long longestGap = 0;
        for (int i = 0; i < 250; i++) {
            long now = 7 * ms + i * 40 * ms;
            if (pacer.admit(now)) {
                admitted++;
                longestGap = lastAdmitted < 0 ? 0 : Math.max(longestGap, now - lastAdmitted);
                lastAdmitted = now;
            }
        }

        // Then one frame in five goes, the first at once, none further apart than a slot and a
        // frame, and the rate holds over the 10 s rather than drifting
        assertEquals(50, admitted);
        assertTrue(longestGap <= 240 * ms, longestGap / ms + " ms");
    }

    @Test
    void shouldStartALiveCamerasScheduleAgainAfterAStall() {
        Pacer pacer = Pacer.atFps(10);
        long ms = 1_000_000L;
        assertTrue(pacer.admit(0));
        assertTrue(!pacer.admit(50 * ms), "before its slot");
        assertTrue(pacer.admit(100 * ms));

        // a stream that stalled for 5 s: one frame, then the schedule from there, not a burst
        assertTrue(pacer.admit(5_100 * ms));
        assertTrue(!pacer.admit(5_150 * ms), "a burst to catch up");
        assertTrue(pacer.admit(5_200 * ms));
    }

    @Test
    void shouldSayTheRateALiveCameraIsPublishedAtForItsVideosToPlayAt() {
        FrameSource live = new LiveTestCamera(40, 1, false); // 25 fps
        FrameSource file = new SyntheticCameraSource(0, 1); // 10 fps

        // a live camera at --fps 5 gives every fifth frame: its video plays at 5, not 25
        assertEquals(5.0, FrameRate.fixed(5).publishedFps(live));
        assertEquals(25.0, FrameRate.fixed(50).publishedFps(live));
        assertEquals(25.0, FrameRate.realtime().publishedFps(live));
        assertEquals(25.0, FrameRate.max().publishedFps(live));
        // a file gives every frame, however fast: its video plays at its own rate
        assertEquals(10.0, FrameRate.fixed(50).publishedFps(file));
        assertEquals(10.0, FrameRate.max().publishedFps(file));
    }

    @Test
    void shouldNotPaceALiveCameraInRealTime() {
        // A live source comes at its own rate; pacing it at the rate it states would queue its
        // frames when it sends faster than it says
        FrameSource live =
                new ReconnectingSource(
                        new SyntheticCameraSource(0, 1),
                        first -> {
                            throw new FrameSourceException("not opened in this test");
                        });
        try (live) {
            assertEquals(0, FrameRate.realtime().pacerFor(live).periodNanos());
            assertEquals(100_000_000L, FrameRate.fixed(10).pacerFor(live).periodNanos());
        }
    }

    @Test
    void shouldRefuseANonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> Pacer.atFps(0));
        assertThrows(IllegalArgumentException.class, () -> FrameRate.fixed(-1));
    }
}
