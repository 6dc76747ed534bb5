package io.canvasflow.tools.replay;

import io.canvasflow.clients.ClassMap;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.model.CostModel;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.trainer.ConfusionMatrix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a mode's masks into figures: mIoU against the ground truth published with the frames,
 * temporal flicker per camera, iterations, model time, GFLOPs, throughput and latency.
 *
 * <p>Flicker compares each mask with the previous mask of the same camera (consecutive frames
 * received): the share of pixels whose predicted label changes among the pixels whose ground-truth
 * label does not. A perfect segmenter scores 0 on it whatever moves in the scene. Without ground
 * truth for both frames, the share of all pixels whose label changes stands in; it includes real
 * motion, so it only compares modes on the same footage.
 */
final class ModeEvaluator {

    private ModeEvaluator() {}

    /**
     * Evaluates a mode.
     *
     * @param outcome what the run produced
     * @param source the snapshot's frames and ground truth
     * @param classNames the model's class names
     * @param cost the model's cost at its input size
     * @param sampleMasks receives the class maps of the sample frames, by key
     * @return the figures
     */
    static ModeResult evaluate(
            ModeOutcome outcome,
            SourceFrames source,
            List<String> classNames,
            CostModel cost,
            Map<FrameKey, ClassMap> sampleMasks) {
        List<MaskEvent> masks = new ArrayList<>();
        outcome.masks().forEach(r -> masks.add(r.mask()));
        masks.sort(
                Comparator.comparing(MaskEvent::getCameraId)
                        .thenComparingLong(MaskEvent::getSequence));
        Set<FrameKey> samples = source.samples().keySet();
        ConfusionMatrix confusion = new ConfusionMatrix(classNames.size());
        long truthFrames = 0;
        long pairs = 0;
        long gtPairs = 0;
        long stablePixels = 0;
        long stableChanged = 0;
        long allPixels = 0;
        long allChanged = 0;
        long truthChanged = 0;
        long truthPixels = 0;
        double[] modelMs = new double[masks.size()];
        double iterations = 0;
        double gflops = 0;
        long seeded = 0;
        Map<String, Long> resets = new TreeMap<>();
        String camera = null;
        byte[] previous = null;
        byte[] previousTruth = null;
        int n = 0;
        for (MaskEvent mask : masks) {
            if (!mask.getModelVersion().equals(outcome.modelVersion())) {
                // scored against another model's classes, every figure would be wrong
                throw new IllegalStateException(
                        "mode "
                                + outcome.mode().name()
                                + ": frame "
                                + mask.getSequence()
                                + " of camera "
                                + mask.getCameraId()
                                + " was segmented by model "
                                + mask.getModelVersion()
                                + ", not by the model replayed ("
                                + outcome.modelVersion()
                                + "); no figure of it is reported");
            }
            modelMs[n++] = mask.getModelMillis();
            iterations += mask.getIterations();
            gflops += cost.frameGflops(mask.getIterations());
            if (mask.getSeeded()) {
                seeded++;
            } else if (mask.getResetReason() != null) { // none: a feed-forward model, no canvas
                resets.merge(String.valueOf(mask.getResetReason()), 1L, Long::sum);
            }
            if (mask.getSkipped() || mask.getClassMap().remaining() == 0) {
                camera = null;
                continue;
            }
            FrameKey key = new FrameKey(mask.getCameraId(), mask.getSequence());
            ClassMap predicted = ImageCodecs.classMap(ImageCodecs.bytes(mask.getClassMap()));
            byte[] truth = truth(source.groundTruth(key), predicted);
            if (samples.contains(key)) {
                sampleMasks.put(key, predicted);
            }
            byte[] labels = predicted.indices();
            if (truth != null) {
                confusion.add(labels, truth);
                truthFrames++;
            }
            if (mask.getCameraId().equals(camera)
                    && previous != null
                    && previous.length == labels.length) {
                pairs++;
                boolean withTruth = truth != null && previousTruth != null;
                if (withTruth) {
                    gtPairs++;
                }
                for (int i = 0; i < labels.length; i++) {
                    boolean changed = labels[i] != previous[i];
                    allPixels++;
                    if (changed) {
                        allChanged++;
                    }
                    if (withTruth) {
                        truthPixels++;
                        if (truth[i] == previousTruth[i]) {
                            stablePixels++;
                            if (changed) {
                                stableChanged++;
                            }
                        } else {
                            truthChanged++;
                        }
                    }
                }
            }
            camera = mask.getCameraId();
            previous = labels;
            previousTruth = truth;
        }
        double changeRate = allPixels == 0 ? Double.NaN : (double) allChanged / allPixels;
        boolean truthFlicker = gtPairs > 0 && gtPairs == pairs;
        double flicker =
                truthFlicker
                        ? (stablePixels == 0 ? Double.NaN : (double) stableChanged / stablePixels)
                        : changeRate;
        Map<String, Double> perClass = new LinkedHashMap<>();
        double[] iou = confusion.iou();
        for (int c = 0; c < iou.length; c++) {
            perClass.put(classNames.get(c), truthFrames == 0 ? Double.NaN : iou[c]);
        }
        int count = masks.size();
        return new ModeResult(
                outcome.mode().name(),
                outcome.mode().description(),
                outcome.modelVersion(),
                new ModeResult.Counts(
                        count,
                        outcome.accounting().fed(),
                        outcome.accounting().deadLetters(),
                        outcome.accounting().duplicates(),
                        outcome.accounting().complete()),
                new ModeResult.Quality(
                        truthFrames,
                        truthFrames == 0 ? Double.NaN : confusion.meanIou(),
                        truthFrames == 0 ? Double.NaN : confusion.pixelAccuracy(),
                        perClass,
                        new ModeResult.Flicker(
                                flicker,
                                truthFlicker ? ModeResult.FLICKER_GT : ModeResult.FLICKER_ALL,
                                changeRate,
                                truthPixels == 0 ? Double.NaN : (double) truthChanged / truthPixels,
                                pairs)),
                new ModeResult.Canvas(count == 0 ? Double.NaN : iterations / count, seeded, resets),
                new ModeResult.Cost(
                        Stats.mean(modelMs),
                        Stats.percentile(modelMs, 50),
                        count == 0 ? Double.NaN : gflops / count,
                        outcome.drain().fps(),
                        outcome.drain().loadAverage()),
                outcome.probe().latency());
    }

    /** The ground truth as class indices at the mask's size, or null. */
    private static byte[] truth(byte[] png, ClassMap predicted) {
        if (png == null) {
            return null;
        }
        ClassMap truth = ImageCodecs.classMap(png);
        if (truth.width() != predicted.width() || truth.height() != predicted.height()) {
            truth = ImageCodecs.resizeNearest(truth, predicted.width(), predicted.height());
        }
        return truth.indices();
    }
}
