package io.canvasflow.topology;

import io.canvasflow.schemas.avro.CanvasState;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Forgets the canvas of a camera that this task has had no frame of for {@link #retentionMs}: a
 * wall-clock punctuation deletes its key from the canvas store, which writes a tombstone, so the
 * compacted changelog, every restore and every take-over lose it too. Without it the store kept a
 * canvas for every camera id ever seen, for ever, although one older than {@code canvas.max.gap.ms}
 * never seeds again. A camera that comes back starts from a zero canvas with reset reason
 * FIRST_FRAME (where a kept canvas would have given TIME_GAP: the same full iterations from zero).
 *
 * <p>Idleness is wall-clock time since the task last took up a frame of the camera, not capture
 * time: the store is sized by the cameras that send now, and replayed or late footage carries old
 * capture times that say nothing of whether the camera is still sending. The times live in memory,
 * per task; a camera in the store that this task has not seen (restored from the changelog, or kept
 * from before a restart) counts as seen when the task started, so one that never comes back goes
 * one retention (and at most one sweep) later.
 *
 * <p>Only the time the task could run counts: a sweep that comes more than one interval late (the
 * stream thread was stalled: a long pause of the process, a model load, a stop of the machine)
 * takes the delay out of every camera's idle time. Without that, the first sweep after a stall of
 * five minutes would forget the cameras whose frames wait in the backlog, and they would start
 * again from a zero canvas.
 */
final class IdleCanvases {

    /**
     * How often idle cameras are looked for; a camera goes within this much after its retention.
     */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final long retentionMs;

    /** When the task last took up a frame of each camera, in running time (stalls left out). */
    private final Map<String, Long> seenMillis = new HashMap<>();

    private KeyValueStore<String, CanvasState> canvases;
    private Predicate<String> pending;
    private boolean storeWalked;
    private long startMillis;
    private long lastSweepMillis;

    /** Wall-clock time the task was stalled since it started; idle times leave it out. */
    private long stalledMillis;

    /**
     * @param config the settings: {@code canvas.max.gap.ms}
     */
    IdleCanvases(CanvasFlowConfig config) {
        this.retentionMs = retentionMs(config);
    }

    /**
     * How long a camera's canvas is kept without a frame: as long as its {@link CameraMeters}
     * series ({@link CameraMeters#IDLE_MS}, five minutes), or {@code canvas.max.gap.ms} when that
     * is longer, so that a canvas goes only once no frame could be seeded from it (for a live
     * camera, whose capture times follow the wall clock). A constant, not a setting: nothing
     * outside serve depends on it.
     */
    static long retentionMs(CanvasFlowConfig config) {
        return Math.max(CameraMeters.IDLE_MS, config.maxGapMs());
    }

    /**
     * Starts the sweeps of a processor's task; call from its init. The task's cameras are learnt
     * anew: a processor is initialized again after its task is revived.
     *
     * @param context the processor's context
     * @param canvases the task's canvas store
     * @param pending whether a camera has a frame accepted and not yet segmented: such a camera is
     *     never idle
     */
    void init(
            ProcessorContext<?, ?> context,
            KeyValueStore<String, CanvasState> canvases,
            Predicate<String> pending) {
        this.canvases = canvases;
        this.pending = pending;
        seenMillis.clear();
        storeWalked = false;
        startMillis = context.currentSystemTimeMs();
        lastSweepMillis = startMillis;
        stalledMillis = 0;
        context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    /** Notes a frame of a camera taken up at a wall-clock time. */
    void seen(String camera, long nowMillis) {
        seenMillis.put(camera, nowMillis - stalledMillis);
    }

    /** Deletes the canvases of the cameras idle for longer than the retention. */
    void sweep(long nowMillis) {
        if (!storeWalked) {
            // the cameras restored from the changelog, or kept in the state folder, that no frame
            // has named yet: seen when the task started. Walked here, not in init, so that a task
            // takes up its frames without reading every canvas first
            learnStoredCameras();
            storeWalked = true;
        }
        long sinceLastSweep = nowMillis - lastSweepMillis;
        if (sinceLastSweep > 2 * SWEEP_INTERVAL.toMillis()) {
            stalledMillis += sinceLastSweep - SWEEP_INTERVAL.toMillis();
        }
        lastSweepMillis = nowMillis;
        long runningMillis = nowMillis - stalledMillis;
        Iterator<Map.Entry<String, Long>> cameras = seenMillis.entrySet().iterator();
        while (cameras.hasNext()) {
            Map.Entry<String, Long> camera = cameras.next();
            if (runningMillis - camera.getValue() <= retentionMs || pending.test(camera.getKey())) {
                continue;
            }
            // put of null, not delete: delete would read, and deserialize, the value it removes.
            // It writes a tombstone, which compacts the camera out of the changelog.
            canvases.put(camera.getKey(), null);
            cameras.remove();
        }
    }

    private void learnStoredCameras() {
        try (KeyValueIterator<String, CanvasState> all = canvases.all()) {
            while (all.hasNext()) {
                seenMillis.putIfAbsent(all.peekNextKey(), startMillis);
                try {
                    all.next();
                } catch (SerializationException e) {
                    // an unreadable canvas (its frame resets with STATE_UNREADABLE): its key was
                    // read before its value, and it goes like any other
                }
            }
        }
    }
}
