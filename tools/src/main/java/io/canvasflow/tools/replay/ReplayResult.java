package io.canvasflow.tools.replay;

import io.canvasflow.clients.ClassMap;
import io.canvasflow.tools.common.Stats;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.ToDoubleFunction;

/**
 * The figures of a replay: what was replayed, and each mode's results side by side.
 *
 * @param input what was replayed
 * @param streamThreads Kafka Streams threads per run
 * @param latencyLoad the latency probe's rate as a share of the mode's drain rate
 * @param classes the model's classes and their colours
 * @param modes one result per mode, in the order run
 * @param samples a few frames and every mode's mask of them, for the report's sample grid
 */
public record ReplayResult(
        Input input,
        int streamThreads,
        double latencyLoad,
        Classes classes,
        List<ModeResult> modes,
        Samples samples) {

    /**
     * What a replay read.
     *
     * @param source the replayed topic (and how it was filled, when the replay published it)
     * @param range the records replayed
     * @param records records replayed
     * @param frames frames among them
     * @param cameras cameras
     * @param groundTruthFrames frames with ground truth
     */
    public record Input(
            String source,
            String range,
            long records,
            long frames,
            int cameras,
            long groundTruthFrames) {}

    /**
     * The model's classes.
     *
     * @param names class names, by index
     * @param colors their colours, 0xRRGGBB
     */
    public record Classes(List<String> names, int[] colors) {}

    /** seeded-2 must keep at least this share of zero-6's mIoU (issue 6). */
    public static final double MIN_MIOU_RATIO = 0.99;

    /** seeded-2 may spend at most this share of zero-6's model time (issue 6). */
    public static final double MAX_MODEL_TIME_RATIO = 0.72;

    /**
     * The sample grid's content.
     *
     * @param keys the sample frames, in row order
     * @param images their images
     * @param truth their ground truth, where there is some
     * @param masks per mode name, the mask of each sample frame
     */
    public record Samples(
            List<FrameKey> keys,
            Map<FrameKey, BufferedImage> images,
            Map<FrameKey, ClassMap> truth,
            Map<String, Map<FrameKey, ClassMap>> masks) {}

    /**
     * One of issue 6's bars, measured.
     *
     * @param description what is compared
     * @param value the measured ratio
     * @param threshold the bar
     * @param pass whether it is met
     */
    public record Check(String description, double value, String threshold, boolean pass) {}

    /** The result of a mode, if it ran. */
    public Optional<ModeResult> mode(String name) {
        return modes.stream().filter(m -> m.mode().equals(name)).findFirst();
    }

    /** {@code figure(a) / figure(b)}, NaN when either mode did not run. */
    public double ratio(String a, String b, ToDoubleFunction<ModeResult> figure) {
        Optional<ModeResult> x = mode(a);
        Optional<ModeResult> y = mode(b);
        if (x.isEmpty() || y.isEmpty()) {
            return Double.NaN;
        }
        return Stats.ratio(figure.applyAsDouble(x.get()), figure.applyAsDouble(y.get()));
    }

    /** Issue 6's replay bars that these figures can decide (mIoU ones need ground truth). */
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        String s = ReplayMode.SEEDED_2.name();
        String z = ReplayMode.ZERO_6.name();
        String f = ReplayMode.FEED_FORWARD.name();
        addMeasured(
                checks,
                "mIoU of seeded-2 / zero-6",
                ratio(s, z, res -> res.quality().miou()),
                ">= " + MIN_MIOU_RATIO,
                v -> v >= MIN_MIOU_RATIO);
        addMeasured(
                checks,
                "model ms per frame of seeded-2 / zero-6",
                ratio(s, z, res -> res.cost().modelMsMean()),
                "<= " + MAX_MODEL_TIME_RATIO,
                v -> v <= MAX_MODEL_TIME_RATIO);
        addMeasured(
                checks,
                "flicker of seeded-2 / feed-forward",
                ratio(s, f, res -> res.quality().flicker().share()),
                "< 1",
                v -> v < 1);
        return checks;
    }

    /** Adds the check when its figure could be measured (both modes ran and it is finite). */
    private static void addMeasured(
            List<Check> checks, String name, double value, String bar, DoublePredicate passes) {
        if (Double.isFinite(value)) {
            checks.add(new Check(name, value, bar, passes.test(value)));
        }
    }
}
