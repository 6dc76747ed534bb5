package io.canvasflow.synthetic;

import static io.canvasflow.synthetic.StreetLabels.BUILDING;
import static io.canvasflow.synthetic.StreetLabels.SKY;
import static io.canvasflow.synthetic.StreetLabels.VEGETATION;

import java.util.SplittableRandom;

/**
 * Paints the static world once per scene, back to front: sky, a hazy skyline, the street's
 * buildings, the ground (pavements and road), and the trees and hedges along the far pavement.
 * Labels are written with the same pixels as the colours, so they match exactly.
 */
final class BackgroundPainter {

    private BackgroundPainter() {}

    static void paint(
            Surface world,
            SceneLayout layout,
            Weather weather,
            boolean autumn,
            SplittableRandom rng) {
        SplittableRandom skyRng = rng.split();
        int skyRows = Math.min(world.height, (int) Math.ceil(layout.roadTop) + 1);
        for (int y = 0; y < skyRows; y++) {
            for (int x = world.xFrom(0); x < world.xTo(world.width); x++) {
                world.tag[y * world.width + x] = UNPAINTED;
            }
        }
        if (rng.nextDouble() < 0.5) {
            skyline(world, layout, weather, rng.split());
        }
        buildings(world, layout, weather, rng.split());
        GroundPainter.ground(world, layout, weather, rng.split());
        farVegetation(world, layout, autumn, rng.split());
        // The sky is the back layer, so it only needs painting where nothing else is.
        sky(world, layout, weather, skyRng);
    }

    private static final byte UNPAINTED = (byte) 0xff;

    private static void sky(Surface s, SceneLayout l, Weather w, SplittableRandom rng) {
        double fx = Colors.uniform(rng, 0.6, 1.5) * 192.0 / l.viewHeight;
        double fy = fx * Colors.uniform(rng, 1.5, 2.6);
        double ox = rng.nextInt(256);
        double oy = rng.nextInt(256);
        int rows = Math.min(s.height, (int) Math.ceil(l.roadTop) + 1);
        for (int y = 0; y < rows; y++) {
            int base = w.skyAt(y / l.horizon);
            for (int x = s.xFrom(0); x < s.xTo(s.width); x++) {
                if (s.tag[y * s.width + x] != UNPAINTED) {
                    continue;
                }
                double n = Textures.smooth(Textures.Tile.CLOUD, x * fx + ox, y * fy + oy);
                double cover =
                        Colors.smoothstep(w.clouds.threshold(), w.clouds.threshold() + 0.45, n);
                int c = base;
                if (cover > 0) {
                    double lit =
                            0.55
                                    + 0.45 * (n - w.clouds.threshold())
                                    + 0.25
                                            * Textures.smooth(
                                                    Textures.Tile.MEDIUM,
                                                    x * fx * 2 + oy,
                                                    y * fy + ox);
                    int cloud = Colors.mix(w.clouds.dark(), w.clouds.light(), lit);
                    c = Colors.mix(base, cloud, cover * w.clouds.opacity());
                }
                s.put(x, y, c, SKY);
            }
        }
    }

    /** Distant buildings, washed towards the horizon colour. */
    private static void skyline(Surface s, SceneLayout l, Weather w, SplittableRandom rng) {
        double h = l.viewHeight;
        int grey = Colors.jitter(0x878A91, rng, 25, true);
        double x = -rng.nextDouble() * h * 0.3;
        while (x < s.width) {
            double bw = h * Colors.uniform(rng, 0.2, 0.6);
            int top = (int) (l.horizon - h * Colors.uniform(rng, 0.25, 0.6));
            int col =
                    Colors.mix(
                            Colors.jitter(grey, rng, 12, false),
                            w.skyHorizon,
                            Colors.uniform(rng, 0.3, 0.6));
            double sx = h * Colors.uniform(rng, 0.04, 0.08);
            double sy = h * Colors.uniform(rng, 0.05, 0.09);
            int xa = (int) x;
            int xb = (int) (x + bw);
            for (int y = Math.max(0, top); y <= (int) l.horizon; y++) {
                boolean row = ((y - top) % sy) > sy * 0.45;
                for (int xx = s.xFrom(xa); xx < s.xTo(xb); xx++) {
                    boolean win = row && ((xx - xa) % sx) > sx * 0.5;
                    s.put(xx, y, win ? Colors.scale(col, 0.9) : col, BUILDING);
                }
            }
            x += bw + (rng.nextDouble() < 0.3 ? h * Colors.uniform(rng, 0.05, 0.3) : 0);
        }
    }

    private static void buildings(Surface s, SceneLayout l, Weather w, SplittableRandom rng) {
        double h = l.viewHeight;
        double x = -rng.nextDouble() * h * 0.5;
        while (x < s.width) {
            double bw = h * Colors.uniform(rng, 0.4, 1.2);
            double height =
                    h
                            * (rng.nextDouble() < 0.25
                                    ? Colors.uniform(rng, 0.4, 0.75)
                                    : Colors.uniform(rng, 0.12, 0.42));
            building(
                    s,
                    l,
                    w,
                    rng.split(),
                    (int) x,
                    (int) (x + bw),
                    (int) (l.horizon - height),
                    (int) Math.ceil(l.horizon) + 1);
            x += bw + (rng.nextDouble() < 0.45 ? h * Colors.uniform(rng, 0.1, 0.5) : 0);
        }
    }

    private static final int CONCRETE = 0;
    private static final int PLASTER = 1;
    private static final int BRICK = 2;
    private static final int STONE = 3;
    private static final int GLASS = 4;
    private static final int PANEL = 5;

    private static int facadeColor(int kind, SplittableRandom rng) {
        int c =
                switch (kind) {
                    case CONCRETE -> Colors.jitter(0x969694, rng, 35, true);
                    case PLASTER ->
                            Colors.pick(
                                    rng, 0xCDBE9B, 0xDAD4C8, 0xCDA296, 0xD7C384, 0xA2B4C3,
                                    0xA2B498);
                    case BRICK -> Colors.pick(rng, 0x8C422E, 0x784838, 0xA56648, 0x5C382E);
                    case STONE -> Colors.pick(rng, 0xACA28E, 0x8C887E);
                    case PANEL -> Colors.jitter(0x484A4E, rng, 12, true);
                    default -> 0x3C5A64;
                };
        return Colors.jitter(c, rng, 8, false);
    }

    private static void building(
            Surface s,
            SceneLayout l,
            Weather w,
            SplittableRandom rng,
            int x0,
            int x1,
            int top,
            int base) {
        double h = l.viewHeight;
        double p = rng.nextDouble();
        int kind =
                p < 0.27
                        ? CONCRETE
                        : p < 0.47
                                ? PLASTER
                                : p < 0.67 ? BRICK : p < 0.77 ? STONE : p < 0.9 ? GLASS : PANEL;
        int facade = facadeColor(kind, rng);
        long seed = rng.nextLong();
        double floorH = h * Colors.uniform(rng, 0.1, 0.16);
        double cellW = h * Colors.uniform(rng, 0.075, 0.14);
        double winW = cellW * Colors.uniform(rng, 0.4, 0.72);
        double winH = floorH * Colors.uniform(rng, 0.4, 0.65);
        double winTop = floorH * Colors.uniform(rng, 0.15, 0.3);
        int cornice = (int) Math.round(h * Colors.uniform(rng, 0.006, 0.03));
        int corniceCol = Colors.scale(facade, rng.nextBoolean() ? 0.78 : 1.15);
        int groundH = rng.nextDouble() < 0.6 ? (int) (floorH * Colors.uniform(rng, 1.1, 1.4)) : 0;
        boolean awning = groundH > 0 && rng.nextDouble() < 0.4;
        int awningCol = Colors.pick(rng, 0xA01E1E, 0x1E5A3C, 0x283C78, 0xC8A028);
        int frame = rng.nextBoolean() ? 0xD7D7D2 : 0x37373A;
        int glassDark = Colors.jitter(0x303844, rng, 10, false);
        int tint = Colors.pick(rng, 0x3C5F69, 0x46556E, 0x5F5541, 0x78828C);
        double reflect = Colors.uniform(rng, 0.15, 0.55);
        double stain = Colors.uniform(rng, 0.04, 0.14);
        double grain = Colors.uniform(rng, 0.02, 0.08);
        boolean slabs = rng.nextDouble() < 0.4;
        int ox = rng.nextInt(256);
        int oy = rng.nextInt(256);
        int width = x1 - x0;
        int cols = Math.max(1, (int) ((width - cellW * 0.3) / cellW));
        double margin = (width - cols * cellW) / 2;
        int sideW = rng.nextDouble() < 0.5 ? (int) (h * Colors.uniform(rng, 0.01, 0.035)) : 0;
        boolean sideLeft = rng.nextBoolean();
        int brickH = Math.max(2, (int) Math.round(h * 0.016));
        int brickW = (int) Math.round(brickH * Colors.uniform(rng, 2.2, 2.8));
        int mortar = Colors.mix(facade, 0xBEB9AF, 0.6);
        double panelW = cellW / (rng.nextBoolean() ? 1 : 2);
        int mullion = rng.nextBoolean() ? 0x46484C : 0xBEC0C3;
        int windowBottom = base - groundH;
        double span = base - top;

        for (int y = Math.max(0, top); y < Math.min(s.height, base); y++) {
            int ly = y - top;
            boolean inGround = groundH > 0 && y >= windowBottom;
            for (int x = s.xFrom(x0); x < s.xTo(x1); x++) {
                int lx = x - x0;
                int c;
                if (kind == GLASS) {
                    // Curtain wall: mirrors the sky, split by mullions.
                    int refl = w.skyAt(1 - 0.8 * ly / span);
                    double n = Textures.smooth(Textures.Tile.CLOUD, x * 0.9 + ox, y * 1.4 + oy);
                    refl = Colors.mix(refl, w.clouds.light(), Math.max(0, n) * 0.6);
                    c = Colors.mix(refl, tint, 1 - reflect);
                    int pc = (int) (lx / panelW);
                    int pr = (int) ((ly - cornice) / floorH);
                    c = Colors.scale(c, 0.9 + 0.12 * StreetLabels.hash01(seed, pc, pr));
                    if (lx % panelW < 1.2 || (ly - cornice) % floorH < 1.6) {
                        c = mullion;
                    }
                } else {
                    c = facade;
                    if (kind == BRICK) {
                        int row = ly / brickH;
                        int off = (row & 1) * brickW / 2;
                        if (ly % brickH == 0 || (lx + off) % brickW == 0) {
                            c = mortar;
                        } else {
                            c =
                                    Colors.scale(
                                            c,
                                            0.86
                                                    + 0.28
                                                            * StreetLabels.hash01(
                                                                    seed,
                                                                    row,
                                                                    (lx + off) / brickW));
                        }
                    } else if (slabs && (ly - cornice) % floorH < 1) {
                        c = Colors.scale(c, 0.82);
                    }
                    double v =
                            1
                                    + stain
                                            * Textures.smooth(
                                                    Textures.Tile.SMOOTH,
                                                    x * 0.8 + ox,
                                                    y * 0.5 + oy)
                                    + grain
                                            * Textures.at(
                                                    Textures.Tile.FINE, x * 2 + ox, y * 2 + oy)
                                    + 0.5
                                            * grain
                                            * Textures.at(Textures.Tile.GRAIN, x + ox, y + oy);
                    c = Colors.scale(c, v);
                    // Windows, floor by floor above the shop front.
                    int fl = (int) Math.floor((ly - cornice) / floorH);
                    double fy = (ly - cornice) - fl * floorH;
                    int col = (int) Math.floor((lx - margin) / cellW);
                    double fx = (lx - margin) - col * cellW - (cellW - winW) / 2;
                    double wy = fy - winTop;
                    boolean rowOk = ly >= cornice && y + (winH - wy) < windowBottom;
                    if (rowOk
                            && col >= 0
                            && col < cols
                            && wy >= -1
                            && wy < winH + 1
                            && fx >= -1
                            && fx < winW + 1) {
                        boolean edge = wy < 0 || wy >= winH || fx < 0 || fx >= winW;
                        if (edge) {
                            c = wy >= winH ? Colors.scale(facade, 1.18) : frame;
                        } else {
                            double r = StreetLabels.hash01(seed, fl, col);
                            if (r < w.light.litWindows()) {
                                c = 0xEBCD82;
                            } else {
                                int refl = w.skyAt(0.3 + 0.5 * wy / winH);
                                c =
                                        Colors.mix(
                                                glassDark,
                                                refl,
                                                reflect * (1 - wy / winH) + 0.1 * r);
                                if (r > 0.85 && wy < winH * 0.45) {
                                    c = 0xBEAF96;
                                }
                            }
                        }
                    }
                }
                if (ly < cornice) {
                    c = Colors.scale(corniceCol, 1 + 0.05 * Textures.at(Textures.Tile.FINE, x, y));
                }
                if (inGround) {
                    c =
                            shopFront(
                                    c,
                                    facade,
                                    awning,
                                    awningCol,
                                    y - windowBottom,
                                    groundH,
                                    lx,
                                    cellW,
                                    glassDark,
                                    w,
                                    seed);
                }
                if (sideW > 0 && (sideLeft ? lx < sideW : width - lx <= sideW)) {
                    c = Colors.scale(c, 0.78);
                }
                s.put(x, y, c, BUILDING);
            }
        }
        // Rooftop boxes: plant rooms, water tanks.
        int boxes = rng.nextInt(3);
        for (int i = 0; i < boxes; i++) {
            int bw = (int) (h * Colors.uniform(rng, 0.05, 0.15));
            int bh = (int) (h * Colors.uniform(rng, 0.025, 0.07));
            int bx = x0 + rng.nextInt(Math.max(1, width - bw));
            int bc = Colors.scale(facade, Colors.uniform(rng, 0.6, 0.9));
            for (int y = Math.max(0, top - bh); y < Math.max(0, top); y++) {
                for (int x = s.xFrom(bx); x < s.xTo(bx + bw); x++) {
                    s.put(
                            x,
                            y,
                            Colors.scale(bc, 1 + 0.05 * Textures.at(Textures.Tile.FINE, x, y)),
                            BUILDING);
                }
            }
        }
    }

    private static int shopFront(
            int c,
            int facade,
            boolean awning,
            int awningCol,
            int gy,
            int groundH,
            int lx,
            double cellW,
            int glassDark,
            Weather w,
            long seed) {
        if (awning && gy < groundH * 0.28) {
            boolean stripe = ((int) (lx / (cellW / 4))) % 2 == 0;
            int a = stripe ? awningCol : 0xE1DED7;
            return gy > groundH * 0.24
                    ? Colors.scale(a, 0.6)
                    : Colors.scale(a, 0.95 - 0.2 * gy / groundH);
        }
        double bay = lx / (cellW * 2);
        double inBay = (bay - Math.floor(bay)) * cellW * 2;
        if (inBay < cellW * 0.22 || gy < groundH * 0.3 || gy > groundH * 0.95) {
            return Colors.scale(facade, 0.85);
        }
        int idx = (int) bay;
        if (StreetLabels.hash01(seed, idx, 99) < 0.2) {
            return 0x3A2E26; // a door
        }
        int interior =
                Colors.mix(glassDark, 0x96826E, 0.25 * StreetLabels.hash01(seed, idx, gy / 4));
        return Colors.mix(interior, w.skyHorizon, 0.18 * (1 - (double) gy / groundH));
    }

    /** Trees, hedges and a grass verge along the far pavement. */
    private static void farVegetation(
            Surface s, SceneLayout l, boolean autumn, SplittableRandom rng) {
        double h = l.viewHeight;
        double pave = l.roadTop - l.horizon;
        if (rng.nextDouble() < 0.3) {
            int grass = Colors.jitter(0x5A7837, rng, 15, false);
            int top = (int) l.horizon;
            int bottom = (int) (l.horizon + pave * Colors.uniform(rng, 0.3, 0.6));
            double x = rng.nextDouble() * h;
            while (x < s.width) {
                double len = h * Colors.uniform(rng, 0.5, 1.5);
                VegetationPainter.grass(
                        s,
                        (int) x,
                        (int) (x + len),
                        top,
                        bottom,
                        grass,
                        rng.nextLong(),
                        VEGETATION);
                x += len + h * Colors.uniform(rng, 0.2, 1.0);
            }
        }
        int hedges = rng.nextInt(4);
        for (int i = 0; i < hedges; i++) {
            double x0 = rng.nextDouble() * s.width;
            double len = h * Colors.uniform(rng, 0.2, 0.8);
            double base = l.horizon + pave * Colors.uniform(rng, 0.3, 0.6);
            double height = h * Colors.uniform(rng, 0.05, 0.1);
            VegetationPainter.hedge(
                    s,
                    x0,
                    x0 + len,
                    base - height,
                    base,
                    VegetationPainter.foliage(rng, autumn),
                    rng.nextLong(),
                    VEGETATION);
        }
        if (rng.nextDouble() < 0.75) {
            double x = rng.nextDouble() * h * 0.6;
            double spacing = h * Colors.uniform(rng, 0.45, 1.3);
            int bark = Colors.pick(rng, 0x483A2C, 0x645F56);
            while (x < s.width) {
                double r = h * Colors.uniform(rng, 0.08, 0.2);
                double base = l.horizon + pave * Colors.uniform(rng, 0.2, 0.6);
                double trunk = r * Colors.uniform(rng, 0.9, 1.8);
                double cy = base - trunk - r * 0.5;
                VegetationPainter.trunk(s, x, cy, base, Math.max(2, r * 0.15), bark, VEGETATION);
                VegetationPainter.canopy(
                        s,
                        x,
                        cy,
                        r,
                        VegetationPainter.foliage(rng, autumn),
                        rng.nextLong(),
                        VEGETATION);
                x += spacing * Colors.uniform(rng, 0.7, 1.3);
            }
        }
    }
}
