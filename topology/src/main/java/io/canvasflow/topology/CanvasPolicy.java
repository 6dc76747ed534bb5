package io.canvasflow.topology;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.schemas.avro.ResetReason;

/**
 * Decides, per frame, whether the camera's stored canvas seeds it. Pure: no Kafka, no model.
 *
 * <p>A frame is seeded (few iterations) when the stored canvas comes from an earlier frame of the
 * same camera, the same model version and the same frame size, captured at most {@code
 * canvas.max.gap.ms} earlier, and the frame is not a keyframe. Otherwise it runs the full
 * iterations from a zero canvas and says why. A frame whose sequence equals the stored one is a
 * duplicate and is dropped; an older one is out of order: it is segmented from zero and must not
 * replace the newer canvas. A sequence that goes back (or repeats) with a newer capture time is a
 * restart of the camera's count: a new run, reset reason SEQUENCE_RESTART. A sequence jump alone
 * (frames lost or skipped) does not reset: the time gap bounds how stale a seed may be.
 *
 * <p>A model that reads no canvas (the feed-forward baseline) is never seeded and never reset: each
 * of its frames runs one pass, with no reset reason, and still replaces the stored state, so that
 * duplicates, out-of-order frames and restarts are told as before and a recurrent model after it
 * starts from zero (model version change).
 *
 * @param seededIterations iterations of a seeded frame
 * @param fullIterations iterations from a zero canvas
 * @param keyframeInterval every N-th sequence resets; 0 for never
 * @param maxGapMs largest capture-time gap to seed across; 0 for no limit
 * @param sceneCutFraction largest fraction of changed canvas pixels that is not a scene cut
 * @param latencyBudgetMs frames older than this on arrival run fewer seeded iterations; 0 off
 * @param readsCanvas whether the model refines a canvas; false: one pass a frame, never seeded
 */
public record CanvasPolicy(
        int seededIterations,
        int fullIterations,
        int keyframeInterval,
        long maxGapMs,
        double sceneCutFraction,
        long latencyBudgetMs,
        boolean readsCanvas) {

    /** The policy of a model that refines a canvas (a recurrent one). */
    public CanvasPolicy(
            int seededIterations,
            int fullIterations,
            int keyframeInterval,
            long maxGapMs,
            double sceneCutFraction,
            long latencyBudgetMs) {
        this(
                seededIterations,
                fullIterations,
                keyframeInterval,
                maxGapMs,
                sceneCutFraction,
                latencyBudgetMs,
                true);
    }

    /** What to do with a frame. */
    public enum Action {
        /** Seed with the stored canvas. */
        SEED,
        /** Start from a zero canvas and store the result. */
        RESET,
        /** Start from a zero canvas and keep the newer stored canvas. */
        OUT_OF_ORDER,
        /** A duplicate: emit nothing. */
        DROP
    }

    /**
     * A decision.
     *
     * @param action what to do
     * @param iterations iterations to run (0 for {@link Action#DROP})
     * @param resetReason why the canvas is not seeded; null when seeded or dropped, and for a model
     *     that reads no canvas
     * @param budgetReduced whether fewer seeded iterations run to catch up on a late frame
     */
    public record Decision(
            Action action, int iterations, ResetReason resetReason, boolean budgetReduced) {

        /** Whether the stored canvas seeds the frame. */
        public boolean seeded() {
            return action == Action.SEED;
        }

        /** Whether the result replaces the stored canvas. */
        public boolean storesCanvas() {
            return action == Action.SEED || action == Action.RESET;
        }
    }

    /**
     * What is known about the stored canvas of a camera.
     *
     * @param sequence sequence of the frame that produced it
     * @param captureMs capture time of that frame
     * @param modelVersion version of the model that produced it
     * @param frameWidth width of that frame
     * @param frameHeight height of that frame
     * @param readable whether its logits could be decoded
     */
    public record Previous(
            long sequence,
            long captureMs,
            String modelVersion,
            int frameWidth,
            int frameHeight,
            boolean readable) {}

    /**
     * The frame to decide on.
     *
     * @param sequence its per-camera sequence number
     * @param captureMs its capture time
     * @param width its width
     * @param height its height
     */
    public record Current(long sequence, long captureMs, int width, int height) {}

    /**
     * The policy of a configuration for one model: the full iterations are the configuration's when
     * set, else the model's own (see {@link CanvasFlowConfig#fullIterations(ModelSpec)}). For a
     * model that reads no canvas both iteration settings are moot: it runs one pass a frame.
     */
    public static CanvasPolicy of(CanvasFlowConfig config, ModelSpec model) {
        boolean readsCanvas = model.network().type().readsCanvas();
        return new CanvasPolicy(
                readsCanvas ? config.seededIterations() : 1,
                readsCanvas ? config.fullIterations(model) : 1,
                config.keyframeInterval(),
                config.maxGapMs(),
                config.sceneCutFraction(),
                config.latencyBudgetMs(),
                readsCanvas);
    }

    /**
     * Decides how to segment a frame.
     *
     * @param frame the frame
     * @param previous the stored canvas, or null when the camera has none
     * @param stateReadable false when a stored value exists but could not be read at all (then
     *     {@code previous} is null and nothing, not even its sequence, is known)
     * @param modelVersion the version of the model in use
     * @param nowMs the wall-clock time
     * @return the decision
     */
    public Decision decide(
            Current frame,
            Previous previous,
            boolean stateReadable,
            String modelVersion,
            long nowMs) {
        Decision forCanvas = decideForCanvas(frame, previous, stateReadable, modelVersion, nowMs);
        if (readsCanvas || forCanvas.action() == Action.DROP) {
            return forCanvas;
        }
        // No canvas to seed or reset: one pass from zero, stored (for the frame order and the
        // version check) unless an older frame; no reason, as nothing was reset.
        Action action =
                forCanvas.action() == Action.OUT_OF_ORDER ? Action.OUT_OF_ORDER : Action.RESET;
        return new Decision(action, 1, null, false);
    }

    private Decision decideForCanvas(
            Current frame,
            Previous previous,
            boolean stateReadable,
            String modelVersion,
            long nowMs) {
        if (!stateReadable) {
            return reset(ResetReason.STATE_UNREADABLE);
        }
        if (previous == null) {
            return reset(ResetReason.FIRST_FRAME);
        }
        if (FrameOrder.restarted(
                frame.sequence(), frame.captureMs(), previous.sequence(), previous.captureMs())) {
            // Back to the same or a lower number, but captured later: the camera (or its
            // publisher) restarted its count. A new run: zero canvas, and it replaces the stored
            // one, so that the run's next frames are seeded. (A sequence far ahead, even
            // Long.MAX_VALUE, is therefore never a permanent state: the next frame restarts.)
            return reset(ResetReason.SEQUENCE_RESTART);
        }
        if (frame.sequence() == previous.sequence()) {
            return new Decision(Action.DROP, 0, null, false);
        }
        if (frame.sequence() < previous.sequence()) {
            return new Decision(
                    Action.OUT_OF_ORDER, fullIterations, ResetReason.OUT_OF_ORDER, false);
        }
        if (!modelVersion.equals(previous.modelVersion())) {
            return reset(ResetReason.MODEL_VERSION_CHANGE);
        }
        if (!previous.readable()) {
            return reset(ResetReason.STATE_UNREADABLE);
        }
        if (frame.width() != previous.frameWidth() || frame.height() != previous.frameHeight()) {
            return reset(ResetReason.FRAME_SIZE_CHANGE);
        }
        if (maxGapMs > 0
                && FrameOrder.gapExceeds(frame.captureMs(), previous.captureMs(), maxGapMs)) {
            return reset(ResetReason.TIME_GAP);
        }
        if (keyframeInterval > 0 && frame.sequence() % keyframeInterval == 0) {
            return reset(ResetReason.KEYFRAME);
        }
        int iterations = seededIterations;
        long lateness = FrameOrder.saturatedDifference(nowMs, frame.captureMs());
        if (latencyBudgetMs > 0 && lateness > latencyBudgetMs) {
            // One iteration fewer per budget overrun, never below one.
            iterations = (int) Math.max(1, seededIterations - lateness / latencyBudgetMs);
        }
        return new Decision(Action.SEED, iterations, null, iterations < seededIterations);
    }

    /**
     * Tells whether a seeded result disagrees with the previous canvas so much that the scene
     * changed and the seed is misleading.
     *
     * @param previousArgmax class per canvas pixel of the stored canvas
     * @param seededArgmax class per canvas pixel after the seeded iterations
     * @return true when more than {@code canvas.scene.cut.fraction} of the pixels differ
     */
    public boolean isSceneCut(byte[] previousArgmax, byte[] seededArgmax) {
        if (previousArgmax.length != seededArgmax.length) {
            return true;
        }
        int changed = 0;
        for (int i = 0; i < previousArgmax.length; i++) {
            if (previousArgmax[i] != seededArgmax[i]) {
                changed++;
            }
        }
        return changed > sceneCutFraction * previousArgmax.length;
    }

    /** A reset to a zero canvas with the full iterations. */
    public Decision reset(ResetReason reason) {
        return new Decision(Action.RESET, fullIterations, reason, false);
    }
}
