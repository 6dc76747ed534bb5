package io.canvasflow.tools.demo;

import io.canvasflow.clients.CameraVideos;
import io.canvasflow.clients.FollowResult;
import io.canvasflow.clients.PublishResult;
import io.canvasflow.tools.common.Json;
import io.canvasflow.tools.common.ReportFolder;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.trainer.Plots;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's report: per camera, frames published and masks received (missing and duplicate ones
 * counted), mask rate, end-to-end latency p50/p99, model time, seeded and reset frames and, where
 * the frames carried ground truth, mIoU. Written as {@code report.json}, {@code report.md}, two
 * charts, and the overlay samples and MP4s the follower drew.
 */
final class DemoReport {

    static final String JSON = "report.json";
    static final String MARKDOWN = "report.md";
    static final String LATENCY_CHART = "latency.png";
    static final String MIOU_CHART = "miou.png";
    static final String OVERLAYS = "overlays";
    static final List<String> FILES = List.of(JSON, MARKDOWN, LATENCY_CHART, MIOU_CHART);

    /** One camera's line of the report. */
    record CameraRow(
            String cameraId,
            Counts counts,
            double fps,
            long latencyP50Millis,
            long latencyP99Millis,
            Segmentation segmentation,
            double miou,
            String video) {}

    /** Frames published and what came back of them. */
    record Counts(long published, long masks, long missing, long duplicates) {}

    /** How the camera's frames were segmented. */
    record Segmentation(
            double meanModelMillis,
            double meanIterations,
            long seeded,
            Map<String, Long> resets,
            List<String> models) {}

    private final String modelDir;
    private final String viewUrl;
    private final String modelVersion;
    private final List<String> classNames;
    private final List<CameraRow> rows = new ArrayList<>();
    private final Map<String, DemoScore.Camera> seen;
    private final double overallMiou;
    private final double publishSeconds;
    private final long sendFailures;
    private final double followSeconds;
    private final List<String> overlayPngs;

    DemoReport(
            String modelDir,
            String viewUrl,
            List<PublishResult> published,
            FollowResult followed,
            DemoScore score,
            List<Path> pngs,
            Map<String, CameraVideos> videos,
            Path out) {
        this.modelDir = modelDir;
        this.viewUrl = viewUrl;
        this.modelVersion = score.modelVersion();
        this.classNames = score.classNames();
        this.seen = score.cameras();
        this.overallMiou = score.overallMiou();
        this.publishSeconds =
                published.stream().mapToDouble(PublishResult::seconds).max().orElse(0);
        this.sendFailures =
                published.stream()
                        .flatMap(r -> r.cameras().values().stream())
                        .mapToLong(PublishResult.CameraResult::failed)
                        .sum();
        this.followSeconds = followed.seconds();
        this.overlayPngs = pngs.stream().map(p -> relative(out, p)).toList();
        for (PublishResult result : published) {
            result.cameras()
                    .forEach(
                            (id, camera) -> {
                                DemoScore.Camera s = seen.get(id);
                                CameraVideos video = videos.get(id);
                                rows.add(
                                        row(
                                                id,
                                                camera.frames(),
                                                s,
                                                video == null ? null : video.first(),
                                                out));
                            });
        }
    }

    private static CameraRow row(
            String id, long published, DemoScore.Camera seen, Path video, Path out) {
        List<DemoScore.Event> events = seen == null ? List.of() : seen.events;
        long[] latencies =
                events.stream().mapToLong(ev -> ev.timing().latencyMillis()).sorted().toArray();
        Map<String, Long> resets = new LinkedHashMap<>();
        long seeded = 0;
        for (DemoScore.Event e : events) {
            if (e.seeded()) {
                seeded++;
            } else if (!e.resetReason().isEmpty()) {
                resets.merge(e.resetReason(), 1L, Long::sum);
            }
        }
        long masks = seen == null ? 0 : seen.distinct();
        double seconds =
                events.size() < 2
                        ? 0
                        : (events.get(events.size() - 1).timing().arrivalNanos()
                                        - events.get(0).timing().arrivalNanos())
                                / 1e9;
        return new CameraRow(
                id,
                new Counts(
                        published,
                        masks,
                        Math.max(0, published - masks),
                        seen == null ? 0 : seen.duplicates()),
                seconds > 0 ? (events.size() - 1) / seconds : Double.NaN,
                percentile(latencies, 50),
                percentile(latencies, 99),
                new Segmentation(
                        events.stream()
                                .mapToDouble(DemoScore.Event::modelMillis)
                                .average()
                                .orElse(Double.NaN),
                        events.stream()
                                .mapToInt(DemoScore.Event::iterations)
                                .average()
                                .orElse(Double.NaN),
                        seeded,
                        resets,
                        seen == null ? List.of() : List.copyOf(seen.models)),
                seen == null ? Double.NaN : seen.miou(),
                video == null ? null : relative(out, video));
    }

    /** {@link Stats#percentile} of whole milliseconds, -1 when there are none. */
    static long percentile(long[] values, double p) {
        return values.length == 0
                ? -1
                : (long) Stats.percentile(Arrays.stream(values).asDoubleStream().toArray(), p);
    }

    /** Whether every frame was sent and got exactly one mask event. */
    boolean complete() {
        return !rows.isEmpty()
                && sendFailures == 0
                && rows.stream()
                        .allMatch(r -> r.counts().missing() == 0 && r.counts().duplicates() == 0);
    }

    long published() {
        return rows.stream().mapToLong(r -> r.counts().published()).sum();
    }

    long masks() {
        return rows.stream().mapToLong(r -> r.counts().masks()).sum();
    }

    /**
     * Writes the JSON, the Markdown (over the "running" note) and the charts, all or nothing, as
     * {@link ReportFolder} writes; the overlays beside them are the follower's.
     */
    void write(Path out) throws IOException {
        ReportFolder.write(
                out,
                FILES,
                staging -> {
                    List<Path> staged = new ArrayList<>(writeCharts(staging));
                    List<String> charts =
                            staged.stream().map(p -> p.getFileName().toString()).toList();
                    staged.add(staging.resolve(JSON));
                    Json.write(staging.resolve(JSON), json(charts));
                    // the Markdown moves in last: until it does, the folder's note says the demo
                    // is running or stopped, never that a report is there without its files
                    staged.add(staging.resolve(MARKDOWN));
                    Files.writeString(staged.get(staged.size() - 1), markdown());
                    return staged;
                });
    }

    private Map<String, Object> json(List<String> charts) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("modelDir", modelDir);
        json.put("modelVersion", modelVersion);
        json.put("liveView", viewUrl);
        json.put("classNames", classNames);
        json.put("published", published());
        json.put("masks", masks());
        json.put("sendFailures", sendFailures);
        json.put("complete", complete());
        json.put("miou", Stats.finite(overallMiou));
        json.put("publishSeconds", publishSeconds);
        json.put("followSeconds", followSeconds);
        List<Map<String, Object>> cameras = new ArrayList<>();
        for (CameraRow r : rows) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("cameraId", r.cameraId());
            c.put("published", r.counts().published());
            c.put("masks", r.counts().masks());
            c.put("missing", r.counts().missing());
            c.put("duplicates", r.counts().duplicates());
            c.put("masksPerSecond", Stats.finite(r.fps()));
            c.put("latencyP50Millis", r.latencyP50Millis());
            c.put("latencyP99Millis", r.latencyP99Millis());
            c.put("meanModelMillis", Stats.finite(r.segmentation().meanModelMillis()));
            c.put("meanIterations", Stats.finite(r.segmentation().meanIterations()));
            c.put("seeded", r.segmentation().seeded());
            c.put("resets", r.segmentation().resets());
            c.put("models", r.segmentation().models());
            c.put("miou", Stats.finite(r.miou()));
            c.put("video", r.video());
            cameras.add(c);
        }
        json.put("cameras", cameras);
        json.put("overlaySamples", overlayPngs);
        json.put("charts", charts);
        return json;
    }

    private List<Path> writeCharts(Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        List<Plots.Series> latency = new ArrayList<>();
        List<Plots.Series> miou = new ArrayList<>();
        int k = 0;
        for (Map.Entry<String, DemoScore.Camera> e : seen.entrySet()) {
            Color color = Plots.PALETTE.get(k++ % Plots.PALETTE.size());
            List<DemoScore.Event> events = e.getValue().events;
            double[] x = events.stream().mapToDouble(DemoScore.Event::sequence).toArray();
            double[] lat = events.stream().mapToDouble(ev -> ev.timing().latencyMillis()).toArray();
            latency.add(line(e.getKey(), x, lat, color));
            double[] m = events.stream().mapToDouble(DemoScore.Event::frameMiou).toArray();
            if (Arrays.stream(m).anyMatch(v -> !Double.isNaN(v))) {
                miou.add(line(e.getKey(), x, m, color));
            }
        }
        if (!latency.isEmpty()) {
            Plots.writePng(
                    Plots.lineChart(
                            "End-to-end latency per frame (capture to mask)",
                            "frame sequence",
                            "latency (ms)",
                            latency),
                    out.resolve(LATENCY_CHART));
            written.add(out.resolve(LATENCY_CHART));
        }
        if (!miou.isEmpty()) {
            Plots.writePng(
                    Plots.lineChart(
                            "mIoU of each frame's mask against ground truth",
                            "frame sequence",
                            "mIoU",
                            miou,
                            Plots.Options.defaults().withYRange(0, 1)),
                    out.resolve(MIOU_CHART));
            written.add(out.resolve(MIOU_CHART));
        }
        return written;
    }

    private static Plots.Series line(String name, double[] x, double[] y, Color color) {
        return new Plots.Series(name, x, y, color, Plots.Line.SOLID, Plots.Marker.NONE, List.of());
    }

    /**
     * What {@code report.md} says while the demo runs: where the live view is. The report replaces
     * it at the end.
     */
    static String runningMarkdown(String viewUrl) {
        return RUNNING + viewUrl + ">. This file is replaced by the report when the demo ends.\n";
    }

    /** How the note of a demo still running begins. */
    static final String RUNNING = "# CanvasFlow demo\n\nRunning: watch it live at <";

    /** The note left where a demo ended without its report (stopped, or failed). */
    static String stoppedMarkdown() {
        return "# CanvasFlow demo\n\nThe demo stopped before its end, so there is no report; its"
                + " output said why. Run it again for one.\n";
    }

    /** The per-camera table and the totals, as Markdown. */
    String markdownSummary() {
        StringBuilder md = new StringBuilder();
        md.append(
                "| camera | published | masks | missing | dup | masks/s | latency p50 ms | latency p99 ms |"
                        + " model ms | iterations | seeded | resets | mIoU | model |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|\n");
        for (CameraRow r : rows) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %d | %d | %.1f | %d | %d | %.1f | %.2f | %d | %s | %s | %s |%n",
                            r.cameraId(),
                            r.counts().published(),
                            r.counts().masks(),
                            r.counts().missing(),
                            r.counts().duplicates(),
                            r.fps(),
                            r.latencyP50Millis(),
                            r.latencyP99Millis(),
                            r.segmentation().meanModelMillis(),
                            r.segmentation().meanIterations(),
                            r.segmentation().seeded(),
                            r.segmentation().resets().isEmpty()
                                    ? "-"
                                    : r.segmentation().resets().toString(),
                            Stats.format(r.miou(), 3, "n/a"),
                            r.segmentation().models().isEmpty()
                                    ? "-"
                                    : String.join(" → ", r.segmentation().models())));
        }
        md.append(
                String.format(
                        Locale.ROOT,
                        "%nPublished %d frames, received %d masks: %s. mIoU over all frames with"
                                + " ground truth, the cameras' pixels pooled: %s.%n",
                        published(),
                        masks(),
                        sendFailures > 0
                                ? sendFailures + " FRAME(S) COULD NOT BE SENT"
                                : complete()
                                        ? "one mask for every frame"
                                        : "SOME FRAMES HAVE NO MASK",
                        Stats.format(overallMiou, 3, "n/a")));
        return md.toString();
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("# CanvasFlow demo\n\n");
        md.append("Model `")
                .append(modelVersion)
                .append("` from `")
                .append(modelDir)
                .append("`.\n\n");
        if (viewUrl != null) {
            md.append("The live view was at <")
                    .append(viewUrl)
                    .append(
                            "> while the demo ran (`canvasflow view` serves it for any cluster).\n\n");
        }
        md.append(markdownSummary()).append('\n');
        md.append(
                "Seeded frames ran the seeded iteration count from the previous frame's canvas;"
                        + " resets ran the full count from a zero canvas (the first frame of each"
                        + " camera is one).\n\n");
        md.append("![latency](").append(LATENCY_CHART).append(")\n\n");
        if (!Double.isNaN(overallMiou)) {
            md.append("![mIoU](").append(MIOU_CHART).append(")\n\n");
        }
        md.append("## Overlays\n\n");
        for (CameraRow r : rows) {
            if (r.video() != null) {
                md.append("- ")
                        .append(r.cameraId())
                        .append(": [")
                        .append(r.video())
                        .append("](")
                        .append(r.video())
                        .append(")\n");
            }
        }
        md.append('\n');
        for (String png : overlayPngs.subList(0, Math.min(12, overlayPngs.size()))) {
            md.append("![").append(png).append("](").append(png).append(")\n");
        }
        return md.toString();
    }

    private static String relative(Path out, Path file) {
        Path a = out.toAbsolutePath().normalize();
        Path b = file.toAbsolutePath().normalize();
        return b.startsWith(a) ? a.relativize(b).toString() : b.toString();
    }
}
