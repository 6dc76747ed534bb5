package io.canvasflow.synthetic;

import static io.canvasflow.synthetic.StreetLabels.ROAD;

import java.util.SplittableRandom;

/** Paints the ground of a scene: the road, its markings and the pavements either side. */
final class GroundPainter {

    private GroundPainter() {}

    static void ground(Surface s, SceneLayout l, Weather w, SplittableRandom rng) {
        double h = l.viewHeight;
        int farPave =
                Colors.jitter(
                        Colors.pick(rng, 0xA8A6A0, 0xB4AC9B, 0x969698, 0x966455), rng, 12, true);
        int nearPave = rng.nextDouble() < 0.6 ? farPave : Colors.jitter(0xA5A5A2, rng, 20, true);
        int asphalt =
                Colors.jitter(
                        Colors.pick(rng, 0x4E4E52, 0x5F5F60, 0x3E3F42, 0x767572), rng, 10, true);
        int curb = Colors.jitter(0xB9B9B4, rng, 12, true);
        int marking = 0xE1E1DA;
        int centre = rng.nextBoolean() ? 0xD7B43C : marking;
        double tileFar = h * Colors.uniform(rng, 0.06, 0.12);
        double tileNear = h * Colors.uniform(rng, 0.08, 0.16);
        double dash = h * Colors.uniform(rng, 0.15, 0.3);
        double dashDuty = Colors.uniform(rng, 0.35, 0.6);
        boolean edgeLines = rng.nextDouble() < 0.6;
        boolean wet = rng.nextDouble() < 0.12;
        int ox = rng.nextInt(256);
        int oy = rng.nextInt(256);
        double laneH = l.laneHeight();
        int centreLane = l.lanes / 2;
        double farCurb = (l.roadTop - l.horizon) * 0.2;
        double nearCurb = h * 0.03;
        double cx = s.width / 2.0;
        for (int y = (int) Math.floor(l.horizon); y < s.height; y++) {
            double d = l.depthScale(y);
            double inv = 1 / d;
            int x0 = s.xFrom(0);
            int x1 = s.xTo(s.width);
            int row = y * s.width;
            if (y < l.roadTop && y >= l.roadTop - farCurb) {
                int c = y >= l.roadTop - 1 ? Colors.scale(curb, 0.6) : curb;
                for (int x = x0; x < x1; x++) {
                    s.rgb[row + x] =
                            Colors.scale(
                                    c, 1 + 0.04 * Textures.at(Textures.Tile.FINE, x * 2, y * 2));
                }
            } else if (y < l.roadTop) {
                for (int x = x0; x < x1; x++) {
                    s.rgb[row + x] = paving(farPave, x, y, cx, l.horizon, d, tileFar, ox, oy);
                }
            } else if (y < l.roadBottom) {
                // What crosses this row: a lane line (dashed, or a solid centre line), an edge
                // line, the gutter.
                double thick = Math.max(1, h * 0.011 * d);
                int line = -1;
                for (int k = 1; k < l.lanes; k++) {
                    if (Math.abs(y + 0.5 - (l.roadTop + k * laneH)) <= thick / 2 + 0.01) {
                        line = k;
                    }
                }
                double e1 = l.roadTop + thick * 2;
                double e2 = l.roadBottom - thick * 3;
                boolean edge =
                        edgeLines && ((y >= e1 && y < e1 + thick) || (y >= e2 && y < e2 + thick));
                boolean gutter = y >= l.roadBottom - thick;
                int paint = line == centreLane ? centre : marking;
                boolean solid = edge || (line == centreLane && centre != marking);
                int reflection = w.skyAt(1 - (y - l.roadTop) / (l.roadBottom - l.roadTop));
                double ty = y * inv;
                for (int x = x0; x < x1; x++) {
                    double tx = x * inv;
                    double v =
                            1
                                    + 0.08
                                            * Textures.smooth(
                                                    Textures.Tile.MEDIUM,
                                                    tx * 0.6 + ox,
                                                    ty * 1.5 + oy)
                                    + 0.1
                                            * Textures.at(
                                                    Textures.Tile.FINE,
                                                    (int) (tx * 2) + ox,
                                                    (int) (ty * 3) + oy)
                                    + 0.05 * Textures.at(Textures.Tile.GRAIN, x + ox, y + oy);
                    if (Textures.smooth(Textures.Tile.SMOOTH, tx * 0.5 + oy, ty * 1.2 + ox)
                            > 0.45) {
                        v *= 0.88;
                    }
                    int c = Colors.scale(asphalt, v);
                    if (wet) {
                        c = Colors.mix(Colors.scale(c, 0.7), reflection, 0.18);
                    }
                    if (edge || line > 0) {
                        double u = (x - cx) * inv / dash;
                        if (solid || (u - Math.floor(u)) < dashDuty) {
                            c =
                                    Colors.scale(
                                            paint,
                                            0.85 + 0.15 * Textures.at(Textures.Tile.FINE, x, y));
                        }
                    }
                    if (gutter) {
                        c = Colors.scale(c, 0.75);
                    }
                    s.rgb[row + x] = c;
                }
            } else if (y < l.roadBottom + nearCurb) {
                double t = (y - l.roadBottom) / nearCurb;
                for (int x = x0; x < x1; x++) {
                    s.rgb[row + x] =
                            Colors.scale(
                                    curb,
                                    (t < 0.45 ? 0.62 : 1.0)
                                            + 0.05 * Textures.at(Textures.Tile.FINE, x * 2, y * 2));
                }
            } else {
                for (int x = x0; x < x1; x++) {
                    s.rgb[row + x] = paving(nearPave, x, y, cx, l.roadBottom, d, tileNear, ox, oy);
                }
            }
            for (int x = x0; x < x1; x++) {
                s.tag[row + x] = ROAD;
            }
        }
    }

    /** Paving slabs in rough perspective: widths shrink with depth, joints converge. */
    private static int paving(
            int color, int x, int y, double cx, double y0, double d, double tile, int ox, int oy) {
        double tx = (x - cx) / (tile * d);
        double ty = (y - y0) / (tile * d * 0.4);
        int ix = (int) Math.floor(tx);
        int iy = (int) Math.floor(ty);
        double fx = (tx - ix) * tile * d;
        double fy = (ty - iy) * tile * d * 0.4;
        if (fx < 1 || fy < 1) {
            return Colors.scale(color, 0.78);
        }
        double v =
                0.92
                        + 0.12 * StreetLabels.hash01(ox, ix, iy)
                        + 0.06 * Textures.at(Textures.Tile.FINE, x * 2 + ox, y * 2 + oy)
                        + 0.05 * Textures.smooth(Textures.Tile.SMOOTH, x * 0.5 + oy, y + ox);
        return Colors.scale(color, v);
    }
}
