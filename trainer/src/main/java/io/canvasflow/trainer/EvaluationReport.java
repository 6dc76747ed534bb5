package io.canvasflow.trainer;

import io.canvasflow.trainer.EvaluateCommand.Evaluation;
import io.canvasflow.trainer.Evaluator.Point;
import io.canvasflow.trainer.Evaluator.Report;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link Evaluation} as a Markdown report, as JSON, and as PNG plots, and judges it
 * against the quality bars: the zero-canvas mIoU after the model's full iteration count (what serve
 * runs from zero: {@code iterationsTrained}, 6 for the shipped model; "zero-6"), a speed-accuracy
 * curve that does not fall, seeded video nearly as good as a full run, and recovery from a
 * wrong-class seed (McIntosh et al., "Recurrent Segmentation for Variable Computational Budgets",
 * Section 4 and Figure 6).
 */
public final class EvaluationReport {

    /**
     * The iterations the first frame of a seeded sequence runs from zero, as the topology runs a
     * camera's first frame: the model's full count, or fewer when fewer were evaluated.
     *
     * @param maxIterations the most iterations evaluated
     * @param referenceIterations the model's full count ({@code iterationsTrained})
     * @return the smaller of the two
     */
    public static int firstFrameIterations(int maxIterations, int referenceIterations) {
        return Math.min(maxIterations, referenceIterations);
    }

    /** Bar: zero-canvas mIoU after the model's full iteration count at least this. */
    public static final double MIN_MIOU = 0.80;

    /** Bar: the curve up to the full count never falls by more than this from one to the next. */
    public static final double MAX_DROP = 0.005;

    /** Bar: seeded mIoU at least this share of zero-6. */
    public static final double MIN_SEEDED_RATIO = 0.99;

    /**
     * Bar: wrong-seed mIoU after {@value #WRONG_SEED_ITERATIONS} iterations at least this share of
     * zero-6.
     */
    public static final double MIN_WRONG_SEED_RATIO = 0.95;

    /** Iterations after which wrong-seed recovery is judged. */
    public static final int WRONG_SEED_ITERATIONS = 2;

    /** File names of the plots, in {@link #plots}'s folder. */
    public static final String GFLOPS_PLOT = "miou_vs_gflops.png";

    /** File name of the mIoU-per-iteration plot. */
    public static final String ITERATION_PLOT = "miou_vs_iteration.png";

    /** File name of the sample grid. */
    public static final String SAMPLES_PLOT = "samples.png";

    private static final Color ZERO = Plots.PALETTE.get(0);
    private static final Color WRONG = Plots.PALETTE.get(1);
    private static final Color FEED_FORWARD = Plots.PALETTE.get(2);
    private static final Color SEEDED = Plots.PALETTE.get(3);
    private static final Color BAR = Plots.PALETTE.get(7);

    private EvaluationReport() {}

    /**
     * One quality bar and its verdict. A figure that was not measured (too few iterations run) is
     * NaN and fails.
     *
     * @param key a stable name for JSON
     * @param description what is measured
     * @param value the measured figure
     * @param threshold the limit the value is compared with
     * @param target the comparison as text, e.g. {@code >= 0.80}
     * @param pass whether the bar is met
     */
    public record Bar(
            String key,
            String description,
            double value,
            double threshold,
            String target,
            boolean pass) {}

    /** Zero-canvas mIoU after the model's full iteration count, or NaN if not run. */
    public static double referenceMiou(Report r) {
        return r.zeroCanvas().size() >= r.referenceIterations()
                ? r.zeroMiou(r.referenceIterations())
                : Double.NaN;
    }

    /** The four bars, judged on a report. */
    public static List<Bar> bars(Report r) {
        double reference = referenceMiou(r);
        double drop = Double.NaN;
        if (r.zeroCanvas().size() >= r.referenceIterations()) {
            drop = 0;
            for (int k = 2; k <= r.referenceIterations(); k++) {
                drop = Math.max(drop, r.zeroMiou(k - 1) - r.zeroMiou(k));
            }
        }
        double seeded = r.seeded() == null ? Double.NaN : r.seeded().miou() / reference;
        double wrong =
                r.wrongSeed().size() >= WRONG_SEED_ITERATIONS
                        ? r.wrongSeed().get(WRONG_SEED_ITERATIONS - 1).miou() / reference
                        : Double.NaN;
        int n = r.referenceIterations();
        return List.of(
                new Bar(
                        "zeroCanvasMiou",
                        "Zero-canvas mIoU after " + n + " iterations",
                        reference,
                        MIN_MIOU,
                        ">= " + fixed(MIN_MIOU, 2),
                        reference >= MIN_MIOU),
                new Bar(
                        "curveMonotone",
                        "Largest mIoU drop between consecutive iterations 1.." + n,
                        drop,
                        MAX_DROP,
                        "<= " + fixed(MAX_DROP, 3),
                        drop <= MAX_DROP),
                new Bar(
                        "seededRatio",
                        "Seeded video, " + seededIterations(r) + " iterations / zero-canvas " + n,
                        seeded,
                        MIN_SEEDED_RATIO,
                        ">= " + fixed(MIN_SEEDED_RATIO, 2),
                        seeded >= MIN_SEEDED_RATIO),
                new Bar(
                        "wrongSeedRatio",
                        "Wrong-class seed after "
                                + WRONG_SEED_ITERATIONS
                                + " iterations / zero-canvas "
                                + n,
                        wrong,
                        MIN_WRONG_SEED_RATIO,
                        ">= " + fixed(MIN_WRONG_SEED_RATIO, 2),
                        wrong >= MIN_WRONG_SEED_RATIO));
    }

    /** Whether every bar is met. */
    public static boolean allPass(Report r) {
        return bars(r).stream().allMatch(Bar::pass);
    }

    // ---------------------------------------------------------------------------------------
    // Markdown

    /** A readable Markdown report with the bars, the curves, the baseline and per-class IoU. */
    public static String markdown(Evaluation e) {
        Report r = e.report();
        double reference = referenceMiou(r);
        String ref = "zero-" + r.referenceIterations();
        StringBuilder md = new StringBuilder();
        md.append("# CanvasFlow evaluation\n\n");
        md.append("- Model: `").append(e.modelVersion()).append("`\n");
        md.append("- Feed-forward baseline: ")
                .append(e.baselineVersion() == null ? "none" : "`" + e.baselineVersion() + "`")
                .append('\n');
        md.append("- Data: synthetic test split, ")
                .append(e.sequences())
                .append(" sequences x ")
                .append(e.framesPerSequence())
                .append(" frames (")
                .append(r.frames())
                .append(" frames)\n");
        md.append("- Reference (")
                .append(ref)
                .append("): zero canvas, ")
                .append(r.referenceIterations())
                .append(" iterations, mIoU ")
                .append(num(reference, 4))
                .append("\n\n");

        List<Bar> bars = bars(r);
        long passed = bars.stream().filter(Bar::pass).count();
        md.append("## Bars\n\n");
        md.append("| Bar | Measured | Target | Verdict |\n");
        md.append("|---|---:|---:|---|\n");
        for (Bar b : bars) {
            md.append(
                    row(
                            b.description(),
                            num(b.value(), b.key().equals("zeroCanvasMiou") ? 4 : 3),
                            b.target(),
                            b.pass() ? "PASS" : "FAIL"));
        }
        md.append('\n')
                .append(passed == bars.size() ? "**All bars pass**" : "**Bars failed**")
                .append(" (")
                .append(passed)
                .append(" of ")
                .append(bars.size())
                .append(" pass).\n\n");

        md.append("## Speed-accuracy curve (zero canvas)\n\n");
        md.append("| Iterations | mIoU | Pixel acc. | GFLOPs |\n");
        md.append("|---:|---:|---:|---:|\n");
        for (Point p : r.zeroCanvas()) {
            md.append(
                    row(
                            Integer.toString(p.iterations()),
                            num(p.miou(), 4),
                            num(p.pixelAccuracy(), 4),
                            num(p.gflops(), 2)));
        }
        md.append('\n');

        md.append("## Seeded video, wrong-class seed and baseline\n\n");
        md.append("Seeded: the first frame of each sequence runs ")
                .append(firstFrameIterations(r.zeroCanvas().size(), r.referenceIterations()))
                .append(" iterations from a zero canvas (as the topology does), every later frame ")
                .append(seededIterations(r))
                .append(
                        " iterations from the previous frame's canvas; its GFLOPs are the mean"
                                + " a frame cost, first frames included. Wrong-class seed: every"
                                + " pixel")
                .append(
                        " starts as the class after the frame's most common one (paper Figure"
                                + " 6).\n\n");
        md.append("| Run | Iterations | mIoU | Pixel acc. | GFLOPs | mIoU / ")
                .append(ref)
                .append(" |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        if (r.zeroCanvas().size() >= r.referenceIterations()) {
            md.append(
                    pointRow(
                            "Zero canvas",
                            r.zeroCanvas().get(r.referenceIterations() - 1),
                            reference));
        }
        if (r.seeded() != null) {
            md.append(pointRow("Seeded video", r.seeded(), reference));
        }
        for (Point p : r.wrongSeed()) {
            md.append(pointRow("Wrong-class seed", p, reference));
        }
        if (r.feedForward() != null) {
            md.append(pointRow("Feed-forward baseline", r.feedForward(), reference));
        }
        md.append('\n');

        md.append("## Per-class IoU\n\n");
        List<String> header = new ArrayList<>(List.of("Run"));
        e.classNames().forEach(n -> header.add(n.replace("|", "\\|")));
        md.append(row(header.toArray(String[]::new)));
        md.append("|---").append("|---:".repeat(e.classNames().size())).append("|\n");
        if (r.zeroCanvas().size() >= r.referenceIterations()) {
            md.append(
                    classRow(
                            "Zero canvas, " + r.referenceIterations() + " iterations",
                            r.zeroCanvas().get(r.referenceIterations() - 1),
                            e.classNames().size()));
        }
        if (r.seeded() != null) {
            md.append(
                    classRow(
                            "Seeded video, " + seededIterations(r) + " iterations",
                            r.seeded(),
                            e.classNames().size()));
        }
        if (r.feedForward() != null) {
            md.append(classRow("Feed-forward baseline", r.feedForward(), e.classNames().size()));
        }
        md.append('\n');

        md.append("## Plots\n\n");
        md.append("![mIoU vs GFLOPs](").append(GFLOPS_PLOT).append(")\n\n");
        md.append("![mIoU vs iterations](").append(ITERATION_PLOT).append(")\n");
        if (e.samples() != null && !e.samples().frames().isEmpty()) {
            md.append("\n![Sample frames](").append(SAMPLES_PLOT).append(")\n");
        }
        return md.toString();
    }

    private static int seededIterations(Report r) {
        return r.seeded() == null ? r.seededIterations() : r.seeded().iterations();
    }

    private static String pointRow(String run, Point p, double reference) {
        return row(
                run,
                Integer.toString(p.iterations()),
                num(p.miou(), 4),
                num(p.pixelAccuracy(), 4),
                num(p.gflops(), 2),
                num(p.miou() / reference, 3));
    }

    private static String classRow(String run, Point p, int classes) {
        String[] cells = new String[classes + 1];
        cells[0] = run;
        for (int c = 0; c < classes; c++) {
            cells[c + 1] = c < p.perClassIou().length ? num(p.perClassIou()[c], 3) : "n/a";
        }
        return row(cells);
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    /** A number with fixed decimals, or {@code n/a} for NaN or infinity. */
    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? fixed(v, decimals) : "n/a";
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    // ---------------------------------------------------------------------------------------
    // JSON

    /**
     * The same figures as pretty-printed JSON; a figure that is NaN (a class absent from both truth
     * and prediction, or a bar not measured) is written as {@code null}.
     */
    public static String json(Evaluation e) {
        Report r = e.report();
        double reference = referenceMiou(r);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modelVersion", e.modelVersion());
        m.put("baselineVersion", e.baselineVersion());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dataset", "synthetic");
        data.put("split", "test");
        data.put("sequences", e.sequences());
        data.put("framesPerSequence", e.framesPerSequence());
        data.put("frames", r.frames());
        m.put("data", data);
        m.put("classes", e.classNames());
        m.put("referenceIterations", r.referenceIterations());
        m.put("referenceMiou", finite(reference));
        m.put(
                "zeroCanvas",
                r.zeroCanvas().stream().map(p -> point(p, e.classNames(), reference)).toList());
        m.put("seededIterations", r.seededIterations());
        m.put("seeded", r.seeded() == null ? null : point(r.seeded(), e.classNames(), reference));
        m.put(
                "wrongSeed",
                r.wrongSeed().stream().map(p -> point(p, e.classNames(), reference)).toList());
        m.put(
                "feedForward",
                r.feedForward() == null ? null : point(r.feedForward(), e.classNames(), reference));
        Map<String, Object> bars = new LinkedHashMap<>();
        for (Bar b : bars(r)) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("description", b.description());
            one.put("value", finite(b.value()));
            one.put("threshold", b.threshold());
            one.put("target", b.target());
            one.put("pass", b.pass());
            bars.put(b.key(), one);
        }
        bars.put("allPass", allPass(r));
        m.put("bars", bars);
        return ReportJson.pretty(m);
    }

    private static Map<String, Object> point(Point p, List<String> classNames, double reference) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iterations", p.iterations());
        m.put("miou", finite(p.miou()));
        m.put("pixelAccuracy", finite(p.pixelAccuracy()));
        m.put("gflops", finite(p.gflops()));
        m.put("miouRatioToReference", finite(p.miou() / reference));
        Map<String, Object> perClass = new LinkedHashMap<>();
        double[] iou = p.perClassIou();
        for (int c = 0; c < iou.length; c++) {
            perClass.put(c < classNames.size() ? classNames.get(c) : "class" + c, finite(iou[c]));
        }
        m.put("perClassIou", perClass);
        return m;
    }

    /** NaN and infinities are not JSON numbers: they become null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    // ---------------------------------------------------------------------------------------
    // Plots

    /**
     * Writes {@value #GFLOPS_PLOT}, {@value #ITERATION_PLOT} and, when there are samples, {@value
     * #SAMPLES_PLOT} into {@code dir} (created if needed).
     *
     * @return the files written
     */
    public static List<Path> plots(Evaluation e, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        Plots.writePng(miouVsGflops(e.report()), dir.resolve(GFLOPS_PLOT));
        written.add(dir.resolve(GFLOPS_PLOT));
        Plots.writePng(miouVsIteration(e.report()), dir.resolve(ITERATION_PLOT));
        written.add(dir.resolve(ITERATION_PLOT));
        if (e.samples() != null && !e.samples().frames().isEmpty()) {
            Plots.writePng(sampleGrid(e.samples()), dir.resolve(SAMPLES_PLOT));
            written.add(dir.resolve(SAMPLES_PLOT));
        }
        return written;
    }

    /**
     * The speed-accuracy plot: the zero-canvas curve labelled by iteration, seeded and baseline.
     */
    static BufferedImage miouVsGflops(Report r) {
        List<Point> zero = r.zeroCanvas();
        List<Plots.Series> series = new ArrayList<>();
        series.add(
                Plots.Series.line(
                                "Recurrent, zero canvas (label: iterations)",
                                zero.stream().mapToDouble(Point::gflops).toArray(),
                                zero.stream().mapToDouble(Point::miou).toArray(),
                                ZERO)
                        .withLabels(
                                zero.stream().map(p -> Integer.toString(p.iterations())).toList()));
        if (r.seeded() != null) {
            series.add(
                    single(
                            "Recurrent, seeded video, " + r.seeded().iterations() + " iterations",
                            r.seeded(),
                            SEEDED,
                            Plots.Marker.DIAMOND));
        }
        if (r.feedForward() != null) {
            series.add(
                    single(
                            "Feed-forward baseline",
                            r.feedForward(),
                            FEED_FORWARD,
                            Plots.Marker.SQUARE));
        }
        return Plots.lineChart("mIoU vs compute per frame", "GFLOPs per frame", "mIoU", series);
    }

    /** mIoU per iteration from a zero canvas and from a wrong-class seed, with references. */
    static BufferedImage miouVsIteration(Report r) {
        int last = Math.max(r.zeroCanvas().size(), r.wrongSeed().size());
        double[] ticks = new double[last];
        for (int k = 1; k <= last; k++) {
            ticks[k - 1] = k;
        }
        List<Plots.Series> series = new ArrayList<>();
        series.add(curve("Zero canvas", r.zeroCanvas(), ZERO, Plots.Marker.CIRCLE));
        if (!r.wrongSeed().isEmpty()) {
            series.add(curve("Wrong-class seed", r.wrongSeed(), WRONG, Plots.Marker.TRIANGLE));
        }
        if (r.seeded() != null) {
            series.add(
                    Plots.Series.points(
                            "Seeded video",
                            new double[] {r.seeded().iterations()},
                            new double[] {r.seeded().miou()},
                            SEEDED,
                            Plots.Marker.DIAMOND));
        }
        if (r.feedForward() != null) {
            series.add(
                    Plots.Series.horizontal(
                            "Feed-forward baseline",
                            r.feedForward().miou(),
                            1,
                            last,
                            FEED_FORWARD));
        }
        series.add(
                Plots.Series.horizontal("mIoU bar " + fixed(MIN_MIOU, 2), MIN_MIOU, 1, last, BAR));
        return Plots.lineChart(
                "mIoU after each iteration",
                "Iterations",
                "mIoU",
                series,
                Plots.Options.defaults().withXTicks(ticks));
    }

    /** One row per sample: image | ground truth | mask after each iteration, class legend below. */
    static BufferedImage sampleGrid(Samples samples) {
        List<String> columns = new ArrayList<>(List.of("Image", "Ground truth"));
        for (int k = 1; k <= samples.iterations(); k++) {
            columns.add("Iteration " + k);
        }
        int[] colors = samples.classColors();
        List<String> rows = new ArrayList<>();
        List<List<BufferedImage>> cells = new ArrayList<>();
        boolean ignored = false;
        for (Samples.Sample s : samples.frames()) {
            rows.add(s.sequenceId() + "\nframe " + s.frameIndex());
            List<BufferedImage> row = new ArrayList<>();
            row.add(s.image());
            row.add(Plots.classMapImage(s.labels(), s.width(), s.height(), colors));
            for (byte[] mask : s.masks()) {
                row.add(Plots.classMapImage(mask, s.width(), s.height(), colors));
            }
            cells.add(row);
            for (byte b : s.labels()) {
                ignored |= (b & 0xff) >= colors.length;
            }
        }
        List<Plots.LegendEntry> legend = new ArrayList<>();
        for (int c = 0; c < colors.length; c++) {
            legend.add(
                    new Plots.LegendEntry(
                            c < samples.classNames().size()
                                    ? samples.classNames().get(c)
                                    : "class " + c,
                            colors[c]));
        }
        if (ignored) {
            legend.add(new Plots.LegendEntry("ignored", Plots.IGNORE_COLOR));
        }
        int frameWidth = samples.frames().get(0).width();
        int cellWidth = Math.max(128, Math.min(256, frameWidth));
        return Plots.imageGrid(
                "Masks after each iteration from a zero canvas",
                columns,
                rows,
                cells,
                legend,
                cellWidth);
    }

    private static Plots.Series single(String name, Point p, Color color, Plots.Marker marker) {
        return Plots.Series.points(
                name, new double[] {p.gflops()}, new double[] {p.miou()}, color, marker);
    }

    private static Plots.Series curve(
            String name, List<Point> points, Color color, Plots.Marker marker) {
        return new Plots.Series(
                name,
                points.stream().mapToDouble(Point::iterations).toArray(),
                points.stream().mapToDouble(Point::miou).toArray(),
                color,
                Plots.Line.SOLID,
                marker,
                List.of());
    }
}
