package io.canvasflow.synthetic;

import java.util.SplittableRandom;

/** Trees and hedges: blobby outlines with ragged, leafy edges and clustered leaf shading. */
final class VegetationPainter {

    private VegetationPainter() {}

    /** A random foliage colour; autumn scenes get yellows and browns that overlap brick. */
    static int foliage(SplittableRandom rng, boolean autumn) {
        int c =
                autumn && rng.nextDouble() < 0.6
                        ? Colors.pick(rng, 0xA57D2D, 0xAA5F28, 0x87552D, 0x787837)
                        : Colors.pick(
                                rng, 0x3E602A, 0x305226, 0x557034, 0x647A3E, 0x707448, 0x263C24,
                                0x465A46);
        return Colors.jitter(c, rng, 10, false);
    }

    /**
     * Paints a canopy: a union of soft balls (a metaball field) whose border is cut by leaf noise,
     * so the outline is ragged and background shows through near the edge.
     */
    static void canopy(
            Surface s, double cx, double cy, double radius, int color, long seed, byte tag) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = 5 + rng.nextInt(5);
        double[] bx = new double[k];
        double[] by = new double[k];
        double[] br2 = new double[k];
        double[] tint = new double[k];
        bx[0] = cx;
        by[0] = cy;
        br2[0] = StrictMath.pow(radius * 0.62, 2);
        for (int i = 1; i < k; i++) {
            double a = rng.nextDouble() * 2 * Math.PI;
            double d = Colors.uniform(rng, 0.25, 0.62) * radius;
            bx[i] = cx + StrictMath.cos(a) * d * 1.15;
            by[i] = cy + StrictMath.sin(a) * d * 0.8;
            br2[i] = StrictMath.pow(Colors.uniform(rng, 0.28, 0.5) * radius, 2);
            tint[i] = Colors.uniform(rng, -0.08, 0.08);
        }
        double leafScale = Colors.uniform(rng, 0.8, 1.5) * Math.max(0.6, 28 / radius);
        double ox = rng.nextInt(256);
        double oy = rng.nextInt(256);
        double raggedness = Colors.uniform(rng, 0.35, 0.55);
        int x0 = (int) Math.floor(cx - 1.3 * radius);
        int x1 = (int) Math.ceil(cx + 1.3 * radius);
        int y0 = (int) Math.floor(cy - 1.2 * radius);
        int y1 = (int) Math.ceil(cy + 1.1 * radius);
        for (int y = Math.max(0, y0); y < Math.min(s.height, y1); y++) {
            for (int x = s.xFrom(x0); x < s.xTo(x1); x++) {
                double f = 0;
                double t = 0;
                for (int i = 0; i < k; i++) {
                    double dx = x - bx[i];
                    double dy = y - by[i];
                    double v = br2[i] / (dx * dx + dy * dy + 1);
                    f += v;
                    t += v * tint[i];
                }
                if (f < 0.45) {
                    continue;
                }
                double leaf =
                        Textures.smooth(
                                Textures.Tile.LEAFY, x * leafScale + ox, y * leafScale + oy);
                if (f * (1 + raggedness * leaf) < 1.1) {
                    continue;
                }
                double light = 0.8 + 0.25 * (cy - y) / radius + 0.08 * (cx - x) / radius;
                double v = light * (0.78 + 0.32 * leaf) + t / f;
                if (leaf < -0.5) {
                    v *= 0.62;
                }
                v += 0.05 * Textures.at(Textures.Tile.GRAIN, x + (int) ox, y + (int) oy);
                s.put(x, y, Colors.scale(color, v), tag);
            }
        }
    }

    /** A trunk from {@code base} up to {@code top}, bark-textured. */
    static void trunk(
            Surface s, double cx, double top, double base, double width, int bark, byte tag) {
        int x0 = (int) Math.floor(cx - width / 2);
        int x1 = (int) Math.ceil(cx + width / 2);
        for (int y = Math.max(0, (int) top); y < Math.min(s.height, (int) Math.ceil(base)); y++) {
            // The trunk flares a little at the foot.
            double flare = Math.max(0, (y - base + width * 1.5) / (width * 1.5)) * width * 0.35;
            for (int x = s.xFrom((int) (x0 - flare)); x < s.xTo((int) Math.ceil(x1 + flare)); x++) {
                double across = (x + 0.5 - cx) / (width / 2 + flare);
                if (Math.abs(across) > 1) {
                    continue;
                }
                double v =
                        (1.0 - 0.35 * across * across - 0.15 * across)
                                * (1 + 0.15 * Textures.at(Textures.Tile.MEDIUM, x * 4, y / 2));
                s.put(x, y, Colors.scale(bark, v), tag);
            }
        }
    }

    /** A hedge or bush: a box with a bumpy, ragged top and rounded ends. */
    static void hedge(
            Surface s,
            double x0,
            double x1,
            double top,
            double base,
            int color,
            long seed,
            byte tag) {
        SplittableRandom rng = new SplittableRandom(seed);
        double ox = rng.nextInt(256);
        double oy = rng.nextInt(256);
        double h = base - top;
        double leafScale = Colors.uniform(rng, 1.0, 1.8) * Math.max(0.7, 20 / h);
        double bump = Colors.uniform(rng, 0.15, 0.35);
        double bumpScale = Colors.uniform(rng, 1.5, 4) / h;
        for (int x = s.xFrom((int) x0); x < s.xTo((int) Math.ceil(x1)); x++) {
            double u = (x - x0) / (x1 - x0);
            double end = Math.min(u, 1 - u) * (x1 - x0) / h;
            double round = end < 0.5 ? 0.5 - Math.sqrt(Math.max(0, end * (1 - end))) : 0;
            double yTop =
                    top
                            + h
                                    * bump
                                    * (0.5
                                            + 0.5
                                                    * Textures.smooth(
                                                            Textures.Tile.MEDIUM,
                                                            x * bumpScale * 8 + ox,
                                                            oy))
                            + h * round;
            for (int y = Math.max(0, (int) yTop);
                    y < Math.min(s.height, (int) Math.ceil(base));
                    y++) {
                double leaf =
                        Textures.smooth(
                                Textures.Tile.LEAFY, x * leafScale + ox, y * leafScale + oy);
                if (y - yTop < h * 0.12 && leaf < -0.1) {
                    continue;
                }
                double v = (0.75 + 0.3 * leaf) * (1.08 - 0.35 * (y - top) / h);
                if (leaf < -0.55) {
                    v *= 0.65;
                }
                s.put(x, y, Colors.scale(color, v), tag);
            }
        }
    }

    /** A grass verge: a strip of fine vertical streaks. */
    static void grass(Surface s, int x0, int x1, int y0, int y1, int color, long seed, byte tag) {
        int ox = (int) (seed & 0xff);
        for (int y = Math.max(0, y0); y < Math.min(s.height, y1); y++) {
            for (int x = s.xFrom(x0); x < s.xTo(x1); x++) {
                double v =
                        0.85
                                + 0.2 * Textures.at(Textures.Tile.FINE, x * 3 + ox, y / 2)
                                + 0.1
                                        * Textures.smooth(
                                                Textures.Tile.MEDIUM, x * 0.5, y * 0.5 + ox);
                s.put(x, y, Colors.scale(color, v), tag);
            }
        }
    }

    /** A street tree as a sprite, standing at the bottom centre. */
    static Sprite treeSprite(double radius, double trunkHeight, int leaves, int bark, long seed) {
        int w = (int) Math.ceil(radius * 2.8);
        int h = (int) Math.ceil(trunkHeight + radius * 2.3);
        Sprite sprite = new Sprite(w, h, w / 2, h - 1, 256);
        double cx = w / 2.0;
        double cy = radius * 1.2;
        trunk(sprite, cx, cy, h, Math.max(2, radius * 0.16), bark, Surface.SOLID);
        canopy(sprite, cx, cy, radius, leaves, seed, Surface.SOLID);
        return sprite;
    }

    /** A bush as a sprite, standing at the bottom centre. */
    static Sprite bushSprite(double width, double height, int leaves, long seed) {
        int w = (int) Math.ceil(width);
        int h = (int) Math.ceil(height);
        Sprite sprite = new Sprite(w, h, w / 2, h - 1, 256);
        hedge(sprite, 0, w, 0, h, leaves, seed, Surface.SOLID);
        return sprite;
    }
}
