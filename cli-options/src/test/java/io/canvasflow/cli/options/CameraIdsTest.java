package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CameraIdsTest {

    @Test
    void shouldTakeTheIdsServeTakes() {
        assertNull(CameraIds.problem("cam-1"));
        assertNull(CameraIds.problem("c".repeat(CameraIds.MAX_LENGTH)));
    }

    @Test
    void shouldSayWhyAnIdWillNotDo() {
        assertEquals(
                "is blank; give the id the camera's frames are published under",
                CameraIds.problem(" "));
        assertEquals(
                "is 257 characters, more than the 256 serve takes (camera.id.max.length); give a"
                        + " shorter one",
                CameraIds.problem("c".repeat(257)));
        assertEquals(
                "holds the control character U+000A; give one without",
                CameraIds.problem("cam\n1"));
    }

    @Test
    void shouldShowAnIdOnOneLineAndCutShort() {
        assertEquals("cam\\u000A1", CameraIds.shown("cam\n1"));
        assertEquals("c".repeat(40) + "...", CameraIds.shown("c".repeat(41)));
    }
}
