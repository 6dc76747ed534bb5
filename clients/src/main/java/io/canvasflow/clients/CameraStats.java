package io.canvasflow.clients;

import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Running statistics of one camera's mask events: counts over the whole run, the rate over a recent
 * window and latency percentiles over the most recent events. Thread-safe: the follower records, a
 * display thread may read.
 */
final class CameraStats {

    /** How many recent latencies the percentiles are computed over. */
    static final int LATENCY_SAMPLES = 1024;

    private final String cameraId;
    private final long windowNanos;
    private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
    private final long[] latencies = new long[LATENCY_SAMPLES];
    private final Map<ResetReason, Long> resets = new EnumMap<>(ResetReason.class);
    private int latencyCount;
    private int latencyNext;
    private long firstArrival = -1;
    private long frames;
    private long skipped;
    private long segmented;
    private long iterations;
    private double modelMillis;
    private long seeded;
    private long lastSequence = -1;
    private ResetReason lastReset;
    private final Set<String> models = new LinkedHashSet<>();

    CameraStats(String cameraId, Duration window) {
        this.cameraId = cameraId;
        this.windowNanos = window.toNanos();
    }

    synchronized void record(MaskEvent event, long nowNanos) {
        frames++;
        lastSequence = event.getSequence();
        if (firstArrival < 0) {
            firstArrival = nowNanos;
        }
        arrivals.addLast(nowNanos);
        prune(nowNanos);
        if (event.getSkipped()) {
            skipped++;
            return;
        }
        segmented++;
        models.add(event.getModelVersion());
        iterations += event.getIterations();
        modelMillis += event.getModelMillis();
        if (event.getSeeded()) {
            seeded++;
        } else if (event.getResetReason() != null) {
            resets.merge(event.getResetReason(), 1L, Long::sum);
            lastReset = event.getResetReason();
        }
        latencies[latencyNext] = event.getEndToEndLatencyMillis();
        latencyNext = (latencyNext + 1) % LATENCY_SAMPLES;
        latencyCount = Math.min(latencyCount + 1, LATENCY_SAMPLES);
    }

    synchronized CameraSummary summary(long nowNanos) {
        prune(nowNanos);
        long[] recent = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(recent);
        return new CameraSummary(
                cameraId,
                frames,
                skipped,
                fps(nowNanos),
                percentile(recent, 50),
                percentile(recent, 99),
                new CameraSummary.Segmentation(
                        segmented == 0 ? 0 : (double) iterations / segmented,
                        seeded,
                        resets,
                        segmented == 0 ? 0 : modelMillis / segmented,
                        List.copyOf(models),
                        lastReset),
                lastSequence);
    }

    /** Events in the window over the window's length, or over the time since the first event. */
    private double fps(long nowNanos) {
        if (arrivals.isEmpty()) {
            return 0;
        }
        // A floor of half a second keeps the first event from reading as thousands per second.
        long span = Math.max(Math.min(windowNanos, nowNanos - firstArrival), 500_000_000L);
        return arrivals.size() / (span / 1e9);
    }

    private void prune(long nowNanos) {
        while (!arrivals.isEmpty() && nowNanos - arrivals.peekFirst() > windowNanos) {
            arrivals.removeFirst();
        }
    }

    /**
     * Nearest-rank percentile of sorted values, {@code p} from 0 to 100 as in the benchmarks'
     * {@code Stats.percentile}; -1 when there are none.
     */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
