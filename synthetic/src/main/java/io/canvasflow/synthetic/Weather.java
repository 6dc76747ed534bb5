package io.canvasflow.synthetic;

import java.util.SplittableRandom;

/** Sky colours and global light of one scene. */
final class Weather {

    final int skyTop;
    final int skyHorizon;
    final Clouds clouds;
    final Light light;

    /**
     * How the clouds look.
     *
     * @param light their light colour
     * @param dark their dark colour
     * @param threshold cloud cover threshold on the cloud noise: lower means more cloud
     * @param opacity how opaque they are
     */
    record Clouds(int light, int dark, double threshold, double opacity) {}

    /**
     * The light.
     *
     * @param gain overall exposure, applied after rendering
     * @param warmth colour temperature: positive is warmer (more red, less blue)
     * @param shadow how dark shadows under objects are, 0..1
     * @param litWindows probability that a window is lit
     */
    record Light(double gain, double warmth, double shadow, double litWindows) {}

    private Weather(int skyTop, int skyHorizon, Clouds clouds, Light light) {
        this.skyTop = skyTop;
        this.skyHorizon = skyHorizon;
        this.clouds = clouds;
        this.light = light;
    }

    static Weather random(SplittableRandom rng) {
        double p = rng.nextDouble();
        if (p < 0.25) { // clear
            return new Weather(
                    Colors.jitter(0x3769B9, rng, 15, false),
                    Colors.jitter(0xA5C0DE, rng, 12, false),
                    new Clouds(0xF8F8FA, 0xC8CDD7, Colors.uniform(rng, 0.25, 0.5), 0.9),
                    new Light(
                            Colors.uniform(rng, 0.95, 1.1),
                            Colors.uniform(rng, 0, 0.06),
                            Colors.uniform(rng, 0.35, 0.55),
                            0.02));
        } else if (p < 0.55) { // broken cloud
            return new Weather(
                    Colors.jitter(0x557DB9, rng, 15, false),
                    Colors.jitter(0xB4C6DA, rng, 12, false),
                    new Clouds(0xEEEEF2, 0x969BA5, Colors.uniform(rng, -0.15, 0.15), 0.95),
                    new Light(
                            Colors.uniform(rng, 0.9, 1.05),
                            Colors.uniform(rng, -0.03, 0.04),
                            Colors.uniform(rng, 0.2, 0.45),
                            0.03));
        } else if (p < 0.8) { // overcast: a grey sky as bright as concrete
            int top = Colors.jitter(0x969CA6, rng, 20, true);
            return new Weather(
                    top,
                    Colors.jitter(0xC4C7CD, rng, 15, true),
                    new Clouds(0xD4D6DA, 0x7D828C, Colors.uniform(rng, -0.6, -0.2), 0.8),
                    new Light(
                            Colors.uniform(rng, 0.85, 1.0),
                            Colors.uniform(rng, -0.06, 0.0),
                            Colors.uniform(rng, 0.05, 0.2),
                            0.08));
        } else if (p < 0.9) { // dusk
            return new Weather(
                    Colors.jitter(0x323C73, rng, 15, false),
                    Colors.jitter(0xE69664, rng, 20, false),
                    new Clouds(0xD78C7D, 0x5F506E, Colors.uniform(rng, 0.0, 0.4), 0.85),
                    new Light(
                            Colors.uniform(rng, 0.65, 0.85),
                            Colors.uniform(rng, 0.06, 0.15),
                            Colors.uniform(rng, 0.1, 0.3),
                            0.35));
        } else { // haze
            return new Weather(
                    Colors.jitter(0xA5B2C3, rng, 12, false),
                    Colors.jitter(0xD4D4D2, rng, 10, false),
                    new Clouds(0xE1E1E1, 0xB9B9BE, Colors.uniform(rng, -0.2, 0.3), 0.5),
                    new Light(
                            Colors.uniform(rng, 0.95, 1.1),
                            Colors.uniform(rng, 0, 0.05),
                            Colors.uniform(rng, 0.1, 0.3),
                            0.02));
        }
    }

    /** The sky's gradient colour at height fraction {@code t} (0 top, 1 horizon). */
    int skyAt(double t) {
        int[] g = gradient;
        if (g == null) {
            g = new int[257];
            for (int i = 0; i <= 256; i++) {
                g[i] = Colors.mix(skyTop, skyHorizon, StrictMath.pow(i / 256.0, 0.8));
            }
            gradient = g;
        }
        return g[(int) (Math.max(0, Math.min(1, t)) * 256)];
    }

    private int[] gradient;
}
