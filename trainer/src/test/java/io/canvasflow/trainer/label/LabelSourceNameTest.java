package io.canvasflow.trainer.label;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The camera id label makes of a source when no --camera is given. */
class LabelSourceNameTest {

    @Test
    void shouldNameAStreamWithoutItsUserAndPassword() {
        // a stream's credentials became the camera id, the record key and the transactional id
        assertEquals("cam", LabelCommand.stem("rtsp://admin:s3cret@cam"));
        assertEquals("stream", LabelCommand.stem("rtsp://admin:s3cret@cam:554/stream"));
        assertEquals("vtest", LabelCommand.stem("/data/vtest.avi"));
        assertEquals("frames", LabelCommand.stem("/data/frames/"));
    }
}
