package io.canvasflow.clients.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.clients.JoinedMask;
import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which mask a camera's tile shows. */
class TileBoardTest {

    private final TileBoard board = new TileBoard();

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
