package io.canvasflow.topology;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says how long restoring the state stores from their changelogs took: an INFO line each time the
 * restores under way have all ended ("restored 10000 changelog records of 12 partition(s) in 6.4
 * s", counted from the first restore of the episode: restores that start within 5 s of the last
 * one's end continue it), and the gauges {@code canvasflow_state_restore_seconds} and {@code
 * canvasflow_state_restore_records} for the latest episode. A restarted instance with a wiped state
 * directory is not ready until this has happened, so its length is part of a restart's cost. Each
 * start, batch and end is told to a watcher ({@link Health#onRestore}), which keeps the instance
 * alive through a long restore that makes progress.
 */
final class RestoreLog implements StateRestoreListener {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreLog.class);

    /**
     * Restores that start within this long of the last one's end belong to the same episode: Kafka
     * Streams' state updater restores the partitions of one assignment a few at a time.
     */
    private static final long EPISODE_GAP_MS = 5_000;

    private final LongSupplier clock;
    private final Consumer<Boolean> watcher;
    private final Set<TopicPartition> running = new HashSet<>();
    private long episodeStart = Long.MIN_VALUE;
    private long lastEnd = Long.MIN_VALUE;
    private long episodeRecords;
    private int episodePartitions;
    private volatile double lastSeconds = Double.NaN;
    private volatile double lastRecords = Double.NaN;

    RestoreLog(MeterRegistry registry, LongSupplier clock) {
        this(registry, clock, restoring -> {});
    }

    /**
     * A restore log that also tells each restore's progress to a watcher.
     *
     * @param registry where the gauges go
     * @param clock the time in ms
     * @param watcher told at each start, batch and end whether a restore is still under way
     */
    RestoreLog(MeterRegistry registry, LongSupplier clock, Consumer<Boolean> watcher) {
        this.clock = clock;
        this.watcher = watcher;
        Gauge.builder("canvasflow.state.restore.seconds", this, r -> r.lastSeconds)
                .description(
                        "How long the latest restore episode took so far: from its first"
                                + " partition's start to its latest partition's end")
                .register(registry);
        Gauge.builder("canvasflow.state.restore.records", this, r -> r.lastRecords)
                .description("Changelog records the latest restore episode has read")
                .register(registry);
    }

    @Override
    public synchronized void onRestoreStart(
            TopicPartition partition, String store, long startingOffset, long endingOffset) {
        long now = clock.getAsLong();
        if (running.isEmpty() && (lastEnd == Long.MIN_VALUE || now - lastEnd > EPISODE_GAP_MS)) {
            episodeStart = now;
            episodeRecords = 0;
            episodePartitions = 0;
        }
        running.add(partition);
        watcher.accept(true);
        LOG.debug(
                "restoring {} of {} from offset {} to {}",
                partition,
                store,
                startingOffset,
                endingOffset);
    }

    @Override
    public synchronized void onBatchRestored(
            TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        episodeRecords += numRestored;
        watcher.accept(!running.isEmpty());
    }

    @Override
    public synchronized void onRestoreEnd(
            TopicPartition partition, String store, long totalRestored) {
        finish(partition);
    }

    @Override
    public synchronized void onRestoreSuspended(
            TopicPartition partition, String store, long totalRestored) {
        finish(partition);
    }

    private void finish(TopicPartition partition) {
        if (!running.remove(partition)) {
            return;
        }
        watcher.accept(!running.isEmpty());
        episodePartitions++;
        lastEnd = clock.getAsLong();
        if (running.isEmpty()) {
            double seconds = (lastEnd - episodeStart) / 1000.0;
            lastSeconds = seconds;
            lastRecords = episodeRecords;
            LOG.info(
                    "restored {} changelog records of {} partition(s) in {} s",
                    episodeRecords,
                    episodePartitions,
                    String.format(java.util.Locale.ROOT, "%.1f", seconds));
        }
    }
}
