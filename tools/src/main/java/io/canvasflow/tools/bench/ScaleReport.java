package io.canvasflow.tools.bench;

import io.canvasflow.tools.common.CorePlacement;
import io.canvasflow.tools.common.Stats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code bench scale}'s figures as JSON (maps) and as the table printed before it. */
final class ScaleReport {

    /** Per-frame CPU at the most cameras must be within this multiple of the fewest. */
    static final double MAX_CPU_GROWTH = 1.10;

    /** Restoring the canvas store of 10,000 cameras must take at most this long. */
    static final double MAX_RESTORE_SECONDS_10K = 30;

    private ScaleReport() {}

    static Map<String, Object> json(
            CorePlacement placement,
            List<ScaleBenchmark.Run> runs,
            List<RestoreBenchmark.Run> restores) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("placement", placement.json());
        m.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        m.put("loadAverage", Stats.finite(Stats.loadAverage()));
        List<Map<String, Object>> rs = new ArrayList<>();
        for (ScaleBenchmark.Run r : runs) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("cameras", r.cameras());
            o.put("partitions", r.partitions());
            o.put("frames", r.load().frames());
            o.put("rateFps", r.load().rate());
            o.put("seconds", Stats.finite(r.load().seconds()));
            o.put("seededShare", Stats.finite(r.load().seededShare()));
            o.put("cpuMsPerFrame", Stats.finite(r.cost().cpuMsPerFrame()));
            o.put("modelMs", Stats.finite(r.cost().modelMs()));
            o.put("coresBusy", Stats.finite(r.cost().coresBusy()));
            o.put("commitsPerSecond", Stats.finite(r.cost().commit().perSecond()));
            o.put("msPerCommit", Stats.finite(r.cost().commit().msEach()));
            o.put("latencyP50Ms", Stats.finite(r.latency()[0]));
            o.put("latencyP99Ms", Stats.finite(r.latency()[1]));
            o.put("rssBytes", r.memory().rssBytes());
            o.put("canvasBytesPerCamera", Stats.finite(r.memory().canvasBytesPerCamera()));
            o.put("frameBytes", Stats.finite(r.traffic().frameBytes()));
            o.put("maskBytes", Stats.finite(r.traffic().maskBytes()));
            Map<String, Object> stages = new LinkedHashMap<>();
            r.stagesMs().forEach((k, v) -> stages.put(k, Stats.finite(v)));
            o.put("stagesMsPerFrame", stages);
            rs.add(o);
        }
        m.put("runs", rs);
        List<Map<String, Object>> re = new ArrayList<>();
        for (RestoreBenchmark.Run r : restores) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("cameras", r.cameras());
            o.put("partitions", r.partitions());
            o.put("changelogBytes", r.changelogBytes());
            o.put("restoreSeconds", Stats.finite(r.restoreSeconds()));
            o.put("secondsToUp", Stats.finite(r.secondsToUp()));
            o.put("rssBytes", r.rssBytes());
            o.put("stateDirBytes", r.stateDirBytes());
            if (r.takeover() != null) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("complete", r.takeover().complete());
                t.put("seconds", Stats.finite(r.takeover().seconds()));
                t.put("partitions", r.takeover().partitions());
                t.put("restoreSeconds", Stats.finite(r.takeover().restoreSeconds()));
                o.put("takeover", t);
            }
            re.add(o);
        }
        m.put("restores", re);
        List<Map<String, Object>> checks = new ArrayList<>();
        if (runs.size() >= 2) {
            ScaleBenchmark.Run first = runs.get(0);
            ScaleBenchmark.Run last = runs.get(runs.size() - 1);
            double growth = last.cost().cpuMsPerFrame() / first.cost().cpuMsPerFrame();
            checks.add(
                    check(
                            String.format(
                                    Locale.ROOT,
                                    "CPU ms per frame at %d cameras / at %d",
                                    last.cameras(),
                                    first.cameras()),
                            growth,
                            "<= " + MAX_CPU_GROWTH,
                            growth <= MAX_CPU_GROWTH));
        }
        if (restores.size() >= 2) {
            // the fewest cameras and the most, wherever they ran
            Comparator<RestoreBenchmark.Run> byCameras =
                    Comparator.comparingInt(RestoreBenchmark.Run::cameras);
            RestoreBenchmark.Run a = restores.stream().min(byCameras).orElseThrow();
            RestoreBenchmark.Run b = restores.stream().max(byCameras).orElseThrow();
            m.put(
                    "rssGrowthBytesPer1000Cameras",
                    Stats.finite(
                            (b.rssBytes() - a.rssBytes()) * 1000.0 / (b.cameras() - a.cameras())));
        }
        for (RestoreBenchmark.Run r : restores) {
            if (r.cameras() == 10_000) {
                checks.add(
                        check(
                                "canvas-store restore of 10,000 cameras, seconds",
                                r.restoreSeconds(),
                                "<= " + MAX_RESTORE_SECONDS_10K,
                                r.restoreSeconds() <= MAX_RESTORE_SECONDS_10K));
            }
        }
        m.put("checks", checks);
        return m;
    }

    /** The stream thread's milliseconds per frame, a column per run. */
    @SuppressWarnings("unchecked")
    private static String stagesTable(List<Map<String, Object>> runs) {
        if (runs.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s", "ms per frame"));
        for (Map<String, Object> r : runs) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            " %12s",
                            r.get("cameras") + "c/" + r.get("partitions") + "p"));
        }
        sb.append('\n');
        Map<String, Object> first = (Map<String, Object>) runs.get(0).get("stagesMsPerFrame");
        for (String stage : first.keySet()) {
            sb.append(String.format(Locale.ROOT, "%-14s", stage));
            for (Map<String, Object> r : runs) {
                Object v = ((Map<String, Object>) r.get("stagesMsPerFrame")).get(stage);
                sb.append(String.format(Locale.ROOT, " %12s", Stats.format(v, 2)));
            }
            sb.append('\n');
        }
        sb.append(
                "(serve's stage timers and Kafka's blocked and transaction time, per measured"
                        + " frame: where the stream thread's time went)\n\n");
        return sb.toString();
    }

    private static Map<String, Object> check(
            String description, double value, String threshold, boolean pass) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("description", description);
        o.put("value", Stats.finite(value));
        o.put("threshold", threshold);
        o.put("pass", Double.isFinite(value) && pass);
        return o;
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        sb.append("Placement: ")
                .append(((Map<String, Object>) m.get("placement")).get("description"))
                .append("\n\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%8s %10s %7s %7s %7s %9s %8s %7s %8s %8s %8s %10s %9s %9s%n",
                        "cameras",
                        "partitions",
                        "frames",
                        "f/s",
                        "seeded",
                        "CPU ms/f",
                        "model ms",
                        "cores",
                        "p50 ms",
                        "p99 ms",
                        "RSS MB",
                        "canvas B",
                        "commits/s",
                        "ms/commit"));
        for (Map<String, Object> r : (List<Map<String, Object>>) m.get("runs")) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%8d %10d %7d %7s %7s %9s %8s %7s %8s %8s %8s %10s %9s %9s%n",
                            r.get("cameras"),
                            r.get("partitions"),
                            r.get("frames"),
                            Stats.format(r.get("rateFps"), 1),
                            Stats.format(r.get("seededShare"), 3),
                            Stats.format(r.get("cpuMsPerFrame"), 2),
                            Stats.format(r.get("modelMs"), 2),
                            Stats.format(r.get("coresBusy"), 2),
                            Stats.format(r.get("latencyP50Ms"), 0),
                            Stats.format(r.get("latencyP99Ms"), 0),
                            Stats.format(((Number) r.get("rssBytes")).doubleValue() / Stats.MB, 0),
                            Stats.format(r.get("canvasBytesPerCamera"), 0),
                            Stats.format(r.get("commitsPerSecond"), 1),
                            Stats.format(r.get("msPerCommit"), 1)));
        }
        sb.append(
                "(CPU ms/f: the serve process's CPU time, all threads, per frame; cores: that time"
                        + " over the run; latency: capture to mask readable, read_committed;"
                        + " ms/commit: how long each exactly-once commit kept the stream thread"
                        + " waiting; MB: 10^6 bytes)\n\n");
        sb.append(stagesTable((List<Map<String, Object>>) m.get("runs")));
        List<Map<String, Object>> restores = (List<Map<String, Object>>) m.get("restores");
        if (!restores.isEmpty()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%8s %10s %12s %10s %8s %8s %10s %12s%n",
                            "restore",
                            "partitions",
                            "changelog MB",
                            "restore s",
                            "up s",
                            "RSS MB",
                            "state MB",
                            "takeover s"));
            for (Map<String, Object> r : restores) {
                Map<String, Object> t = (Map<String, Object>) r.get("takeover");
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%8d %10d %12s %10s %8s %8s %10s %12s%n",
                                r.get("cameras"),
                                r.get("partitions"),
                                Stats.format(
                                        ((Number) r.get("changelogBytes")).doubleValue() / Stats.MB,
                                        1),
                                Stats.format(r.get("restoreSeconds"), 2),
                                Stats.format(r.get("secondsToUp"), 1),
                                Stats.format(
                                        ((Number) r.get("rssBytes")).doubleValue() / Stats.MB, 0),
                                Stats.format(
                                        ((Number) r.get("stateDirBytes")).doubleValue() / Stats.MB,
                                        1),
                                t == null
                                        ? "-"
                                        : (Boolean.FALSE.equals(t.get("complete"))
                                                        ? "incomplete"
                                                        : Stats.format(t.get("seconds"), 1))
                                                + " ("
                                                + t.get("partitions")
                                                + " p)"));
            }
            sb.append(
                    "(restore s: serve's restore listener, empty state directory; up s: launch to"
                            + " /health UP and the store restored, JVM and model load included;"
                            + " takeover: a second serve's launch to owning half the partitions"
                            + " with its share restored; incomplete: not within "
                            + RestoreBenchmark.TAKEOVER_DEADLINE.toSeconds()
                            + " s)\n\n");
        }
        for (Map<String, Object> c : (List<Map<String, Object>>) m.get("checks")) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s: %s   (bar: %s, %s)%n",
                            c.get("description"),
                            Stats.format(c.get("value"), 3),
                            c.get("threshold"),
                            Boolean.TRUE.equals(c.get("pass")) ? "met" : "NOT met"));
        }
        return sb.toString();
    }
}
