package io.canvasflow.schemas;

/**
 * The order of one camera's frames, as every reader of the frames and masks topics takes it: by
 * sequence number, except that a frame numbered the same as or lower than the one before it, but
 * captured later, starts a new run (the camera, or its publisher, restarted its count from 0). The
 * topology's canvas policy, its latest-only intake, and the viewers' join and tiles read it alike.
 */
public final class FrameOrder {

    /**
     * The default of serve's {@code canvas.max.gap.ms}: a larger capture-time gap between a
     * camera's frames starts its canvas again from zero. {@code evaluate} applies it as serve does.
     */
    public static final long DEFAULT_MAX_GAP_MS = 2_000;

    private FrameOrder() {}

    /**
     * Whether two capture times are more than {@code limit} apart, without overflow: serve's canvas
     * reset rule, and evaluate's.
     */
    public static boolean gapExceeds(long a, long b, long limit) {
        return Math.abs(saturatedDifference(a, b)) > limit;
    }

    /**
     * {@code a - b}, saturated at {@code Long.MIN_VALUE + 1} and {@code Long.MAX_VALUE} instead of
     * wrapping: capture times come from cameras and may be anything.
     */
    public static long saturatedDifference(long a, long b) {
        try {
            return Math.subtractExact(a, b);
        } catch (ArithmeticException e) {
            return a > b ? Long.MAX_VALUE : Long.MIN_VALUE + 1;
        }
    }

    /**
     * Whether a frame starts a new run of its camera after another.
     *
     * @param sequence the frame's number
     * @param captureMs when it was captured
     * @param beforeSequence the number of the camera's frame before it
     * @param beforeCaptureMs when that one was captured
     * @return whether the count restarted
     */
    public static boolean restarted(
            long sequence, long captureMs, long beforeSequence, long beforeCaptureMs) {
        return sequence <= beforeSequence && captureMs > beforeCaptureMs;
    }

    /**
     * Whether a frame comes after another of its camera: a higher number, or a new run.
     *
     * @param sequence the frame's number
     * @param captureMs when it was captured
     * @param beforeSequence the number of the other frame
     * @param beforeCaptureMs when that one was captured
     * @return whether it is the later one
     */
    public static boolean follows(
            long sequence, long captureMs, long beforeSequence, long beforeCaptureMs) {
        return sequence > beforeSequence
                || restarted(sequence, captureMs, beforeSequence, beforeCaptureMs);
    }
}
