package io.canvasflow.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class StreetSceneTest {

    /**
     * The background is painted strip by strip where the camera looks; a frame must not depend on
     * which strips earlier frames happened to paint.
     */
    @Test
    void shouldRenderTheSameFrameWhateverWasPaintedBefore() {
        for (long seed = 0; seed < 6; seed++) {
            StreetScene direct = StreetScene.build(seed, 160, 120);
            StreetScene walked = StreetScene.build(seed, 160, 120);
            for (int t = 0; t < 40; t += 3) {
                walked.render(t, t);
            }

            LabeledFrame a = direct.render(40, 99);
            LabeledFrame b = walked.render(40, 99);

            assertArrayEquals(
                    SyntheticVideoGeneratorTest.pixels(a), SyntheticVideoGeneratorTest.pixels(b));
            assertArrayEquals(a.labels(), b.labels());
        }
    }
}
