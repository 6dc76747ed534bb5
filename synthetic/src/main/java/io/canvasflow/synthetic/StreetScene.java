package io.canvasflow.synthetic;

import static io.canvasflow.synthetic.StreetLabels.PERSON;
import static io.canvasflow.synthetic.StreetLabels.VEGETATION;
import static io.canvasflow.synthetic.StreetLabels.VEHICLE;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One synthetic street: a static background painted once, actors in depth order, a camera path and
 * the sensor's look. {@link #render} draws any time step into a view-sized frame.
 */
final class StreetScene {

    private final SceneLayout layout;
    private final Surface world;
    private final List<Actor> actors;
    private final CameraPath camera;

    // The background is painted lazily, in strips of columns, where the camera first looks.
    private static final int STRIP = 16;
    private final Weather weather;
    private final boolean autumn;
    private final long backgroundSeed;
    private final boolean[] painted;

    // Sensor and light, per scene.
    private final double gain;
    private final double gainAmp;
    private final double gainFreq;
    private final double gainPhase;
    private final double warmth;
    private final double warmthAmp;
    private final double warmthFreq;
    private final double warmthPhase;
    private final double noiseSigma;
    private final int motionBlur;
    private final boolean soften;
    private final double vignette;

    /** A time to start at, so actors are not always at their initial places. */
    final double startTime;

    private StreetScene(long seed, int width, int height) {
        SplittableRandom rng = new SplittableRandom(StreetLabels.mix(seed));
        layout = new SceneLayout(width, height, rng);
        Weather weather = Weather.random(rng);
        boolean autumn = rng.nextDouble() < 0.2;
        world = new Surface(layout.worldWidth, layout.worldHeight);
        this.weather = weather;
        this.autumn = autumn;
        backgroundSeed = rng.nextLong();
        painted = new boolean[(layout.worldWidth + STRIP - 1) / STRIP];
        actors = new ArrayList<>();
        addVehicles(rng.split(), weather);
        addPedestrians(rng.split(), weather);
        addNearVegetation(rng.split(), autumn);
        actors.sort(Comparator.comparingDouble(a -> a.baseY));
        camera = new CameraPath(layout, rng);

        gain = weather.light.gain() * Colors.uniform(rng, 0.88, 1.12);
        gainAmp = Colors.uniform(rng, 0, 0.12);
        gainFreq = 2 * Math.PI / Colors.uniform(rng, 30, 150);
        gainPhase = rng.nextDouble() * 2 * Math.PI;
        warmth = weather.light.warmth() + Colors.uniform(rng, -0.04, 0.04);
        warmthAmp = Colors.uniform(rng, 0, 0.05);
        warmthFreq = 2 * Math.PI / Colors.uniform(rng, 40, 200);
        warmthPhase = rng.nextDouble() * 2 * Math.PI;
        noiseSigma = Colors.uniform(rng, 1.5, 7);
        motionBlur =
                Math.abs(camera.panSpeed()) > 2.2 * layout.unit || rng.nextDouble() < 0.2 ? 1 : 0;
        soften = rng.nextDouble() < 0.35;
        vignette = Colors.uniform(rng, 0, 0.3);
        startTime = rng.nextInt(200);
    }

    static StreetScene build(long seed, int width, int height) {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException(
                    "Expected a frame of at least 16x16, got " + width + "x" + height);
        }
        return new StreetScene(seed, width, height);
    }

    private void addVehicles(SplittableRandom rng, Weather weather) {
        double p = layout.personHeight;
        int towardsRight = rng.nextBoolean() ? 1 : -1;
        for (int k = 0; k < layout.lanes; k++) {
            double contact =
                    layout.laneContact(k) + Colors.uniform(rng, -0.1, 0.1) * layout.laneHeight();
            double d = layout.depthScale(contact);
            boolean parked = k == layout.lanes - 1 && rng.nextDouble() < 0.25;
            int dir = k < layout.lanes / 2.0 ? -towardsRight : towardsRight;
            double speed = parked ? 0 : dir * Colors.uniform(rng, 1.5, 5.0) * d * layout.unit;
            int count = parked ? 2 + rng.nextInt(3) : rng.nextInt(4);
            double cursor = rng.nextDouble() * layout.worldWidth;
            double start = cursor;
            double maxHalf = 0;
            List<PlannedVehicle> lane = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                VehiclePainter.Type type = VehiclePainter.Type.random(rng);
                double len = type.length * p * d * 1.1 + 2;
                maxHalf = Math.max(maxHalf, len / 2 + 2);
                lane.add(
                        new PlannedVehicle(
                                type, cursor + len / 2, VehiclePainter.paint(rng), rng.nextLong()));
                double gap = parked ? Colors.uniform(rng, 0.2, 1) : Colors.uniform(rng, 0.5, 4);
                cursor += len + p * d * gap;
            }
            // All vehicles of a lane share speed and wrap period, so they never overlap.
            double period = Math.max(layout.worldWidth + 2 * maxHalf, cursor - start);
            boolean left = speed < 0 || (speed == 0 && rng.nextBoolean());
            double scale = p * d;
            for (PlannedVehicle v : lane) {
                actors.add(
                        new Actor(
                                VEHICLE,
                                contact,
                                new Actor.Motion(v.centre(), speed, period, maxHalf, left),
                                Actor.Gait.NONE,
                                pose ->
                                        VehiclePainter.render(
                                                v.type(),
                                                scale,
                                                v.body(),
                                                v.seed(),
                                                weather.light.shadow())));
            }
        }
    }

    private record PlannedVehicle(VehiclePainter.Type type, double centre, int body, long seed) {}

    private void addPedestrians(SplittableRandom rng, Weather weather) {
        double p = layout.personHeight;
        double nearTop =
                layout.roadBottom
                        + layout.viewHeight * 0.03
                        + 0.1 * (layout.worldHeight - layout.roadBottom);
        double farTop = layout.horizon + 0.3 * (layout.roadTop - layout.horizon);
        double farBottom = layout.roadTop - 0.2 * (layout.roadTop - layout.horizon);
        int near = 3 + rng.nextInt(6);
        int far = 1 + rng.nextInt(5);
        for (int i = 0; i < near + far; i++) {
            double baseY =
                    i < near
                            ? Colors.uniform(rng, nearTop, layout.worldHeight - 1)
                            : Colors.uniform(rng, farTop, farBottom);
            double d = layout.depthScale(baseY);
            double hp =
                    p * d * Colors.uniform(rng, 0.88, 1.12) * (rng.nextDouble() < 0.1 ? 0.7 : 1);
            boolean walking = rng.nextDouble() < 0.85;
            double speed =
                    walking
                            ? (rng.nextBoolean() ? 1 : -1)
                                    * Colors.uniform(rng, 0.4, 1.3)
                                    * d
                                    * layout.unit
                            : 0;
            double margin = hp * 0.5;
            PersonPainter.Look look = new PersonPainter.Look(rng);
            boolean left = speed < 0 || (speed == 0 && rng.nextBoolean());
            actors.add(
                    new Actor(
                            PERSON,
                            baseY,
                            new Actor.Motion(
                                    rng.nextDouble() * (layout.worldWidth + 2 * margin),
                                    speed,
                                    layout.worldWidth + 2 * margin,
                                    margin,
                                    left),
                            new Actor.Gait(
                                    walking ? PersonPainter.POSES : 1,
                                    hp * 0.1,
                                    rng.nextInt(PersonPainter.POSES)),
                            pose ->
                                    PersonPainter.pose(
                                            look, hp, pose, walking, weather.light.shadow())));
        }
    }

    private void addNearVegetation(SplittableRandom rng, boolean autumn) {
        double h = layout.viewHeight;
        double pave = layout.worldHeight - layout.roadBottom;
        int trees = rng.nextDouble() < 0.45 ? 1 + rng.nextInt(2) : 0;
        for (int i = 0; i < trees; i++) {
            double baseY = layout.roadBottom + h * 0.03 + Colors.uniform(rng, 0.05, 0.25) * pave;
            double r = h * Colors.uniform(rng, 0.2, 0.34);
            double trunk = h * Colors.uniform(rng, 0.35, 0.6);
            int leaves = VegetationPainter.foliage(rng, autumn);
            int bark = Colors.pick(rng, 0x483A2C, 0x645F56);
            long ts = rng.nextLong();
            actors.add(
                    new Actor(
                            VEGETATION,
                            baseY,
                            Actor.Motion.still(
                                    rng.nextDouble() * layout.worldWidth,
                                    r * 1.4,
                                    rng.nextBoolean()),
                            Actor.Gait.NONE,
                            pose -> VegetationPainter.treeSprite(r, trunk, leaves, bark, ts)));
        }
        int bushes = rng.nextInt(3);
        for (int i = 0; i < bushes; i++) {
            double baseY = layout.roadBottom + h * 0.03 + Colors.uniform(rng, 0.1, 0.6) * pave;
            double w = h * Colors.uniform(rng, 0.2, 0.6);
            double bh = h * Colors.uniform(rng, 0.1, 0.22);
            int leaves = VegetationPainter.foliage(rng, autumn);
            long bs = rng.nextLong();
            actors.add(
                    new Actor(
                            VEGETATION,
                            baseY,
                            Actor.Motion.still(rng.nextDouble() * layout.worldWidth, w / 2, false),
                            Actor.Gait.NONE,
                            pose -> VegetationPainter.bushSprite(w, bh, leaves, bs)));
        }
    }

    /** Renders time {@code t}; {@code frameSeed} drives the per-frame sensor noise and jitter. */
    LabeledFrame render(double t, long frameSeed) {
        int vw = layout.viewWidth;
        int vh = layout.viewHeight;
        BufferedImage image = new BufferedImage(vw, vh, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] labels = new byte[vw * vh];
        double[] cam = new double[3];
        camera.at(t, layout, frameSeed, cam);
        double zoom = cam[0];
        double left = cam[1];
        double top = cam[2];
        paintBackground((int) Math.floor(left) - 2, (int) Math.ceil(left + vw / zoom) + 2);
        drawBackground(rgb, labels, zoom, left, top);
        for (Actor a : actors) {
            drawActor(a, t, rgb, labels, zoom, left, top);
        }
        if (motionBlur > 0) {
            boxBlurRows(rgb, vw, vh);
        }
        if (soften) {
            soften(rgb, vw, vh);
        }
        finish(rgb, vw, vh, t, frameSeed);
        return LabeledFrame.wrap(image, labels);
    }

    /** Paints the world columns {@code [x0, x1)} that are not painted yet. */
    private void paintBackground(int x0, int x1) {
        int first = Math.max(0, x0 / STRIP);
        int last = Math.min(painted.length - 1, Math.max(0, x1 - 1) / STRIP);
        int s = first;
        while (s <= last) {
            if (painted[s]) {
                s++;
                continue;
            }
            int e = s;
            while (e + 1 <= last && !painted[e + 1]) {
                e++;
            }
            // Replaying the whole painting program with a clip gives the same pixels as painting
            // the world at once, because every shape's parameters come from the same seed.
            world.clip(s * STRIP, (e + 1) * STRIP);
            BackgroundPainter.paint(
                    world, layout, weather, autumn, new SplittableRandom(backgroundSeed));
            for (int i = s; i <= e; i++) {
                painted[i] = true;
            }
            s = e + 1;
        }
    }

    /**
     * The first of the two pixels a bilinear sample at coordinate {@code w} reads (pixel centres at
     * .5) and the second one's weight out of 256, clamped to the edges of a row or column of {@code
     * size} pixels; packed as {@code pixel << 9 | weight}.
     */
    private static int bilinearTap(double w, int size) {
        double b = w - 0.5;
        int i = (int) Math.floor(b);
        int f = (int) ((b - i) * 256);
        if (i < 0) {
            i = 0;
            f = 0;
        } else if (i >= size - 1) {
            i = size - 2;
            f = 256;
        }
        return i << 9 | f;
    }

    /** One 8-bit channel (at bit {@code shift}) of four pixels, weighted out of 65536. */
    private static int blend(
            int a, int b, int c, int d, int shift, int w00, int w01, int w10, int w11) {
        return (((a >> shift) & 0xff) * w00
                        + ((b >> shift) & 0xff) * w01
                        + ((c >> shift) & 0xff) * w10
                        + ((d >> shift) & 0xff) * w11)
                >> 16;
    }

    /** Samples the world: colours bilinearly, labels at the nearest world pixel. */
    private void drawBackground(int[] rgb, byte[] labels, double zoom, double left, double top) {
        int vw = layout.viewWidth;
        int vh = layout.viewHeight;
        int ww = world.width;
        int wh = world.height;
        int[] src = world.rgb;
        byte[] tags = world.tag;
        double inv = 1 / zoom;
        int[] nearestX = new int[vw];
        int[] x0 = new int[vw];
        int[] fx = new int[vw];
        for (int u = 0; u < vw; u++) {
            double wx = left + (u + 0.5) * inv;
            nearestX[u] = Math.min(ww - 1, Math.max(0, (int) wx));
            int tap = bilinearTap(wx, ww);
            x0[u] = tap >> 9;
            fx[u] = tap & 0x1ff;
        }
        for (int v = 0; v < vh; v++) {
            double wy = top + (v + 0.5) * inv;
            int ny = Math.min(wh - 1, Math.max(0, (int) wy));
            int tap = bilinearTap(wy, wh);
            int iy = tap >> 9;
            int fy = tap & 0x1ff;
            int row0 = iy * ww;
            int row1 = row0 + ww;
            int nrow = ny * ww;
            int out = v * vw;
            for (int u = 0; u < vw; u++) {
                int i0 = row0 + x0[u];
                int i1 = row1 + x0[u];
                int a = src[i0];
                int b = src[i0 + 1];
                int c = src[i1];
                int d = src[i1 + 1];
                int wx1 = fx[u];
                int wx0 = 256 - wx1;
                int w00 = wx0 * (256 - fy);
                int w01 = wx1 * (256 - fy);
                int w10 = wx0 * fy;
                int w11 = wx1 * fy;
                int r = blend(a, b, c, d, 16, w00, w01, w10, w11);
                int g = blend(a, b, c, d, 8, w00, w01, w10, w11);
                int bl = blend(a, b, c, d, 0, w00, w01, w10, w11);
                rgb[out + u] = (r << 16) | (g << 8) | bl;
                labels[out + u] = tags[nrow + nearestX[u]];
            }
        }
    }

    private void drawActor(
            Actor a, double t, int[] rgb, byte[] labels, double zoom, double left, double top) {
        int vw = layout.viewWidth;
        int vh = layout.viewHeight;
        double ax = a.x(t);
        double viewRight = left + vw / zoom;
        if (ax + a.margin() < left || ax - a.margin() > viewRight) {
            return;
        }
        Sprite s = a.sprite(t);
        boolean flip = a.facesLeft();
        double sl = flip ? ax - (s.width - 1 - s.anchorX) : ax - s.anchorX;
        double st = a.baseY - s.anchorY;
        double inv = 1 / zoom;
        int u0 = Math.max(0, (int) Math.floor((sl - left) * zoom - 0.5));
        int u1 = Math.min(vw, (int) Math.ceil((sl + s.width - left) * zoom + 0.5));
        int v0 = Math.max(0, (int) Math.floor((st - top) * zoom - 0.5));
        int v1 = Math.min(vh, (int) Math.ceil((st + s.height - top) * zoom + 0.5));
        if (u0 >= u1 || v0 >= v1) {
            return;
        }
        int[] sx = new int[u1 - u0];
        for (int u = u0; u < u1; u++) {
            int x = (int) Math.floor(left + (u + 0.5) * inv - sl);
            sx[u - u0] = x < 0 || x >= s.width ? -1 : (flip ? s.width - 1 - x : x);
        }
        byte label = a.label;
        int shadowGain = s.shadowGain;
        for (int v = v0; v < v1; v++) {
            int y = (int) Math.floor(top + (v + 0.5) * inv - st);
            if (y < 0 || y >= s.height) {
                continue;
            }
            int srow = y * s.width;
            int out = v * vw;
            for (int u = u0; u < u1; u++) {
                int x = sx[u - u0];
                if (x < 0) {
                    continue;
                }
                byte tag = s.tag[srow + x];
                if (tag == Surface.SOLID) {
                    rgb[out + u] = s.rgb[srow + x];
                    labels[out + u] = label;
                } else if (tag == Surface.SHADOW) {
                    int c = rgb[out + u];
                    rgb[out + u] =
                            ((((c >> 16) & 0xff) * shadowGain >> 8) << 16)
                                    | ((((c >> 8) & 0xff) * shadowGain >> 8) << 8)
                                    | ((c & 0xff) * shadowGain >> 8);
                }
            }
        }
    }

    /** Horizontal three-tap box: the smear of a panning camera. */
    private static void boxBlurRows(int[] rgb, int w, int h) {
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            System.arraycopy(rgb, o, row, 0, w);
            for (int x = 0; x < w; x++) {
                int a = row[Math.max(0, x - 1)];
                int b = row[x];
                int c = row[Math.min(w - 1, x + 1)];
                int r =
                        (((a >> 16) & 0xff) + ((b >> 16) & 0xff) + ((c >> 16) & 0xff)) * 21846
                                >> 16;
                int g = (((a >> 8) & 0xff) + ((b >> 8) & 0xff) + ((c >> 8) & 0xff)) * 21846 >> 16;
                int bl = ((a & 0xff) + (b & 0xff) + (c & 0xff)) * 21846 >> 16;
                rgb[o + x] = (r << 16) | (g << 8) | bl;
            }
        }
    }

    /** A [1 2 1] / 4 vertical pass: a slightly soft lens. */
    private static void soften(int[] rgb, int w, int h) {
        int[] prev = new int[w];
        int[] cur = new int[w];
        System.arraycopy(rgb, 0, prev, 0, w);
        for (int y = 0; y < h; y++) {
            System.arraycopy(rgb, y * w, cur, 0, w);
            int next = Math.min(h - 1, y + 1) * w;
            for (int x = 0; x < w; x++) {
                int a = prev[x];
                int b = cur[x];
                int c = rgb[next + x];
                int r = (((a >> 16) & 0xff) + 2 * ((b >> 16) & 0xff) + ((c >> 16) & 0xff)) >> 2;
                int g = (((a >> 8) & 0xff) + 2 * ((b >> 8) & 0xff) + ((c >> 8) & 0xff)) >> 2;
                int bl = ((a & 0xff) + 2 * (b & 0xff) + (c & 0xff)) >> 2;
                rgb[y * w + x] = (r << 16) | (g << 8) | bl;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
    }

    /**
     * Light and sensor: exposure and colour temperature that drift over time, vignetting, and
     * Gaussian noise per channel, read from a fixed table at a random offset per row (drawing three
     * Gaussians per pixel would cost more than the rest of the frame).
     */
    private void finish(int[] rgb, int w, int h, double t, long frameSeed) {
        double g = gain * (1 + gainAmp * StrictMath.sin(gainFreq * t + gainPhase));
        double warm = warmth + warmthAmp * StrictMath.sin(warmthFreq * t + warmthPhase);
        float gr = (float) (g * (1 + warm));
        float gg = (float) g;
        float gb = (float) (g * (1 - warm));
        float sigma = (float) noiseSigma;
        float[] colFall = new float[w];
        for (int x = 0; x < w; x++) {
            double dx = (x + 0.5) / w * 2 - 1;
            colFall[x] = (float) (vignette * dx * dx);
        }
        float[] gauss = GAUSSIAN;
        SplittableRandom rng = new SplittableRandom(frameSeed);
        for (int y = 0; y < h; y++) {
            double dy = (y + 0.5) / h * 2 - 1;
            float rowFall = (float) (vignette * dy * dy * 0.6);
            int o = y * w;
            int n = rng.nextInt(GAUSSIAN_SIZE);
            for (int x = 0; x < w; x++) {
                float v = 1 - colFall[x] - rowFall;
                int c = rgb[o + x];
                int r = (int) (((c >> 16) & 0xff) * gr * v + sigma * gauss[n] + 0.5f);
                int gn =
                        (int)
                                (((c >> 8) & 0xff) * gg * v
                                        + sigma * gauss[(n + 1) & GAUSSIAN_MASK]
                                        + 0.5f);
                int b = (int) ((c & 0xff) * gb * v + sigma * gauss[(n + 2) & GAUSSIAN_MASK] + 0.5f);
                n = (n + 3) & GAUSSIAN_MASK;
                r = r < 0 ? 0 : Math.min(r, 255);
                gn = gn < 0 ? 0 : Math.min(gn, 255);
                b = b < 0 ? 0 : Math.min(b, 255);
                rgb[o + x] = (r << 16) | (gn << 8) | b;
            }
        }
    }

    private static final int GAUSSIAN_SIZE = 1 << 16;
    private static final int GAUSSIAN_MASK = GAUSSIAN_SIZE - 1;

    /** Standard normal samples (Box-Muller with StrictMath, so every JVM builds the same table). */
    private static final float[] GAUSSIAN = gaussianTable();

    private static float[] gaussianTable() {
        SplittableRandom rng = new SplittableRandom(0x6A055L);
        float[] t = new float[GAUSSIAN_SIZE];
        for (int i = 0; i < t.length; i += 2) {
            double u1 = 1 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
            t[i] = (float) (r * StrictMath.cos(2 * Math.PI * u2));
            t[i + 1] = (float) (r * StrictMath.sin(2 * Math.PI * u2));
        }
        return t;
    }
}
