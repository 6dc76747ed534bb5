package io.canvasflow.tools.replay;

import io.canvasflow.tools.common.Latency;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one replay mode. A figure that could not be measured is NaN (mIoU without ground
 * truth, latency when the probe was off).
 *
 * @param mode the mode's name
 * @param description the mode in words
 * @param modelVersion the model that ran
 * @param counts where the records went
 * @param quality mIoU and flicker
 * @param canvas how the frames were segmented: iterations, seeds and resets
 * @param cost model time, compute and throughput
 * @param latency the latency probe
 */
public record ModeResult(
        String mode,
        String description,
        String modelVersion,
        Counts counts,
        Quality quality,
        Canvas canvas,
        Cost cost,
        Latency latency) {

    /** Flicker measured against ground truth. */
    public static final String FLICKER_GT = "gt-stable-pixels";

    /** Flicker as the share of all pixels that change. */
    public static final String FLICKER_ALL = "all-pixels";

    /**
     * Where the records fed to the mode went.
     *
     * @param frames masks received (one per segmented frame)
     * @param fed records fed to the topology
     * @param deadLetters records the topology dead-lettered
     * @param duplicates frames the topology dropped as duplicates
     * @param complete whether every fed record was accounted for
     */
    public record Counts(
            long frames, long fed, long deadLetters, long duplicates, boolean complete) {}

    /**
     * How good the masks are.
     *
     * @param groundTruthFrames masks compared with ground truth
     * @param miou mean IoU over the frames with ground truth
     * @param pixelAccuracy share of labelled pixels predicted right
     * @param perClassIou IoU per class name (NaN: class neither present nor predicted)
     * @param flicker how much the masks change between frames
     */
    public record Quality(
            long groundTruthFrames,
            double miou,
            double pixelAccuracy,
            Map<String, Double> perClassIou,
            Flicker flicker) {

        /** Copies the map. */
        public Quality {
            perClassIou = Collections.unmodifiableMap(new LinkedHashMap<>(perClassIou));
        }
    }

    /**
     * Temporal flicker.
     *
     * @param share share of pixels whose label changes between consecutive frames of a camera where
     *     the ground truth does not change; without ground truth, {@code changeRate}
     * @param basis {@link #FLICKER_GT} or {@link #FLICKER_ALL}
     * @param changeRate share of all pixels whose label changes between consecutive frames
     * @param truthChangeRate share of pixels whose ground-truth label changes (NaN without truth)
     * @param pairs pairs of consecutive frames compared
     */
    public record Flicker(
            double share, String basis, double changeRate, double truthChangeRate, long pairs) {}

    /**
     * How the frames were segmented.
     *
     * @param meanIterations iterations per frame
     * @param seeded frames seeded with the previous canvas
     * @param resets frames reset to a zero canvas, by reason (none of a feed-forward model)
     */
    public record Canvas(double meanIterations, long seeded, Map<String, Long> resets) {

        /** Copies the map. */
        public Canvas {
            resets = Collections.unmodifiableMap(new LinkedHashMap<>(resets));
        }
    }

    /**
     * What the frames cost.
     *
     * @param modelMsMean mean model milliseconds per frame (backbone and iterations)
     * @param modelMsP50 median of the same
     * @param gflopsMean mean analytic GFLOPs per frame
     * @param fps end-to-end frames per second draining the backlog
     * @param loadAverage the machine's one-minute load average when the run ended, NaN if unknown
     */
    public record Cost(
            double modelMsMean,
            double modelMsP50,
            double gflopsMean,
            double fps,
            double loadAverage) {}
}
