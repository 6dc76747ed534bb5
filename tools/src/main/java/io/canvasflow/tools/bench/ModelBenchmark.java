package io.canvasflow.tools.bench;

import io.canvasflow.model.Canvas;
import io.canvasflow.model.CostModel;
import io.canvasflow.model.SegmentRequest;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.SegmentationResult;
import io.canvasflow.model.Segmenter;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.topology.CanvasFlowConfig;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures per-frame milliseconds and analytic GFLOPs of a recurrent model (1..N iterations from a
 * zero canvas, 2 iterations seeded) and a feed-forward baseline, at several input sizes, all in one
 * run so that ratios are comparable on a noisy machine.
 */
public final class ModelBenchmark {

    /** Iterations of the seeded row: the topology's default. */
    static final int SEEDED = CanvasFlowConfig.DEFAULT_SEEDED_ITERATIONS;

    /** Random test images a size's frames cycle through, all held while it is measured. */
    static final int IMAGES = 8;

    private ModelBenchmark() {}

    /**
     * One measured configuration.
     *
     * @param size input size, e.g. {@code 256x192}
     * @param mode {@code zero-k}, {@code seeded-2} or {@code feed-forward}
     * @param iterations iterations run
     * @param medianMs median milliseconds per frame (network only: backbone plus iterations)
     * @param p90Ms 90th percentile
     * @param backboneMs median backbone milliseconds
     * @param gflops analytic GFLOPs per frame
     */
    public record Row(
            String size,
            String mode,
            int iterations,
            double medianMs,
            double p90Ms,
            double backboneMs,
            double gflops) {}

    /**
     * Runs the benchmark.
     *
     * @param rnn the recurrent model
     * @param feedForward the baseline, or {@code null}
     * @param sizes input sizes as {width, height}
     * @param maxIterations highest iteration count from zero
     * @param fullIterations the model's full count: the seed canvas is made with it, as serve makes
     *     a camera's first canvas
     * @param frames measured frames per configuration (after warm-up)
     */
    public static List<Row> run(
            SegmentationModel rnn,
            SegmentationModel feedForward,
            int[][] sizes,
            int maxIterations,
            int fullIterations,
            int frames) {
        List<Row> rows = new ArrayList<>();
        try (Segmenter rnnSeg = rnn.newSegmenter();
                Segmenter ffSeg = feedForward == null ? null : feedForward.newSegmenter()) {
            for (int[] size : sizes) {
                int w = size[0];
                int h = size[1];
                String label = w + "x" + h;
                BufferedImage[] images = images(w, h, IMAGES);
                CostModel cost = rnn.cost(w, h);
                Canvas seed =
                        rnnSeg.segment(request(images[0], null, fullIterations, w, h)).canvas();
                for (int k = 1; k <= maxIterations; k++) {
                    rows.add(
                            measure(
                                    rnnSeg,
                                    images,
                                    null,
                                    k,
                                    w,
                                    h,
                                    frames,
                                    label,
                                    "zero-" + k,
                                    cost.frameGflops(k)));
                }
                rows.add(
                        measure(
                                rnnSeg,
                                images,
                                seed,
                                SEEDED,
                                w,
                                h,
                                frames,
                                label,
                                "seeded-" + SEEDED,
                                cost.frameGflops(SEEDED)));
                if (ffSeg != null) {
                    rows.add(
                            measure(
                                    ffSeg,
                                    images,
                                    null,
                                    1,
                                    w,
                                    h,
                                    frames,
                                    label,
                                    "feed-forward",
                                    feedForward.cost(w, h).frameGflops(1)));
                }
            }
        }
        return rows;
    }

    private static Row measure(
            Segmenter segmenter,
            BufferedImage[] images,
            Canvas seed,
            int iterations,
            int w,
            int h,
            int frames,
            String size,
            String mode,
            double gflops) {
        int warmUp = Math.max(3, frames / 5);
        double[] ms = new double[frames];
        double[] backbone = new double[frames];
        for (int i = -warmUp; i < frames; i++) {
            SegmentationResult r =
                    segmenter.segment(
                            request(
                                    images[Math.floorMod(i, images.length)],
                                    seed,
                                    iterations,
                                    w,
                                    h));
            if (i >= 0) {
                ms[i] = r.modelMillis();
                backbone[i] = r.cost().backboneMillis();
            }
        }
        return new Row(
                size,
                mode,
                iterations,
                Stats.percentile(ms, 50),
                Stats.percentile(ms, 90),
                Stats.percentile(backbone, 50),
                gflops);
    }

    private static SegmentRequest request(
            BufferedImage image, Canvas seed, int iterations, int w, int h) {
        return SegmentRequest.builder()
                .setImage(image)
                .optSeed(seed)
                .optIterations(iterations)
                .optInputSize(w, h)
                .optOutputSize(w, h)
                .build();
    }

    private static BufferedImage[] images(int w, int h, int count) {
        Random random = new Random(1);
        BufferedImage[] out = new BufferedImage[count];
        for (int n = 0; n < count; n++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.setRGB(x, y, random.nextInt(0xffffff));
                }
            }
            out[n] = img;
        }
        return out;
    }

    /**
     * A seeded frame's cost over a zero-canvas frame's, at one size.
     *
     * @param size input size, e.g. {@code 256x192}
     * @param seededIterations the seeded row's iterations (the numerator)
     * @param zeroIterations the zero-canvas row's iterations (the denominator): the model's full
     *     count, what serve runs from a zero canvas
     * @param msRatio median milliseconds, seeded over zero
     * @param gflopsRatio GFLOPs, seeded over zero
     */
    public record Ratio(
            String size,
            int seededIterations,
            int zeroIterations,
            double msRatio,
            double gflopsRatio) {}

    /**
     * Per size, the seeded row over the zero-canvas row of {@code zeroIterations}; none for a size
     * whose zero-canvas runs stopped below it.
     *
     * @param rows the measured rows
     * @param zeroIterations the reference: the model's full count
     * @return the ratios, in the rows' order of sizes
     */
    public static List<Ratio> seededRatios(List<Row> rows, int zeroIterations) {
        List<Ratio> out = new ArrayList<>();
        for (Row seeded : rows) {
            if (!seeded.mode().equals("seeded-" + SEEDED)) {
                continue;
            }
            for (Row zero : rows) {
                if (zero.size().equals(seeded.size())
                        && zero.mode().equals("zero-" + zeroIterations)) {
                    out.add(
                            new Ratio(
                                    seeded.size(),
                                    SEEDED,
                                    zeroIterations,
                                    seeded.medianMs() / zero.medianMs(),
                                    seeded.gflops() / zero.gflops()));
                }
            }
        }
        return out;
    }

    /** A readable table of the rows. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%-9s %-13s %5s %10s %8s %11s %8s%n",
                        "size",
                        "mode",
                        "iters",
                        "median ms",
                        "p90 ms",
                        "backbone ms",
                        "GFLOPs"));
        for (Row r : rows) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-9s %-13s %5d %10.2f %8.2f %11.2f %8.3f%n",
                            r.size(),
                            r.mode(),
                            r.iterations(),
                            r.medianMs(),
                            r.p90Ms(),
                            r.backboneMs(),
                            r.gflops()));
        }
        return sb.toString();
    }
}
