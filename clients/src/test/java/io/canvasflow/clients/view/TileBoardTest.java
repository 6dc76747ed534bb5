package io.canvasflow.clients.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.clients.JoinedMask;
import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which mask a camera's tile shows. */
class TileBoardTest {

    private final AtomicLong nanos = new AtomicLong();
    private final TileBoard board = new TileBoard(nanos::get);

    @Test
    void shouldShowTheNewRunAfterAPublisherRestartsItsSequence() {
        // Given a camera's run up to sequence 104, captured one second apart
        for (long sequence = 100; sequence <= 104; sequence++) {
            show("a", sequence, 1_000 * sequence);
        }

        // When its publisher restarts and numbers from 0 again, captured later
        show("a", 0, 200_000);
        show("a", 1, 201_000);

        // Then the tile follows the new run (it stayed on 104 until the new run passed it)
        assertEquals(List.of("a 1 201000"), tiles());
    }

    @Test
    void shouldKeepTheNewerTileWhenAnOlderMaskComesLate() {
        // Given the new run's second mask
        show("a", 104, 104_000);
        show("a", 0, 200_000);
        show("a", 1, 201_000);

        // When its first mask comes after it (released late by the join)
        show("a", 0, 200_000);

        // Then the tile stays on the newer one
        assertEquals(List.of("a 1 201000"), tiles());
    }

    @Test
    void shouldFollowACameraWhoseClockWasSetBack() {
        // Given a camera's frame 10, and its clock set back an hour before frame 11
        show("a", 10, 3_600_000);
        show("a", 11, 1_000);

        // Then the tile follows it, as the topology does, where it froze for the hour
        assertEquals(List.of("a 11 1000"), tiles());
    }

    @Test
    void shouldOrderMasksOfTheSameCaptureTimeBySequence() {
        show("a", 5, 1_000);
        show("a", 4, 1_000);
        show("b", 4, 1_000);
        show("b", 5, 1_000);

        assertEquals(List.of("a 5 1000", "b 5 1000"), tiles());
    }

    @Test
    void shouldForgetACameraWithNoMaskForFiveMinutesAsServeForgetsItsSeries() throws Exception {
        // Given cameras a and b with masks at 0, and b again at 4 minutes
        show("a", 1, 1_000);
        show("b", 1, 1_000);
        nanos.set(Duration.ofMinutes(4).toNanos());
        show("b", 2, 2_000);
        long version = board.awaitChange(-1, 0);

        // When five minutes and a moment have passed since a's mask
        nanos.set(Duration.ofMinutes(5).toNanos() + 1);

        // Then a's tile is gone, b's stays, and the board changed for the streams to tell
        assertEquals(List.of("b 2 2000"), tiles());
        assertEquals(version + 1, board.awaitChange(-1, 0));
        assertEquals(Duration.ofMinutes(5), TileBoard.FORGET_AFTER);
    }

    @Test
    void shouldWalkTheCamerasForIdleOnesAtMostOnceASecond() throws Exception {
        // Given a's mask at 0, and b's at five minutes, which walked the cameras then
        show("a", 1, 1_000);
        nanos.set(Duration.ofMinutes(5).toNanos());
        show("b", 1, 2_000);

        // When the board is read half a second later, a being idle for longer than five minutes
        nanos.set(Duration.ofMinutes(5).plusMillis(500).toNanos());
        List<String> withinTheSecond = tiles();
        nanos.set(Duration.ofMinutes(5).plusMillis(1_000).toNanos());
        List<String> aSecondOn = tiles();

        // Then a stays until a second after the last walk, and goes at the next
        assertEquals(List.of("a 1 1000", "b 1 2000"), withinTheSecond);
        assertEquals(List.of("b 1 2000"), aSecondOn);
    }

    private void show(String camera, long sequence, long captureMillis) {
        MaskEvent mask =
                MaskEvent.newBuilder(ViewServerTest.mask(camera, sequence))
                        .setCaptureTimestamp(Instant.ofEpochMilli(captureMillis))
                        .build();
        board.onJoined(new JoinedMask(mask, null));
    }

    /** Each tile as "camera sequence captureMillis". */
    private List<String> tiles() {
        return board.tiles().stream()
                .map(t -> t.camera() + " " + t.sequence() + " " + t.captureMillis())
                .toList();
    }
}
