package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CanvasTest {

    @Test
    void shouldRoundTripWithinFloat16Precision() {
        Random random = new Random(42);
        float[] logits = new float[6 * 24 * 32];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian() * 8f;
        }
        Canvas canvas = new Canvas(6, 24, 32, logits, "v1");

        byte[] bytes = canvas.toBytes();
        Canvas back = Canvas.fromBytes(bytes, 6, 24, 32, "v1");

        assertEquals(2 * logits.length, bytes.length);
        float[] restored = back.logits();
        for (int i = 0; i < logits.length; i++) {
            // float16 keeps 11 significant bits: relative error at most 2^-11
            assertEquals(logits[i], restored[i], Math.abs(logits[i]) * 0x1p-11f + 1e-7f);
        }
        assertArrayEquals(canvas.argmax(), back.argmax());
    }

    @Test
    void shouldConvertHalfPrecisionEdgeCasesExactly() {
        float[] exact = {0f, -0f, 1f, -2f, 65504f, 0x1p-24f, 0.5f, 1025f};
        for (float v : exact) {
            assertEquals(v, Float16.toFloat(Float16.fromFloat(v)), 0f, "value " + v);
        }
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat(Float16.fromFloat(1e6f)));
        assertEquals(Float.NaN, Float16.toFloat(Float16.fromFloat(Float.NaN)));
        // ties to even: 2049 lies between 2048 and 2050 in half precision
        assertEquals(2048f, Float16.toFloat(Float16.fromFloat(2049f)));
    }

    @Test
    void shouldRejectBytesOfTheWrongLength() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Canvas.fromBytes(new byte[10], 6, 24, 32, "v1"));
        assertEquals("a float16 6x24x32 canvas is 9216 bytes, got 10", e.getMessage());
    }

    @Test
    void shouldRefuseNullLogitsOrModelVersionInOneSentence() {
        // Given a canvas without logits, and one without the version of its model
        // When they are made
        String noLogits =
                assertThrows(IllegalArgumentException.class, () -> new Canvas(6, 24, 32, null, "v"))
                        .getMessage();
        String noVersion =
                assertThrows(IllegalArgumentException.class, () -> Canvas.zeros(6, 24, 32, null))
                        .getMessage();

        // Then each is refused, saying what is missing
        assertEquals(
                java.util.List.of(
                        "a canvas needs its logits, got null",
                        "a canvas needs the version of the model that made it, got null"),
                java.util.List.of(noLogits, noVersion));
    }

    @Test
    void shouldTakeArgmaxPerPixel() {
        // 2 classes, 1x3: class 1 wins at pixels 0 and 2
        Canvas canvas = new Canvas(2, 1, 3, new float[] {0f, 5f, -1f, 1f, 2f, 0f}, "v");
        assertArrayEquals(new byte[] {1, 0, 1}, canvas.argmax());
    }
}
