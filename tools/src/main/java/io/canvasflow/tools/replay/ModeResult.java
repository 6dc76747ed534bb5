package io.canvasflow.tools.replay;

import java.util.Map;

/**
 * The figures of one replay mode. A figure that could not be measured is NaN (mIoU without ground
 * truth, latency when the probe was off).
 *
 * @param mode the mode's name
 * @param description the mode in words
 * @param modelVersion the model that ran
 * @param frames masks received (one per segmented frame)
 * @param fed records fed to the topology
 * @param deadLetters records the topology dead-lettered
 * @param duplicates frames the topology dropped as duplicates
 * @param complete whether every fed record was accounted for
 * @param groundTruthFrames masks compared with ground truth
 * @param miou mean IoU over the frames with ground truth
 * @param pixelAccuracy share of labelled pixels predicted right
 * @param perClassIou IoU per class name (NaN: class neither present nor predicted)
 * @param flicker share of pixels whose label changes between consecutive frames of a camera where
 *     the ground truth does not change; without ground truth, {@code changeRate}
 * @param flickerBasis {@code gt-stable-pixels} or {@code all-pixels}
 * @param changeRate share of all pixels whose label changes between consecutive frames
 * @param truthChangeRate share of pixels whose ground-truth label changes (NaN without truth)
 * @param flickerPairs pairs of consecutive frames compared
 * @param meanIterations iterations per frame
 * @param seeded frames seeded with the previous canvas
 * @param resets frames started from a zero canvas, by reason
 * @param modelMsMean mean model milliseconds per frame (backbone and iterations)
 * @param modelMsP50 median of the same
 * @param gflopsMean mean analytic GFLOPs per frame
 * @param fps end-to-end frames per second draining the backlog
 * @param latencyFrames frames of the latency probe
 * @param latencyRateFps the probe's rate
 * @param latencyP50Ms median latency, sent to mask readable (read_committed)
 * @param latencyP99Ms 99th percentile of the same
 * @param loadAverage the machine's one-minute load average when the run ended, NaN if unknown
 */
public record ModeResult(
        String mode,
        String description,
        String modelVersion,
        long frames,
        long fed,
        long deadLetters,
        long duplicates,
        boolean complete,
        long groundTruthFrames,
        double miou,
        double pixelAccuracy,
        Map<String, Double> perClassIou,
        double flicker,
        String flickerBasis,
        double changeRate,
        double truthChangeRate,
        long flickerPairs,
        double meanIterations,
        long seeded,
        Map<String, Long> resets,
        double modelMsMean,
        double modelMsP50,
        double gflopsMean,
        double fps,
        int latencyFrames,
        double latencyRateFps,
        double latencyP50Ms,
        double latencyP99Ms,
        double loadAverage) {

    /** Flicker measured against ground truth. */
    public static final String FLICKER_GT = "gt-stable-pixels";

    /** Flicker as the share of all pixels that change. */
    public static final String FLICKER_ALL = "all-pixels";

    /** Copies the maps. */
    public ModeResult {
        perClassIou =
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perClassIou));
        resets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(resets));
    }
}
