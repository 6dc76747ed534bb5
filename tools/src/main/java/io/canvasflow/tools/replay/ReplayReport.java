package io.canvasflow.tools.replay;

import io.canvasflow.clients.ClassMap;
import io.canvasflow.tools.common.Json;
import io.canvasflow.tools.common.ReportFolder;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.trainer.Plots;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes a {@link ReplayResult} as {@value #JSON}, {@value #MARKDOWN} and PNG plots, and renders
 * the console table.
 */
public final class ReplayReport {

    /** The figures as JSON. */
    public static final String JSON = "replay.json";

    /** The figures as a Markdown report. */
    public static final String MARKDOWN = "replay.md";

    /** mIoU against GFLOPs per frame, one point per mode. */
    public static final String QUALITY_PLOT = "miou_vs_gflops.png";

    /** Flicker per mode. */
    public static final String FLICKER_PLOT = "flicker.png";

    /** Model time per frame and end-to-end throughput per mode. */
    public static final String COST_PLOT = "cost.png";

    /** Latency percentiles per mode. */
    public static final String LATENCY_PLOT = "latency.png";

    /** Sample frames with each mode's mask. */
    public static final String SAMPLES_PLOT = "samples.png";

    private static final List<Color> COLORS = Plots.PALETTE;

    /**
     * A headline ratio: a figure of one mode over the same figure of another.
     *
     * @param key its name in the JSON's {@code ratios}
     * @param what the figure, for the Markdown
     * @param a the mode above the line
     * @param b the mode below it
     * @param figure the figure
     */
    private record Ratio(
            String key,
            String what,
            ReplayMode a,
            ReplayMode b,
            ToDoubleFunction<ModeResult> figure) {

        double of(ReplayResult r) {
            return r.ratio(a.name(), b.name(), figure);
        }

        /** The Markdown line, or nothing where the ratio was not measured. */
        String line(ReplayResult r) {
            double v = of(r);
            return Double.isFinite(v)
                    ? String.format(
                            Locale.ROOT, "- %s of %s / %s: %.3f%n", what, a.name(), b.name(), v)
                    : "";
        }
    }

    /** The headline ratios, in the order the console, the Markdown and the JSON give them. */
    private static final List<Ratio> RATIOS =
            List.of(
                    ratio("seeded2OverZero6Miou", "mIoU", res -> res.quality().miou()),
                    ratio(
                            "seeded2OverZero6ModelMs",
                            "model ms per frame",
                            res -> res.cost().modelMsMean()),
                    ratio(
                            "seeded2OverZero6Gflops",
                            "GFLOPs per frame",
                            res -> res.cost().gflopsMean()),
                    ratio("seeded2OverZero6Fps", "end-to-end frames/s", res -> res.cost().fps()),
                    new Ratio(
                            "seeded2OverFeedForwardFlicker",
                            "flicker",
                            ReplayMode.SEEDED_2,
                            ReplayMode.FEED_FORWARD,
                            res -> res.quality().flicker().share()));

    private ReplayReport() {}

    /** Every file a report may have; a run writes the plots it has data for. */
    static final List<String> FILES =
            List.of(
                    JSON,
                    MARKDOWN,
                    QUALITY_PLOT,
                    FLICKER_PLOT,
                    COST_PLOT,
                    LATENCY_PLOT,
                    SAMPLES_PLOT);

    /**
     * Writes the JSON, the Markdown and the plots into a folder, as {@link ReportFolder} writes:
     * all or nothing, and an earlier run's plot this one has no data for is removed.
     *
     * @param result the figures
     * @param dir the folder
     * @return the files written
     * @throws IOException when a file cannot be written or an old one removed
     */
    public static List<Path> write(ReplayResult result, Path dir) throws IOException {
        return ReportFolder.write(
                dir,
                FILES,
                staging -> {
                    List<Path> staged = new ArrayList<>();
                    staged.add(staging.resolve(JSON));
                    Files.writeString(staged.get(0), json(result), StandardCharsets.UTF_8);
                    staged.add(staging.resolve(MARKDOWN));
                    Files.writeString(staged.get(1), markdown(result), StandardCharsets.UTF_8);
                    staged.addAll(plots(result, staging));
                    return staged;
                });
    }

    // ---------------------------------------------------------------------------------------
    // Console and Markdown

    /** The side-by-side table, as Markdown (also readable on a console). */
    public static String table(ReplayResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| mode | frames | iterations | mIoU | mIoU / zero-6 | flicker | model ms |"
                        + " GFLOPs | frames/s | latency p50 ms | latency p99 ms |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ModeResult m : r.modes()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d%s | %s | %s | %s | %s | %s | %s | %s | %s | %s%s |%n",
                            m.mode(),
                            m.counts().frames(),
                            m.counts().complete() ? "" : " (incomplete)",
                            num(m.canvas().meanIterations(), 2),
                            num(m.quality().miou(), 4),
                            num(
                                    r.ratio(
                                            m.mode(),
                                            ReplayMode.ZERO_6.name(),
                                            res -> res.quality().miou()),
                                    3),
                            num(m.quality().flicker().share(), 4),
                            num(m.cost().modelMsMean(), 1),
                            num(m.cost().gflopsMean(), 3),
                            num(m.cost().fps(), 1),
                            num(m.latency().p50Ms(), 0),
                            num(m.latency().p99Ms(), 0),
                            m.latency().complete()
                                    ? ""
                                    : " (probe incomplete: "
                                            + m.latency().received()
                                            + " of "
                                            + m.latency().frames()
                                            + ")"));
        }
        return sb.toString();
    }

    /** The headline ratios and issue 6's bars, a few lines for the console. */
    public static String summary(ReplayResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "seeded-2 / zero-6: mIoU %s, model ms %s, GFLOPs %s, frames/s %s;"
                                + " flicker seeded-2 / feed-forward %s%n",
                        RATIOS.stream().map(x -> num(x.of(r), 3)).toArray()));
        for (ReplayResult.Check c : r.checks()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %-42s %.3f (%s) %s%n",
                            c.description(),
                            c.value(),
                            c.threshold(),
                            c.pass() ? "pass" : "FAIL"));
        }
        return sb.toString();
    }

    /** The report: what was replayed, the table, the ratios and bars, and how it was measured. */
    public static String markdown(ReplayResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# CanvasFlow replay\n\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Source: %s (%s): %d frames of %d camera(s), %d with ground truth; %d"
                                + " stream thread(s) per run; %d processor(s).%n%n",
                        r.input().source(),
                        r.input().range(),
                        r.input().frames(),
                        r.input().cameras(),
                        r.input().groundTruthFrames(),
                        r.streamThreads(),
                        Runtime.getRuntime().availableProcessors()));
        sb.append(table(r)).append('\n');
        sb.append("## Ratios\n\n");
        RATIOS.forEach(x -> sb.append(x.line(r)));
        sb.append('\n');
        List<ReplayResult.Check> checks = r.checks();
        if (!checks.isEmpty()) {
            sb.append(
                    "## Bars (issue 6)\n\n| bar | value | threshold | result |\n|---|---:|---|---|\n");
            for (ReplayResult.Check c : checks) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %.3f | %s | %s |%n",
                                c.description(),
                                c.value(),
                                c.threshold(),
                                c.pass() ? "pass" : "FAIL"));
            }
            sb.append('\n');
        }
        sb.append("## Per mode\n\n");
        for (ModeResult m : r.modes()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "- **%s**: %s. Model %s. %d of %d records segmented, %d dead letters, %d"
                                    + " duplicates; %d seeded, resets %s. Flicker basis: %s over"
                                    + " %d frame pairs (all-pixel change rate %s, ground-truth"
                                    + " change rate %s). Latency probe: %d frames at %s"
                                    + " frames/s, %d masks arrived%s. Machine load (1-minute"
                                    + " average) at the end: %s.%n",
                            m.mode(),
                            m.description(),
                            m.modelVersion(),
                            m.counts().frames(),
                            m.counts().fed(),
                            m.counts().deadLetters(),
                            m.counts().duplicates(),
                            m.canvas().seeded(),
                            m.canvas().resets(),
                            m.quality().flicker().basis(),
                            m.quality().flicker().pairs(),
                            num(m.quality().flicker().changeRate(), 4),
                            num(m.quality().flicker().truthChangeRate(), 4),
                            m.latency().frames(),
                            num(m.latency().rateFps(), 1),
                            m.latency().received(),
                            m.latency().complete() ? "" : " (" + m.latency().incompleteLine() + ")",
                            num(m.cost().loadAverage(), 2)));
        }
        sb.append(
                """

                ## How it was measured

                - Each mode runs the production topology under a fresh application id, with its own
                  input, masks and dead-letter topics: the replayed records are copied into the input
                  topic (same partition, key and bytes, so original sequences and capture times drive
                  the canvas policy) before Kafka Streams starts. The modes differ only in settings:
                  zero-canvas modes set `canvas.keyframe.interval=1` with `canvas.full.iterations` 2 or
                  6; the feed-forward baseline runs `models/ff` with one pass per frame.
                - **mIoU**: one confusion matrix over every frame with ground truth, mean over the
                  classes present or predicted. **flicker**: between consecutive frames of a camera,
                  the share of pixels whose predicted label changes among those whose ground-truth
                  label does not; without ground truth, the share of all pixels whose label changes
                  (which includes real motion, so it only compares modes on the same footage).
                - **model ms**: the network's time per frame as the mask event reports it (backbone
                  plus iterations, mean). Each model first runs a few frames outside any mode, so
                  that PyTorch's first-call costs count against none. **GFLOPs**: analytic count at
                  the model's input size for the iterations run.
                - **frames/s**: frames per second while draining the whole backlog, every frame
                  counted, from the stream threads running (the backlog already in the input topic)
                  to the last mask readable. **latency**: a probe of the first frames again, under fresh
                  camera ids, paced at %s of that rate (each probe camera's first frame goes first,
                  unpaced and untimed, so that the probe measures the mode's steady state); from the
                  probe frame's send to its mask being readable by a `read_committed` consumer
                  (exactly-once commits included).
                """
                        .formatted(percent(r.latencyLoad())));
        if (!r.samples().keys().isEmpty()) {
            sb.append("\n![samples](").append(SAMPLES_PLOT).append(")\n");
        }
        return sb.toString();
    }

    /** A ratio of seeded-2 over zero-6. */
    private static Ratio ratio(String key, String what, ToDoubleFunction<ModeResult> figure) {
        return new Ratio(key, what, ReplayMode.SEEDED_2, ReplayMode.ZERO_6, figure);
    }

    // ---------------------------------------------------------------------------------------
    // JSON

    /** The figures as pretty-printed JSON; unmeasured figures are null. */
    public static String json(ReplayResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", r.input().source());
        m.put("range", r.input().range());
        m.put("records", r.input().records());
        m.put("frames", r.input().frames());
        m.put("cameras", r.input().cameras());
        m.put("groundTruthFrames", r.input().groundTruthFrames());
        m.put("streamThreads", r.streamThreads());
        m.put("latencyLoad", r.latencyLoad());
        m.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        m.put("classes", r.classes().names());
        List<Map<String, Object>> modes = new ArrayList<>();
        for (ModeResult x : r.modes()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("mode", x.mode());
            o.put("description", x.description());
            o.put("modelVersion", x.modelVersion());
            o.put("frames", x.counts().frames());
            o.put("fed", x.counts().fed());
            o.put("deadLetters", x.counts().deadLetters());
            o.put("duplicates", x.counts().duplicates());
            o.put("complete", x.counts().complete());
            o.put("groundTruthFrames", x.quality().groundTruthFrames());
            o.put("miou", Stats.finite(x.quality().miou()));
            o.put("pixelAccuracy", Stats.finite(x.quality().pixelAccuracy()));
            Map<String, Double> perClass = new LinkedHashMap<>();
            x.quality().perClassIou().forEach((k, v) -> perClass.put(k, Stats.finite(v)));
            o.put("perClassIou", perClass);
            o.put("flicker", Stats.finite(x.quality().flicker().share()));
            o.put("flickerBasis", x.quality().flicker().basis());
            o.put("changeRate", Stats.finite(x.quality().flicker().changeRate()));
            o.put("truthChangeRate", Stats.finite(x.quality().flicker().truthChangeRate()));
            o.put("flickerPairs", x.quality().flicker().pairs());
            o.put("meanIterations", Stats.finite(x.canvas().meanIterations()));
            o.put("seeded", x.canvas().seeded());
            o.put("resets", x.canvas().resets());
            o.put("modelMsMean", Stats.finite(x.cost().modelMsMean()));
            o.put("modelMsP50", Stats.finite(x.cost().modelMsP50()));
            o.put("gflopsMean", Stats.finite(x.cost().gflopsMean()));
            o.put("fps", Stats.finite(x.cost().fps()));
            x.latency().putInto(o);
            o.put("loadAverage", Stats.finite(x.cost().loadAverage()));
            modes.add(o);
        }
        m.put("modes", modes);
        Map<String, Object> ratios = new LinkedHashMap<>();
        RATIOS.forEach(x -> ratios.put(x.key(), Stats.finite(x.of(r))));
        m.put("ratios", ratios);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (ReplayResult.Check c : r.checks()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("description", c.description());
            o.put("value", Stats.finite(c.value()));
            o.put("threshold", c.threshold());
            o.put("pass", c.pass());
            checks.add(o);
        }
        m.put("checks", checks);
        return Json.pretty(m);
    }

    // ---------------------------------------------------------------------------------------
    // Plots

    /** Writes the plots that the figures allow; returns the files. */
    static List<Path> plots(ReplayResult r, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        List<String> names = r.modes().stream().map(ModeResult::mode).toList();
        if (r.modes().stream().anyMatch(m -> Double.isFinite(m.quality().miou()))) {
            List<Plots.Series> series = new ArrayList<>();
            for (int i = 0; i < r.modes().size(); i++) {
                ModeResult m = r.modes().get(i);
                series.add(
                        Plots.Series.points(
                                        m.mode(),
                                        new double[] {m.cost().gflopsMean()},
                                        new double[] {m.quality().miou()},
                                        color(i),
                                        Plots.Marker.values()[1 + i % 5])
                                .withLabels(List.of(m.mode())));
            }
            write(
                    Plots.lineChart(
                            "mIoU vs compute per frame (replay)",
                            "GFLOPs per frame",
                            "mIoU",
                            series),
                    dir.resolve(QUALITY_PLOT),
                    written);
        }
        write(
                Plots.barChart(
                        "Temporal flicker ("
                                + (r.modes().stream()
                                                .allMatch(
                                                        m ->
                                                                ModeResult.FLICKER_GT.equals(
                                                                        m.quality()
                                                                                .flicker()
                                                                                .basis()))
                                        ? "pixels whose label changes where the truth does not"
                                        : "pixels whose label changes between frames")
                                + ")",
                        "mode",
                        "share of pixels",
                        names,
                        List.of(bars("flicker", r, res -> res.quality().flicker().share(), 0))),
                dir.resolve(FLICKER_PLOT),
                written);
        write(
                Plots.barChart(
                        "Cost per frame and throughput",
                        "mode",
                        "ms per frame / frames per s",
                        names,
                        List.of(
                                bars("model ms per frame", r, res -> res.cost().modelMsMean(), 0),
                                bars("end-to-end frames/s", r, res -> res.cost().fps(), 1))),
                dir.resolve(COST_PLOT),
                written);
        if (r.modes().stream().anyMatch(m -> Double.isFinite(m.latency().p50Ms()))) {
            write(
                    Plots.barChart(
                            "End-to-end latency at "
                                    + percent(r.latencyLoad())
                                    + " of each mode's throughput",
                            "mode",
                            "ms",
                            names,
                            List.of(
                                    bars("p50", r, res -> res.latency().p50Ms(), 0),
                                    bars("p99", r, res -> res.latency().p99Ms(), 1))),
                    dir.resolve(LATENCY_PLOT),
                    written);
        }
        if (!r.samples().keys().isEmpty()) {
            write(sampleGrid(r), dir.resolve(SAMPLES_PLOT), written);
        }
        return written;
    }

    /** One row per sample frame: image | ground truth (if any) | each mode's mask. */
    static BufferedImage sampleGrid(ReplayResult r) {
        ReplayResult.Samples s = r.samples();
        boolean truth = !s.truth().isEmpty();
        List<String> columns = new ArrayList<>(List.of("Image"));
        if (truth) {
            columns.add("Ground truth");
        }
        columns.addAll(s.masks().keySet());
        List<String> rows = new ArrayList<>();
        List<List<BufferedImage>> cells = new ArrayList<>();
        int width = 256;
        for (FrameKey key : s.keys()) {
            BufferedImage image = s.images().get(key);
            width = Math.min(width, image.getWidth());
            List<BufferedImage> row = new ArrayList<>();
            row.add(image);
            if (truth) {
                row.add(classMapImage(s.truth().get(key), image, r.classes().colors()));
            }
            for (Map<FrameKey, ClassMap> masks : s.masks().values()) {
                row.add(classMapImage(masks.get(key), image, r.classes().colors()));
            }
            rows.add(key.camera() + "\nframe " + key.sequence());
            cells.add(row);
        }
        List<Plots.LegendEntry> legend = new ArrayList<>();
        for (int c = 0; c < r.classes().colors().length; c++) {
            legend.add(new Plots.LegendEntry(r.classes().names().get(c), r.classes().colors()[c]));
        }
        return Plots.imageGrid(
                "Sample frames and each mode's mask",
                columns,
                rows,
                cells,
                legend,
                Math.max(128, width));
    }

    /** A class map in the model's colours, or a grey cell where there is none. */
    private static BufferedImage classMapImage(ClassMap map, BufferedImage like, int[] colors) {
        if (map == null) {
            BufferedImage grey =
                    new BufferedImage(
                            like.getWidth(), like.getHeight(), BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = grey.createGraphics();
            g.setColor(new Color(Plots.IGNORE_COLOR));
            g.fillRect(0, 0, grey.getWidth(), grey.getHeight());
            g.dispose();
            return grey;
        }
        return Plots.classMapImage(map.indices(), map.width(), map.height(), colors);
    }

    private static Plots.Bars bars(
            String name, ReplayResult r, ToDoubleFunction<ModeResult> f, int colorIndex) {
        return new Plots.Bars(name, r.modes().stream().mapToDouble(f).toArray(), color(colorIndex));
    }

    private static Color color(int i) {
        return COLORS.get(i % COLORS.size());
    }

    private static void write(BufferedImage image, Path file, List<Path> written)
            throws IOException {
        Plots.writePng(image, file);
        written.add(file);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    /** A figure for the console and the Markdown: {@code n/a} where it was not measured. */
    static String num(double v, int decimals) {
        return Stats.format(v, decimals, "n/a");
    }
}
