package io.canvasflow.synthetic;

import java.util.SplittableRandom;

/**
 * A fixed bank of tileable value-noise fields (fBm), built once from a constant seed, that scenes
 * sample at random offsets and scales; building noise per scene would cost more than rendering it.
 */
final class Textures {

    static final int SIZE = 256;
    private static final int MASK = SIZE - 1;

    /** The tiles of the bank, each built once from its own constant seed. */
    enum Tile {
        /** Soft blotches, a few per tile: stains, cloud banks, lighting. */
        SMOOTH(fbm(0x5EED0001L, 128, 5, 0.55)),

        /** Medium grain: facade wear, asphalt patches. */
        MEDIUM(fbm(0x5EED0002L, 32, 4, 0.6)),

        /** Fine grain: asphalt, concrete, fabric. */
        FINE(fbm(0x5EED0003L, 8, 3, 0.6)),

        /** Clustered high-frequency blobs: leaves. */
        LEAFY(leafy(0x5EED0004L)),

        /** Wispy, stretched fBm: clouds. */
        CLOUD(fbm(0x5EED0005L, 128, 6, 0.62)),

        /** Near-white per-pixel grain. */
        GRAIN(fbm(0x5EED0006L, 2, 2, 0.7));

        private final float[] values;

        Tile(float[] values) {
            this.values = values;
        }
    }

    private Textures() {}

    /** Nearest sample of a tile at {@code (x, y)}, wrapping; values lie in about -1..1. */
    static float at(Tile tile, int x, int y) {
        return tile.values[((y & MASK) << 8) | (x & MASK)];
    }

    /** Bilinear sample of a tile at a real position, wrapping. */
    static float smooth(Tile tile, double x, double y) {
        float[] t = tile.values;
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        int xa = x0 & MASK;
        int xb = (x0 + 1) & MASK;
        int ya = (y0 & MASK) << 8;
        int yb = ((y0 + 1) & MASK) << 8;
        float top = t[ya | xa] + (t[ya | xb] - t[ya | xa]) * fx;
        float bottom = t[yb | xa] + (t[yb | xb] - t[yb | xa]) * fx;
        return top + (bottom - top) * fy;
    }

    private static float[] fbm(long seed, int basePeriod, int octaves, double gain) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] out = new float[SIZE * SIZE];
        double amplitude = 1;
        int period = basePeriod;
        for (int o = 0; o < octaves && period >= 1; o++) {
            addValueNoise(out, rng, period, amplitude);
            amplitude *= gain;
            period /= 2;
        }
        normalise(out);
        return out;
    }

    /** Leaf clusters: the absolute value of a band-pass fBm, biased so gaps read as shadow. */
    private static float[] leafy(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] out = new float[SIZE * SIZE];
        addValueNoise(out, rng, 8, 1);
        addValueNoise(out, rng, 4, 0.7);
        addValueNoise(out, rng, 2, 0.35);
        normalise(out);
        for (int i = 0; i < out.length; i++) {
            out[i] = 1 - 2 * Math.abs(out[i]);
        }
        normalise(out);
        return out;
    }

    private static void addValueNoise(
            float[] out, SplittableRandom rng, int period, double amplitude) {
        int cells = SIZE / period;
        float[] lattice = new float[cells * cells];
        for (int i = 0; i < lattice.length; i++) {
            lattice[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        for (int y = 0; y < SIZE; y++) {
            int cy = y / period;
            double fy = ease((y % period) / (double) period);
            int r0 = cy * cells;
            int r1 = ((cy + 1) % cells) * cells;
            for (int x = 0; x < SIZE; x++) {
                int cx = x / period;
                int cx1 = (cx + 1) % cells;
                double fx = ease((x % period) / (double) period);
                double top = lattice[r0 + cx] + (lattice[r0 + cx1] - lattice[r0 + cx]) * fx;
                double bottom = lattice[r1 + cx] + (lattice[r1 + cx1] - lattice[r1 + cx]) * fx;
                out[y * SIZE + x] += (float) (amplitude * (top + (bottom - top) * fy));
            }
        }
    }

    private static double ease(double t) {
        return t * t * (3 - 2 * t);
    }

    private static void normalise(float[] v) {
        double mean = 0;
        for (float f : v) {
            mean += f;
        }
        mean /= v.length;
        double max = 1e-9;
        for (int i = 0; i < v.length; i++) {
            v[i] -= (float) mean;
            max = Math.max(max, Math.abs(v[i]));
        }
        float s = (float) (1 / max);
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
    }
}
