package io.canvasflow.topology;

import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Latest-only mode: a frame is validated on arrival and parked as its camera's pending frame in
 * {@link StoreNames#PENDING_FRAMES_STORE}; a newer frame of the same camera replaces it, and the
 * replaced one is emitted at once as a MaskEvent with {@code skipped=true}. A wall-clock
 * punctuation segments the pending frames with the {@link SegmentationCore} every-frame mode uses.
 * Arrival checks read the frame's fields and image header only; a frame's pixels are decoded once,
 * when it is segmented.
 *
 * <p>A processor sees one record at a time and cannot look ahead, so "superseded" has to mean "a
 * newer frame arrived before this one was segmented". Between punctuations the stream thread
 * consumes a whole poll's worth of records, so under a backlog every camera's older frames are
 * skipped and only its newest is segmented; without a backlog every frame is segmented, one
 * punctuation late. The pending store is logged and cached like the canvas store: a frame still
 * pending at a commit is in the changelog, so it survives a crash or rebalance and still gets
 * exactly one MaskEvent, while one parked and segmented between two commits never reaches the
 * changelog (its put and delete meet in the cache, which writes one tombstone of its camera at the
 * commit). With {@code statestore.cache.max.bytes=0} Kafka Streams builds every store without its
 * cache, and each parked frame is logged in full again. A pending frame is stored with the rest of
 * its record in its metadata ({@link ParkedFrame}): its mask event, or its skipped event, carries
 * the record's timestamp and headers as in every-frame mode, and a frame whose pixels turn out not
 * to decode at the drain is dead-lettered with the position it was read from.
 *
 * <p>A drain is bounded: the thread's tasks share about a second a round ({@link DrainScheduler}),
 * so that a thread with more cameras than time still commits well within its transaction timeout;
 * what is left stays pending, to be replaced by a newer frame or segmented at a later drain. A
 * frame numbered lower than its pending one but captured later is a new run of the camera (its
 * publisher restarted), and replaces it, as the canvas policy would judge it.
 */
final class LatestOnlyProcessor extends ContextualProcessor<String, Frame, String, SpecificRecord> {

    /** How often pending frames are segmented. */
    static final Duration DRAIN_INTERVAL = Duration.ofMillis(20);

    private final SegmentationCore core;
    private KeyValueStore<String, Frame> pending;
    private DrainScheduler.Slot slot;
    private String lastServed;

    LatestOnlyProcessor(SegmentationCore core) {
        this.core = core;
    }

    /** A supplier of this processor that declares the canvas and pending-frames stores. */
    static ProcessorSupplier<String, Frame, String, SpecificRecord> supplier(
            CanvasFlowConfig config, Supplier<SegmentationCore> cores) {
        return SegmentationCore.supplier(
                cores,
                LatestOnlyProcessor::new,
                () -> SegmentationCore.canvasStore(config),
                () ->
                        Stores.keyValueStoreBuilder(
                                        Stores.persistentKeyValueStore(
                                                StoreNames.PENDING_FRAMES_STORE),
                                        Topics.FRAMES.keySerde(),
                                        Topics.FRAMES.valueSerde())
                                // Nearly every frame is drained within 20 ms of its put: the
                                // cache keeps the put and its delete from the changelog, and a
                                // frame still pending at the commit is flushed and logged then.
                                .withCachingEnabled()
                                .withLoggingEnabled(ChangelogSegments.of(config)));
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        pending = context.getStateStore(StoreNames.PENDING_FRAMES_STORE);
        // a pending frame is seeded from its camera's canvas: the canvas stays until it is drained
        core.init(context, camera -> pending.get(camera) != null);
        slot = DrainScheduler.forThisThread().join();
        context.schedule(DRAIN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> drain());
    }

    @Override
    public void process(Record<String, Frame> record) {
        if (!core.accept(context(), record)) {
            return;
        }
        Frame frame = record.value();
        Frame waiting = pending.get(frame.getCameraId());
        // a higher number, or a new run of the camera (its publisher restarted at 0), which the
        // canvas policy then segments from a zero canvas
        boolean newer =
                waiting == null
                        || FrameOrder.follows(
                                frame.getSequence(),
                                frame.getCaptureTimestamp().toEpochMilli(),
                                waiting.getSequence(),
                                waiting.getCaptureTimestamp().toEpochMilli());
        if (!newer && waiting.getSequence() == frame.getSequence()) {
            core.duplicate(frame.getCameraId());
        } else if (!newer) {
            core.skip(context(), record);
        } else {
            // Kept with the rest of its record: its mask event carries the record's timestamp and
            // headers, and its dead letter the position it was read from. One too large to keep
            // is dead-lettered, and the frame it would replace stays pending.
            Frame parked = core.park(context(), record);
            if (parked == null) {
                return;
            }
            if (waiting != null) {
                core.skipParked(context(), record.key(), waiting);
            }
            pending.put(frame.getCameraId(), parked);
            slot.waiting(true);
        }
    }

    /**
     * Segments the pending frames while the thread's round has time ({@link DrainScheduler}),
     * starting after the camera served last, so that cameras take turns when time is short. Only
     * the frames it serves are read: a drain costs what it segments, not the number of cameras.
     */
    private void drain() {
        slot.begin();
        while (slot.mayServe()) {
            KeyValue<String, Frame> entry = nextAfter(lastServed);
            if (entry == null) {
                slot.waiting(false);
                return;
            }
            long start = slot.now();
            core.segmentParked(context(), entry.key, entry.value);
            // deleted once it has its event, a mask or a dead letter: a failure that fails the
            // stream thread first leaves it pending for the thread that replaces this one
            pending.delete(entry.key);
            slot.served(start);
            lastServed = entry.key;
        }
        // the round has no time left: the frames stay as they are, not read for nothing
        try (KeyValueIterator<String, Frame> all = pending.all()) {
            slot.waiting(all.hasNext());
        }
    }

    /**
     * The pending frame of the first camera after {@code camera} in the store's order, or of the
     * first camera when none comes after it (or {@code camera} is null); null when none is pending.
     * The camera itself is passed over: its frame has left the store unless a newer one came.
     */
    private KeyValue<String, Frame> nextAfter(String camera) {
        if (camera != null) {
            try (KeyValueIterator<String, Frame> after = pending.range(camera, null)) {
                if (after.hasNext() && after.peekNextKey().equals(camera)) {
                    after.next();
                }
                if (after.hasNext()) {
                    return after.next();
                }
            }
        }
        try (KeyValueIterator<String, Frame> all = pending.all()) {
            return all.hasNext() ? all.next() : null;
        }
    }

    @Override
    public void close() {
        if (slot != null) {
            slot.leave();
        }
    }
}
