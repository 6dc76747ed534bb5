package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NewestFrameSourceTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void shouldGiveASlowReaderTheNewestFrameNotABacklog() throws Exception {
        // Given a camera sending every 10 ms, read by a publisher that takes 100 ms a frame
        LiveTestCamera camera = new LiveTestCamera(10, 0, false);
        try (NewestFrameSource newest = new NewestFrameSource(camera, "door", CLOCK)) {
            long previous = -1;
            for (int i = 0; i < 5; i++) {
                long sentBefore = camera.newest();
                SourceFrame frame = newest.next().orElseThrow();

                // Then each frame is at least the newest the camera had sent when it was asked for
                // (or the one it was sending), not the one after the last given
                assertTrue(frame.index() >= sentBefore - 1, frame.index() + " of " + sentBefore);
                assertTrue(frame.index() > previous);
                assertEquals(CLOCK.instant(), frame.captureTime(), "stamped when read");
                previous = frame.index();
                Thread.sleep(100);
            }
            // every frame the camera sent was skipped but the 5 given, one in the slot and one
            // on its way there
            long sent = camera.newest() + 1;
            assertTrue(newest.skipped() >= sent - 7, newest.skipped() + " skipped of " + sent);
            assertTrue(newest.behind() > 0, newest.behind() + " skipped while behind");
        }
        // and the reading thread closed the camera
        assertNotEquals(null, camera.closedBy());
        assertEquals("read-door", camera.closedBy().getName());
    }

    @Test
    void shouldEndWhenTheCameraEndsAndSayWhyWhenItFails() {
        try (NewestFrameSource ending =
                new NewestFrameSource(new LiveTestCamera(1, 3, false), "a", CLOCK)) {
            long frames = 0;
            for (Optional<SourceFrame> f = ending.next(); f.isPresent(); f = ending.next()) {
                frames++;
            }
            assertTrue(frames >= 1 && frames <= 3, frames + " frames");
        }
        try (NewestFrameSource failing =
                new NewestFrameSource(new LiveTestCamera(1, 3, true), "b", CLOCK)) {
            FrameSourceException e =
                    assertThrows(
                            FrameSourceException.class,
                            () -> {
                                while (failing.next().isPresent()) {
                                    // read on to the failure
                                }
                            });
            assertEquals("the test camera went away", e.getMessage());
        }
    }

    @Test
    void shouldNotCountABurstAsFallingBehind() throws Exception {
        // Given a camera of 10 frames a second that gives 30 at once when opened (what a stream
        // buffers while it is probed), then one every 100 ms
        FrameSource bursty =
                new FrameSource() {
                    private long index;

                    @Override
                    public Optional<SourceFrame> next() {
                        if (index >= 30) {
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return Optional.empty();
                            }
                        }
                        return Optional.of(
                                SourceFrame.of(OverlayRendererTest.solid(8, 8, 0), index++));
                    }

                    @Override
                    public double nativeFps() {
                        return 1; // a 500 ms threshold, well above the 100 ms spacing
                    }

                    @Override
                    public String description() {
                        return "a bursty camera";
                    }

                    @Override
                    public void close() {}
                };
        try (NewestFrameSource newest = new NewestFrameSource(bursty, "d", CLOCK)) {
            // When a publisher that keeps up takes five frames after the burst
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (newest.skipped() < 29 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            for (int i = 0; i < 5; i++) {
                newest.next().orElseThrow();
            }

            // Then the burst was skipped, but not as falling behind
            assertTrue(newest.skipped() >= 25, newest.skipped() + " skipped");
            assertEquals(0, newest.behind());
        }
    }

    @Test
    void shouldWaitForItsReaderWhenClosedByAnInterruptedThread() {
        // Given a publishing thread stopped by an interrupt, as PublishJob.stop does
        LiveTestCamera camera = new LiveTestCamera(10, 0, false);
        NewestFrameSource newest = new NewestFrameSource(camera, "e", CLOCK);
        newest.next().orElseThrow();
        Thread.currentThread().interrupt();

        // When it closes the source
        newest.close();

        // Then the reader closed the camera before close returned, and the interrupt is kept
        boolean interrupted = Thread.interrupted();
        assertNotEquals(null, camera.closedBy());
        assertTrue(interrupted, "the interrupt was kept");
    }

    @Test
    void shouldStopReadingWhenClosed() throws Exception {
        LiveTestCamera camera = new LiveTestCamera(10, 0, false);
        NewestFrameSource newest = new NewestFrameSource(camera, "c", CLOCK);
        newest.next().orElseThrow();

        newest.close();

        assertNotEquals(null, camera.closedBy());
        long after = camera.newest();
        Thread.sleep(100);
        assertEquals(after, camera.newest(), "nothing read after close");
        assertFalse(camera.closedBy().isAlive());
    }
}
