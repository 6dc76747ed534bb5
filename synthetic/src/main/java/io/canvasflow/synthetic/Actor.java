package io.canvasflow.synthetic;

import java.util.function.IntFunction;

/**
 * Something drawn over the background in depth order: a vehicle, a pedestrian, or a tree or bush on
 * the near pavement. Moving actors wrap around the world, so they leave the view on one side and
 * come back later on the other. Sprites are rendered on first use, which keeps single stills cheap.
 */
final class Actor {

    final byte label;

    /** World row where the actor touches the ground; also its depth order. */
    final double baseY;

    private final double x0;
    private final double speed;
    private final double period;
    private final double margin;
    private final boolean facesLeft;
    private final double stride;
    private final int phase0;
    private final Sprite[] poses;
    private final IntFunction<Sprite> painter;

    /**
     * How an actor moves across the world.
     *
     * @param x0 anchor x at time 0
     * @param speed world pixels per frame, signed
     * @param period wrap length for moving actors, at least the world width plus two margins
     * @param margin how far the anchor may be left of the world and still be off-screen
     * @param facesLeft whether its sprite is mirrored
     */
    record Motion(double x0, double speed, double period, double margin, boolean facesLeft) {

        /** Standing at {@code x0}. */
        static Motion still(double x0, double margin, boolean facesLeft) {
            return new Motion(x0, 0, 1, margin, facesLeft);
        }
    }

    /**
     * The poses an actor cycles through as it moves.
     *
     * @param poseCount how many poses
     * @param stride distance per pose step, for walkers
     * @param phase0 the pose at time 0
     */
    record Gait(int poseCount, double stride, int phase0) {

        /** One pose. */
        static final Gait NONE = new Gait(1, 1, 0);
    }

    Actor(byte label, double baseY, Motion motion, Gait gait, IntFunction<Sprite> painter) {
        this.label = label;
        this.baseY = baseY;
        this.x0 = motion.x0();
        this.speed = motion.speed();
        this.period = motion.period();
        this.margin = motion.margin();
        this.facesLeft = motion.facesLeft();
        this.stride = gait.stride();
        this.phase0 = gait.phase0();
        this.poses = new Sprite[gait.poseCount()];
        this.painter = painter;
    }

    /** The anchor's world x at time {@code t}. */
    double x(double t) {
        if (speed == 0) {
            return x0;
        }
        double p = x0 + speed * t;
        p -= period * Math.floor(p / period);
        return p - margin;
    }

    boolean facesLeft() {
        return facesLeft;
    }

    /** How far the sprite can reach from its anchor, for culling before it is rendered. */
    double margin() {
        return margin;
    }

    Sprite sprite(double t) {
        int pose = 0;
        if (poses.length > 1) {
            pose =
                    Math.floorMod(
                            (int) Math.floor(Math.abs(speed * t) / stride) + phase0, poses.length);
        }
        Sprite s = poses[pose];
        if (s == null) {
            s = painter.apply(pose);
            poses[pose] = s;
        }
        return s;
    }
}
