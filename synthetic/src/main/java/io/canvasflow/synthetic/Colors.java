package io.canvasflow.synthetic;

import java.util.SplittableRandom;

/** Packed {@code 0xRRGGBB} colour arithmetic for the synthetic renderer. */
final class Colors {

    private Colors() {}

    static int rgb(int r, int g, int b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    static int rgb(double r, double g, double b) {
        return rgb((int) (r + 0.5), (int) (g + 0.5), (int) (b + 0.5));
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    static int r(int c) {
        return (c >> 16) & 0xff;
    }

    static int g(int c) {
        return (c >> 8) & 0xff;
    }

    static int b(int c) {
        return c & 0xff;
    }

    /** Multiplies all channels by {@code f}. */
    static int scale(int c, double f) {
        return rgb(r(c) * f, g(c) * f, b(c) * f);
    }

    /** Linear blend: {@code t = 0} gives {@code a}, {@code t = 1} gives {@code b}. */
    static int mix(int a, int b, double t) {
        if (t <= 0) {
            return a;
        }
        if (t >= 1) {
            return b;
        }
        return rgb(r(a) + (r(b) - r(a)) * t, g(a) + (g(b) - g(a)) * t, b(a) + (b(b) - b(a)) * t);
    }

    /** Moves each channel by up to {@code amount} at random, the same for all when {@code tied}. */
    static int jitter(int c, SplittableRandom rng, int amount, boolean tied) {
        int d = rng.nextInt(-amount, amount + 1);
        if (tied) {
            return rgb(r(c) + d, g(c) + d, b(c) + d);
        }
        return rgb(
                r(c) + d,
                g(c) + rng.nextInt(-amount, amount + 1),
                b(c) + rng.nextInt(-amount, amount + 1));
    }

    static int pick(SplittableRandom rng, int... colors) {
        return colors[rng.nextInt(colors.length)];
    }

    static double smoothstep(double e0, double e1, double x) {
        double t = Math.max(0, Math.min(1, (x - e0) / (e1 - e0)));
        return t * t * (3 - 2 * t);
    }

    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
