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
    void shouldRefuseANonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> Pacer.atFps(0));
        assertThrows(IllegalArgumentException.class, () -> FrameRate.fixed(-1));
    }
}
