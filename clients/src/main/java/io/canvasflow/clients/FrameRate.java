package io.canvasflow.clients;

import java.util.Objects;

/**
 * How fast a camera publishes: at its source's own rate (real time), at a given rate, or as fast as
 * the source can be read and Kafka accepts frames.
 *
 * @param mode which of the three
 * @param fps the frames per second of {@link Mode#FIXED}; unused otherwise
 */
public record FrameRate(Mode mode, double fps) {

    /** The three ways to pace a camera. */
    public enum Mode {
        /** The source's own frame rate, {@link FrameSource#nativeFps()}. */
        SOURCE,
        /** A given frame rate. */
        FIXED,
        /** No pacing. */
        MAX
    }

    /** Checks that a fixed rate is positive and finite. */
    public FrameRate {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.FIXED && (!(fps > 0) || Double.isInfinite(fps))) {
            throw new IllegalArgumentException("expected a positive frame rate but found " + fps);
        }
    }

    /**
     * Publishes in real time, at each source's own rate.
     *
     * @return the rate
     */
    public static FrameRate realtime() {
        return new FrameRate(Mode.SOURCE, 0);
    }

    /**
     * Publishes at a given rate.
     *
     * @param fps frames per second
     * @return the rate
     */
    public static FrameRate fixed(double fps) {
        return new FrameRate(Mode.FIXED, fps);
    }

    /**
     * Publishes as fast as possible.
     *
     * @return the rate
     */
    public static FrameRate max() {
        return new FrameRate(Mode.MAX, 0);
    }

    /**
     * A pacer for one camera reading from a source. A live source in real time is not paced; at a
     * fixed rate its frames are admitted ({@link Pacer#admit()}), not waited for.
     *
     * @param source the camera's source
     * @return the pacer
     */
    public Pacer pacerFor(FrameSource source) {
        return switch (mode) {
            // a live source already comes at its own rate: pacing it would only queue its frames
            case SOURCE -> source.isLive() ? Pacer.unlimited() : Pacer.atFps(source.nativeFps());
            case FIXED -> Pacer.atFps(fps);
            case MAX -> Pacer.unlimited();
        };
    }

    /**
     * The rate a camera's published frames represent, what a video of them should play at: the
     * source's own rate, since every frame of a file, folder or scene is published in order, paced
     * or not; for a live source at a fixed rate, which drops the frames between, the lower of that
     * rate and its own.
     *
     * @param source the camera's source
     * @return frames per second
     */
    public double publishedFps(FrameSource source) {
        return mode == Mode.FIXED && source.isLive()
                ? Math.min(fps, source.nativeFps())
                : source.nativeFps();
    }

    @Override
    public String toString() {
        return switch (mode) {
            case SOURCE -> "real time";
            case FIXED -> fps + " fps";
            case MAX -> "max rate";
        };
    }
}
