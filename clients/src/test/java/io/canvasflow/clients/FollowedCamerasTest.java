package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which cameras a follower's statistics keep, on a clock the test moves. */
class FollowedCamerasTest {

    private static final Duration IDLE = Duration.ofMinutes(5);

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void shouldForgetACameraWithNoMaskForTheIdleTimeAndStartItAgainWhenItSends() {
        // Given cameras a and b with masks at 0, and b again at 4 minutes
        FollowedCameras cameras = new FollowedCameras(IDLE, nanos::get);
        cameras.record(mask("a", 1));
        cameras.record(mask("b", 1));
        nanos.set(Duration.ofMinutes(4).toNanos());
        cameras.record(mask("b", 2));

        // When 5 minutes and a moment have passed since a's mask
        nanos.set(IDLE.toNanos() + 1);

        // Then a is forgotten and b kept; a sending again starts new figures
        assertEquals(List.of("b 2"), frames(cameras));
        cameras.record(mask("a", 2));
        assertEquals(List.of("b 2", "a 1"), frames(cameras));
    }

    @Test
    void shouldKeepEveryCameraSeenWhenNotForgetting() {
        // Given statistics that forget nothing (as masks keeps them for its final table)
        FollowedCameras cameras = new FollowedCameras(null, nanos::get);
        cameras.record(mask("a", 1));

        // When a day passes without a mask
        nanos.set(Duration.ofDays(1).toNanos());

        // Then the camera is still there
        assertEquals(List.of("a 1"), frames(cameras));
    }

    @Test
    void shouldRefuseANonPositiveTimeToForgetAnIdleCamera() {
        // Given a follower told to forget cameras idle for no time at all
        MaskFollower.Builder builder =
                MaskFollower.builder()
                        .setBootstrapServers("localhost:9092")
                        .optForgetIdleCameras(Duration.ZERO);

        // When it is built
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);

        // Then it is refused in one sentence
        assertEquals(
                "expected a positive time to forget an idle camera but found PT0S", e.getMessage());
    }

    private static MaskEvent mask(String camera, long sequence) {
        return TestMasks.mask(camera, sequence, 2, 2, new byte[0]);
    }

    /** Each camera as "id frames". */
    private static List<String> frames(FollowedCameras cameras) {
        return cameras.snapshot().values().stream()
                .map(s -> s.cameraId() + " " + s.frames())
                .toList();
    }
}
