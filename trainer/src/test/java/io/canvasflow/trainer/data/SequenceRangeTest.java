package io.canvasflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SequenceRangeTest {

    @Test
    void shouldSayWhichFramesATrainingRangeAndAHeldOutRangeShare() {
        SequenceRange frames = SequenceRange.parse("0-599", "--frames");

        // the held-out frames of the range, which train leaves out and now says so
        assertEquals(new SequenceRange(500, 599), frames.overlap(new SequenceRange(500, 700)));
        assertEquals(new SequenceRange(10, 20), frames.overlap(new SequenceRange(10, 20)));
        assertEquals(new SequenceRange(599, 599), frames.overlap(new SequenceRange(599, 800)));
        // and none for ranges apart
        assertNull(frames.overlap(new SequenceRange(600, 794)));
    }
}
