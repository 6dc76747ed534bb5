package io.canvasflow.clients;

import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Running statistics of one camera's mask events: counts over the whole run, the camera's frame
 * rate over a recent window of capture times and latency percentiles over the most recent events.
 * Thread-safe: the follower records, a display thread may read.
 *
 * <p>The rate is taken from the frames' capture times, not from when their masks were read: a
 * backlog read in a moment (from the beginning, or after an outage) is still the rate the camera
 * delivered.
 */
final class CameraStats {

    /** How many recent latencies the percentiles are computed over. */
    static final int LATENCY_SAMPLES = 1024;

    private final String cameraId;
    private final long windowMillis;

    /** How many masks were captured at each millisecond of the window, the newest last. */
    private final TreeMap<Long, Integer> captures = new TreeMap<>();

    private int capturesInWindow;
    private final long[] latencies = new long[LATENCY_SAMPLES];
    private final Map<ResetReason, Long> resets = new EnumMap<>(ResetReason.class);
    private int latencyCount;
    private int latencyNext;
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
        this.windowMillis = window.toMillis();
    }

    synchronized void record(MaskEvent event) {
        frames++;
        lastSequence = event.getSequence();
        addCapture(event.getCaptureTimestamp().toEpochMilli());
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

    synchronized CameraSummary summary() {
        long[] recent = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(recent);
        return new CameraSummary(
                cameraId,
                frames,
                skipped,
                fps(),
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

    /**
     * Frames per second between the oldest and the newest capture in the window: n captures span n
     * - 1 frame intervals. 0 until two captures at different times are known.
     */
    private double fps() {
        if (captures.isEmpty()) {
            return 0;
        }
        long span = captures.lastKey() - captures.firstKey();
        return span <= 0 ? 0 : (capturesInWindow - 1) * 1000.0 / span;
    }

    private void addCapture(long captureMillis) {
        if (!captures.isEmpty() && captureMillis < captures.lastKey() - windowMillis) {
            // Far older than the newest: the camera's clock was set back (a frame that late
            // would not be in the window anyway), so the window starts again from it.
            captures.clear();
            capturesInWindow = 0;
        }
        captures.merge(captureMillis, 1, Integer::sum);
        capturesInWindow++;
        long oldest = captures.lastKey() - windowMillis;
        while (captures.firstKey() < oldest) {
            capturesInWindow -= captures.pollFirstEntry().getValue();
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
