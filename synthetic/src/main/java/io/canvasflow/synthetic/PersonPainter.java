package io.canvasflow.synthetic;

import java.util.SplittableRandom;

/**
 * Pedestrians in profile, facing +x: head, torso, two arms and two legs as capsules, swinging
 * through a walk cycle of {@link #POSES} poses. Clothing colours overlap every other class.
 */
final class PersonPainter {

    static final int POSES = 8;

    private static final int[] SKIN = {0xEEC6A8, 0xDEB28C, 0xBE8C66, 0x8C6042, 0x624432};
    private static final int[] HAIR = {0x191412, 0x462D1E, 0x96784B, 0xA0A0A0, 0x6E3C23};
    private static final int[] CLOTHES = {
        0x1E1E22, 0x787A7E, 0x242E52,
        0x3E527A, 0xDEDED8, 0xAC2A28,
        0x3E643E, 0xB6A27A, 0x644834,
        0xD2B43E, 0xD28EA0, 0x64663E,
        0xA0A5AF, 0x466EA0
    };

    /** The look of one person, fixed across poses. */
    static final class Look {
        final int skin;
        final int hair;
        final int top;
        final int bottom;
        final int shoes;
        final int bag;
        final boolean coat;
        final boolean skirt;
        final boolean backpack;
        final double bulk;
        final int textureOffset;

        Look(SplittableRandom rng) {
            skin = Colors.jitter(SKIN[rng.nextInt(SKIN.length)], rng, 8, false);
            hair = HAIR[rng.nextInt(HAIR.length)];
            top = Colors.jitter(CLOTHES[rng.nextInt(CLOTHES.length)], rng, 12, false);
            bottom =
                    Colors.jitter(
                            rng.nextDouble() < 0.4
                                    ? 0x37486E
                                    : CLOTHES[rng.nextInt(CLOTHES.length)],
                            rng,
                            10,
                            false);
            shoes = Colors.pick(rng, 0x191919, 0x503C2D, 0xDCDCDC);
            bag = Colors.jitter(CLOTHES[rng.nextInt(CLOTHES.length)], rng, 10, false);
            coat = rng.nextDouble() < 0.25;
            skirt = !coat && rng.nextDouble() < 0.15;
            backpack = rng.nextDouble() < 0.25;
            bulk = Colors.uniform(rng, 0.9, 1.2);
            textureOffset = rng.nextInt(256);
        }
    }

    private PersonPainter() {}

    /**
     * Renders pose {@code pose} of a person {@code height} pixels tall; anchor at the feet. Parts
     * are rasterised back to front, each only over its own bounding box.
     *
     * @param shadow how dark the ground shadow is, 0..1
     */
    static Sprite pose(Look look, double height, int pose, boolean walking, double shadow) {
        int w = (int) Math.ceil(height * 0.8);
        int shadowRows = (int) Math.ceil(height * 0.03) + 1;
        int h = (int) Math.ceil(height) + shadowRows;
        Sprite s =
                new Sprite(w, h, w / 2, (int) Math.round(height) - 1, (int) (256 * (1 - shadow)));
        double phase = walking ? 2 * Math.PI * pose / POSES : 0;
        double swing = StrictMath.sin(phase);
        double b = look.bulk;
        Pen pen = new Pen(s, w / 2.0, height, look.textureOffset);

        if (shadow > 0) {
            pen.shadow(0.24, 0.03);
        }
        double[] near = leg(0.43 * swing, 0.25, 0.245, 0.5);
        double[] far = leg(-0.43 * swing, 0.25, 0.245, 0.5);
        double armSwing = -0.5 * swing;
        int outer = look.coat ? look.bag : look.top;

        arm(pen, -armSwing, b, outer, look.skin, 0.72);
        leg(pen, far, b, look.bottom, look.shoes, 0.75);
        leg(pen, near, b, look.bottom, look.shoes, 0.95);
        if (look.backpack) {
            pen.box(-0.17 * b, -0.07 * b, 0.2, 0.42, 0.03, look.bag, 0.85);
        }
        pen.torso(b, look.coat, outer);
        if (look.skirt) {
            pen.skirt(b, look.bottom);
        }
        arm(pen, armSwing, b, outer, look.skin, 1.05);
        pen.head(look.skin, look.hair);
        return s;
    }

    private static void leg(
            Pen pen, double[] j, double bulk, int trousers, int shoes, double shade) {
        double ankle = j[5] - 0.015;
        pen.capsule(j[0], j[1], j[2], j[3], 0.048 * bulk, trousers, shoes, ankle, shade);
        pen.capsule(j[2], j[3], j[4], j[5], 0.037 * bulk, trousers, shoes, ankle, shade);
        pen.capsule(j[4], j[5], j[4] + 0.055, j[5] + 0.005, 0.022, shoes, shoes, 0, shade);
    }

    private static void arm(
            Pen pen, double angle, double bulk, int sleeve, int skin, double shade) {
        double sx = 0.0;
        double sy = 0.2;
        double ex = sx + StrictMath.sin(angle) * 0.155;
        double ey = sy + StrictMath.cos(angle) * 0.155;
        double fore = angle + 0.25 + Math.max(0, angle) * 0.5;
        double hx = ex + StrictMath.sin(fore) * 0.15;
        double hy = ey + StrictMath.cos(fore) * 0.15;
        pen.capsule(sx, sy, ex, ey, 0.032 * bulk, sleeve, sleeve, 2, shade);
        pen.capsule(ex, ey, hx, hy, 0.027 * bulk, sleeve, sleeve, 2, shade);
        pen.capsule(hx, hy, hx, hy, 0.028, skin, skin, 2, shade);
    }

    /** Rasterises parts given in body units (height = 1, x = 0 at the body's centre line). */
    private static final class Pen {
        final Sprite s;
        final double cx;
        final double height;
        final int tex;

        Pen(Sprite s, double cx, double height, int tex) {
            this.s = s;
            this.cx = cx;
            this.height = height;
            this.tex = tex;
        }

        int x0(double bx) {
            return Math.max(0, (int) Math.floor(bx * height + cx));
        }

        int x1(double bx) {
            return Math.min(s.width, (int) Math.ceil(bx * height + cx) + 1);
        }

        int y0(double by) {
            return Math.max(0, (int) Math.floor(by * height));
        }

        int y1(double by) {
            return Math.min(s.height, (int) Math.ceil(by * height) + 1);
        }

        double px(int x) {
            return (x + 0.5 - cx) / height;
        }

        double py(int y) {
            return (y + 0.5) / height;
        }

        void put(int x, int y, double px, int color, double shade) {
            double v =
                    shade
                            * (1 + 0.06 * Textures.at(Textures.Tile.FINE, x * 2 + tex, y * 2))
                            * (1.06 - 0.4 * (px + 0.15));
            s.put(x, y, Colors.scale(color, v), Surface.SOLID);
        }

        void capsule(
                double ax,
                double ay,
                double bx,
                double by,
                double r,
                int color,
                int below,
                double split,
                double shade) {
            for (int y = y0(Math.min(ay, by) - r); y < y1(Math.max(ay, by) + r); y++) {
                double py = py(y);
                for (int x = x0(Math.min(ax, bx) - r); x < x1(Math.max(ax, bx) + r); x++) {
                    double px = px(x);
                    if (PersonPainter.capsule(px, py, ax, ay, bx, by, r)) {
                        put(x, y, px, py > split ? below : color, shade);
                    }
                }
            }
        }

        void box(
                double bx0, double bx1, double by0, double by1, double r, int color, double shade) {
            for (int y = y0(by0); y < y1(by1); y++) {
                double py = py(y);
                for (int x = x0(bx0); x < x1(bx1); x++) {
                    double px = px(x);
                    if (PersonPainter.box(px, py, bx0, bx1, by0, by1, r)) {
                        put(x, y, px, color, shade);
                    }
                }
            }
        }

        void torso(double bulk, boolean coat, int color) {
            double half = (coat ? 0.16 : 0.09) * bulk;
            for (int y = y0(0.155); y < y1(coat ? 0.72 : 0.53); y++) {
                double py = py(y);
                for (int x = x0(-half); x < x1(half); x++) {
                    double px = px(x);
                    if (PersonPainter.torso(px, py, bulk, coat)) {
                        put(x, y, px, color, 1.0 - 0.25 * py);
                    }
                }
            }
        }

        void skirt(double bulk, int color) {
            for (int y = y0(0.48); y < y1(0.68); y++) {
                double py = py(y);
                for (int x = x0(-0.14 * bulk); x < x1(0.14 * bulk); x++) {
                    double px = px(x);
                    if (PersonPainter.skirt(px, py, bulk)) {
                        put(x, y, px, color, 0.95);
                    }
                }
            }
        }

        void head(int skin, int hair) {
            for (int y = y0(0.0); y < y1(0.19); y++) {
                double py = py(y);
                for (int x = x0(-0.05); x < x1(0.07); x++) {
                    double px = px(x);
                    int part = PersonPainter.head(px, py);
                    if (part > 0) {
                        put(x, y, px, part == 2 ? hair : skin, 1);
                    }
                }
            }
        }

        void shadow(double rx, double ry) {
            for (int y = y0(0.965); y < s.height; y++) {
                double ey = (py(y) - 1.0) / ry;
                for (int x = x0(-rx); x < x1(rx); x++) {
                    double ex = px(x) / rx;
                    if (ex * ex + ey * ey < 1) {
                        s.put(x, y, 0, Surface.SHADOW);
                    }
                }
            }
        }
    }

    /** Knee and ankle for a thigh angle (radians from vertical, positive = forward). */
    private static double[] leg(double angle, double thigh, double shin, double hipY) {
        double kx = StrictMath.sin(angle) * thigh;
        double ky = hipY + StrictMath.cos(angle) * thigh;
        // The leg that is behind bends at the knee.
        double bend = angle < 0 ? -angle * 0.9 : 0;
        double shinAngle = angle - bend;
        double ax = kx + StrictMath.sin(shinAngle) * shin;
        double ay = ky + StrictMath.cos(shinAngle) * shin;
        // Keep the lower foot on the ground line.
        double lift = Math.max(0, ay - 0.965);
        return new double[] {0.0, hipY, kx, ky - lift, ax, ay - lift};
    }

    private static boolean torso(double px, double py, double bulk, boolean coat) {
        double bottom = coat ? 0.72 : 0.53;
        if (py < 0.155 || py > bottom) {
            return false;
        }
        double half = (0.085 - 0.012 * (py - 0.155) / 0.4) * bulk;
        if (coat && py > 0.5) {
            half += (py - 0.5) * 0.12;
        }
        double shoulder = 0.035;
        if (py < 0.155 + shoulder) {
            double dy = 0.155 + shoulder - py;
            double inner = half - shoulder;
            double dx = Math.abs(px) - inner;
            return dx < 0 || dx * dx + dy * dy < shoulder * shoulder;
        }
        return Math.abs(px) < half;
    }

    private static boolean skirt(double px, double py, double bulk) {
        if (py < 0.48 || py > 0.68) {
            return false;
        }
        return Math.abs(px) < (0.075 + (py - 0.48) * 0.3) * bulk;
    }

    /** 0 = outside, 1 = face/neck, 2 = hair. */
    private static int head(double px, double py) {
        double hx = 0.012;
        double hy = 0.075;
        double ex = (px - hx) / 0.052;
        double ey = (py - hy) / 0.066;
        if (ex * ex + ey * ey < 1) {
            // Hair covers the crown and the back of the head (the person faces +x).
            return (ey < -0.25 || ex < -0.35 + 0.3 * ey) ? 2 : 1;
        }
        if (capsule(px, py, 0.0, 0.12, 0.0, 0.165, 0.022)) {
            return 1;
        }
        return 0;
    }

    private static boolean box(
            double px, double py, double x0, double x1, double y0, double y1, double r) {
        double dx = Math.max(Math.max(x0 + r - px, px - (x1 - r)), 0);
        double dy = Math.max(Math.max(y0 + r - py, py - (y1 - r)), 0);
        return px >= x0 && px <= x1 && py >= y0 && py <= y1 && dx * dx + dy * dy <= r * r;
    }

    static boolean capsule(
            double px, double py, double ax, double ay, double bx, double by, double r) {
        double vx = bx - ax;
        double vy = by - ay;
        double wx = px - ax;
        double wy = py - ay;
        double len2 = vx * vx + vy * vy;
        double t = len2 > 0 ? Math.max(0, Math.min(1, (wx * vx + wy * vy) / len2)) : 0;
        double dx = wx - t * vx;
        double dy = wy - t * vy;
        return dx * dx + dy * dy <= r * r;
    }
}
