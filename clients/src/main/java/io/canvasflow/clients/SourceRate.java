package io.canvasflow.clients;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One camera's frame rate as its overlays show it: the rate its publisher recorded in the frames'
 * metadata ({@link PublishJob#META_FPS}, the source's own rate), else the median spacing of the
 * capture times over the first {@value #SAMPLES} masks, else {@value #FALLBACK_FPS} frames/s. Not
 * thread-safe.
 */
final class SourceRate {

    /** Masks whose capture times are enough to estimate the rate. */
    static final int SAMPLES = 8;

    /** The rate when nothing tells it. */
    static final double FALLBACK_FPS = 10;

    private static final double MIN_FPS = 1;
    private static final double MAX_FPS = 120;

    private final List<long[]> samples = new ArrayList<>();
    private double declared = Double.NaN;

    /** Adds a mask and, when it came, its frame. */
    void add(MaskEvent mask, Frame frameOrNull) {
        if (Double.isNaN(declared) && frameOrNull != null && frameOrNull.getMetadata() != null) {
            declared = parse(frameOrNull.getMetadata().get(PublishJob.META_FPS));
        }
        if (samples.size() < SAMPLES) {
            samples.add(new long[] {mask.getSequence(), mask.getCaptureTimestamp().toEpochMilli()});
        }
    }

    /**
     * The rate once it is known: declared, or estimated from {@value #SAMPLES} masks (the fallback
     * when their capture times tell nothing).
     */
    OptionalDouble known() {
        if (!Double.isNaN(declared)) {
            return OptionalDouble.of(declared);
        }
        return samples.size() < SAMPLES
                ? OptionalDouble.empty()
                : OptionalDouble.of(estimate().orElse(FALLBACK_FPS));
    }

    /** The best rate now: known, else estimated from what there is, else the fallback. */
    double best() {
        OptionalDouble known = known();
        if (known.isPresent()) {
            return known.getAsDouble();
        }
        return estimate().orElse(FALLBACK_FPS);
    }

    /** From the median milliseconds per sequence step between consecutive masks. */
    private OptionalDouble estimate() {
        List<Double> steps = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            long frames = samples.get(i)[0] - samples.get(i - 1)[0];
            long millis = samples.get(i)[1] - samples.get(i - 1)[1];
            if (frames > 0 && millis > 0) {
                steps.add((double) millis / frames);
            }
        }
        if (steps.isEmpty()) {
            return OptionalDouble.empty();
        }
        steps.sort(null);
        double median = steps.get(steps.size() / 2);
        return OptionalDouble.of(Math.max(MIN_FPS, Math.min(MAX_FPS, 1000 / median)));
    }

    private static double parse(String fps) {
        if (fps == null) {
            return Double.NaN;
        }
        try {
            double value = Double.parseDouble(fps);
            return value >= MIN_FPS && value <= MAX_FPS ? value : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
