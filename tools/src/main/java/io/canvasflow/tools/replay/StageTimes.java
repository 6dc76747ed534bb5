package io.canvasflow.tools.replay;

import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowMetrics;
import io.micrometer.core.instrument.Timer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Where a running topology's stream threads spent their time, as running totals in nanoseconds: the
 * frame stages of {@code canvasflow_frame_stage_seconds}, and from Kafka's own metrics the time the
 * threads were blocked on Kafka ({@code blocked-time-ns-total}: polls and commits) and, of that,
 * the exactly-once commit ({@code flush}, {@code txn-begin}, {@code txn-send-offsets}, {@code
 * txn-commit} of the threads' producers). Two snapshots taken around a run give its per-frame
 * breakdown.
 *
 * @param nanos running totals by name
 */
public record StageTimes(Map<String, Double> nanos) {

    /** The breakdown's rows after the stages: Kafka's waits and what is left. */
    public static final String COMMIT_WAIT = "commit wait";

    /**
     * The part of {@link #COMMIT_WAIT} spent in the producer's flush: the transaction's records
     * still being sent and acknowledged. A sub-row: the rows add up without it.
     */
    public static final String COMMIT_FLUSH = "commit flush";

    /** Blocked on Kafka outside the commit: polls, mostly. */
    public static final String POLL_WAIT = "poll wait";

    /** The stream threads' time not in any stage or wait. */
    public static final String OTHER = "other";

    /** Not a stage: the stream threads' commits per frame ({@code commit-total}). */
    public static final String COMMITS = "commits";

    private static final String BLOCKED = "blocked";

    /** Frames segmented: the count of a stage every segmented frame passes once. */
    private static final String FRAMES = "frames";

    private static final String COUNTED_STAGE = "encode";

    private static final String FLUSH_METRIC = "flush-time-ns-total";

    private static final Set<String> COMMIT_METRICS =
            Set.of(
                    FLUSH_METRIC,
                    "txn-begin-time-ns-total",
                    "txn-send-offsets-time-ns-total",
                    "txn-commit-time-ns-total");

    /** Copies the totals. */
    public StageTimes {
        nanos = Collections.unmodifiableMap(new LinkedHashMap<>(nanos));
    }

    /**
     * The totals now.
     *
     * @param app a running topology
     * @return its totals
     */
    public static StageTimes take(CanvasFlowApp app) {
        Map<String, Double> totals = new LinkedHashMap<>();
        for (String stage : CanvasFlowMetrics.STAGES) {
            Timer timer =
                    app.metrics()
                            .registry()
                            .find("canvasflow.frame.stage")
                            .tag("stage", stage)
                            .timer();
            totals.put(stage, timer == null ? 0.0 : timer.totalTime(TimeUnit.NANOSECONDS));
            if (stage.equals(COUNTED_STAGE)) {
                totals.put(FRAMES, timer == null ? 0.0 : (double) timer.count());
            }
        }
        double blocked = 0;
        double commit = 0;
        double flush = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : app.streams().metrics().entrySet()) {
            String name = e.getKey().name();
            if (name.equals("blocked-time-ns-total")) {
                blocked += value(e.getValue());
            } else if (COMMIT_METRICS.contains(name)
                    && e.getKey().group().equals("producer-metrics")) {
                commit += value(e.getValue());
                if (name.equals(FLUSH_METRIC)) {
                    flush += value(e.getValue());
                }
            }
        }
        totals.put(BLOCKED, blocked);
        totals.put(COMMIT_WAIT, commit);
        totals.put(COMMIT_FLUSH, flush);
        totals.put(COMMITS, app.commitTotal());
        return new StageTimes(totals);
    }

    private static double value(Metric metric) {
        return metric.metricValue() instanceof Number n ? n.doubleValue() : 0;
    }

    /**
     * What was spent between an earlier snapshot and this one, per frame segmented in between.
     *
     * @param earlier the snapshot at the start
     * @param threadMsPerFrame the stream threads' wall time per frame (threads x 1000 / frames/s):
     *     what the rows add up to
     * @return milliseconds per frame: each stage, commit wait (and its flush), poll wait and the
     *     rest; empty when no frame was segmented in between. Under {@link #COMMITS}, not a time:
     *     the commits per frame.
     */
    public Map<String, Double> perFrameMs(StageTimes earlier, double threadMsPerFrame) {
        double frames = delta(earlier, FRAMES);
        Map<String, Double> ms = new LinkedHashMap<>();
        if (!(frames > 0)) {
            return ms;
        }
        double accounted = 0;
        for (String stage : CanvasFlowMetrics.STAGES) {
            double v = delta(earlier, stage) / 1e6 / frames;
            ms.put(stage, v);
            accounted += v;
        }
        double commit = delta(earlier, COMMIT_WAIT) / 1e6 / frames;
        double poll = Math.max(0, delta(earlier, BLOCKED) / 1e6 / frames - commit);
        ms.put(COMMIT_WAIT, commit);
        ms.put(COMMIT_FLUSH, delta(earlier, COMMIT_FLUSH) / 1e6 / frames);
        ms.put(POLL_WAIT, poll);
        ms.put(OTHER, threadMsPerFrame - accounted - commit - poll);
        ms.put(COMMITS, delta(earlier, COMMITS) / frames);
        return ms;
    }

    private double delta(StageTimes earlier, String name) {
        return nanos.getOrDefault(name, 0.0) - earlier.nanos.getOrDefault(name, 0.0);
    }
}
