package io.canvasflow.tools.bench;

import io.canvasflow.tools.common.Json;
import io.canvasflow.tools.common.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code bench soak} prints of a {@link Soak.Result}: a readable table and the JSON. A run
 * that never reached its warm-up checkpoint has no drift figures, and says so instead.
 */
public final class SoakReport {

    private SoakReport() {}

    /** A readable table: a dozen evenly spaced samples, the checkpoints and the drifts. */
    public static String table(Soak.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "soak: %d frames of %d camera(s) (%d masks%s), %d stream thread(s), %.0f s,"
                                + " %.1f frames/s; broker %s; model %s%n%n",
                        r.throughput().frames(),
                        r.setup().cameras(),
                        r.throughput().masks(),
                        r.throughput().complete() ? "" : ", INCOMPLETE",
                        r.setup().streamThreads(),
                        r.throughput().seconds(),
                        r.throughput().fps(),
                        r.setup().broker(),
                        r.setup().model()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%-10s %9s %9s %12s %10s %9s %6s%n",
                        "",
                        "seconds",
                        "frames",
                        "heap MB",
                        "RSS MB",
                        "NDArrays",
                        "load"));
        for (Soak.Sample x : evenly(r.samples(), 12)) {
            sb.append(row("sample", x));
        }
        if (r.warm() != null) {
            sb.append(row("warm-up*", r.warm().sample()));
        }
        sb.append(row("end*", r.end().sample()));
        sb.append("  (* after a full GC, the resident set settled; MB: 10^6 bytes)\n\n");
        if (r.warm() == null) {
            // figures against a checkpoint the run never reached would read as a drift measured
            // over the soak
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "no drift figures: the warm-up (%d frames) was not reached, %d masks"
                                    + " came before the idle timeout%n",
                            r.warmUpFrames(),
                            r.throughput().masks()));
        } else {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "RSS drift, end vs after warm-up (%d frames): %+.2f %%   (bar: within"
                                    + " 5 %%)%n"
                                    + "RSS slope after warm-up: %+.2f MB per 10,000 frames%n"
                                    + "heap after GC drift: %+.2f %%%n",
                            r.warmUpFrames(),
                            r.rssDriftPercent(),
                            r.rssSlopeMbPer10kFrames(),
                            r.heapDriftPercent()));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "live NDArrays: %d before the first frame, %d after the last"
                                + " (drift %+d), at most %d in between%n",
                        r.samples().isEmpty() ? -1 : r.samples().get(0).ndArrays(),
                        r.end().sample().ndArrays(),
                        r.ndArrayDrift(),
                        r.ndArraysMax()));
        return sb.toString();
    }

    /**
     * The figures as pretty-printed JSON; unmeasured figures are null, the drifts and the warm-up
     * checkpoint too where the warm-up was not reached.
     */
    public static String json(Soak.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", r.throughput().frames());
        m.put("masks", r.throughput().masks());
        m.put("complete", r.throughput().complete());
        m.put("cameras", r.setup().cameras());
        m.put("streamThreads", r.setup().streamThreads());
        m.put("broker", r.setup().broker());
        m.put("model", r.setup().model());
        m.put("seconds", r.throughput().seconds());
        m.put("fps", Stats.finite(r.throughput().fps()));
        m.put("warmUpFrames", r.warmUpFrames());
        m.put("rssDriftPercent", Stats.finite(r.rssDriftPercent()));
        m.put("rssSlopeMbPer10kFrames", Stats.finite(r.rssSlopeMbPer10kFrames()));
        m.put("heapAfterGcDriftPercent", Stats.finite(r.heapDriftPercent()));
        m.put("ndArrayDrift", r.ndArrayDrift());
        m.put("ndArraysMax", r.ndArraysMax());
        m.put("warmUp", r.warm() == null ? null : sample(r.warm().sample()));
        m.put("end", sample(r.end().sample()));
        List<Map<String, Object>> samples = new ArrayList<>();
        r.samples().forEach(x -> samples.add(sample(x)));
        m.put("samples", samples);
        return Json.pretty(m);
    }

    private static Map<String, Object> sample(Soak.Sample x) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("seconds", x.seconds());
        o.put("frames", x.frames());
        o.put("heapUsedBytes", x.heapUsedBytes());
        o.put("heapCommittedBytes", x.heapCommittedBytes());
        o.put("rssBytes", x.rssBytes() < 0 ? null : x.rssBytes());
        o.put("ndArrays", x.ndArrays() < 0 ? null : x.ndArrays());
        o.put("loadAverage", Stats.finite(x.loadAverage()));
        return o;
    }

    private static String row(String name, Soak.Sample x) {
        return String.format(Locale.ROOT, "%-10s ", name)
                + String.format(Locale.ROOT, "%9.1f %9d %12.1f %10.1f %9d %6.1f%n", x.columns());
    }

    private static List<Soak.Sample> evenly(List<Soak.Sample> all, int count) {
        if (all.size() <= count) {
            return all;
        }
        List<Soak.Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (count - 1))));
        }
        return out;
    }
}
