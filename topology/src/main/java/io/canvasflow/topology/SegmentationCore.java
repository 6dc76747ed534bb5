package io.canvasflow.topology;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The segmentation core both processors share: segments a due frame with the camera's canvas from
 * {@link StoreNames#CANVAS_STORE} through the Kafka-free {@link CanvasSegmenter}, stores the new
 * canvas and forwards the MaskEvent; a bad frame goes to the dead-letter sink instead. The canvas
 * of a camera that sends no more frames goes after a while ({@link IdleCanvases}).
 */
final class SegmentationCore {

    private final CanvasFlowConfig config;
    private final CanvasSegmenter segmenter;
    private final DeadLetterSink deadLetters;
    private final CanvasFlowMetrics metrics;
    private final LagWatch lag;
    private final int parkedMaxBytes;
    private final IdleCanvases idle;
    private KeyValueStore<String, CanvasState> canvases;

    SegmentationCore(
            CanvasFlowConfig config,
            ModelRouter models,
            CanvasFlowMetrics metrics,
            LongSupplier clock) {
        this.config = config;
        this.segmenter = new CanvasSegmenter(config, models, clock);
        this.deadLetters = new DeadLetterSink(config, metrics, clock);
        this.metrics = metrics;
        this.lag = new LagWatch(config);
        this.parkedMaxBytes = ParkedFrame.maxRecordBytes(config);
        this.idle = new IdleCanvases(config);
    }

    /**
     * Looks up the canvas store of the processor's task and schedules the forgetting of idle
     * cameras' canvases; call from the processor's init.
     *
     * @param context the processor's context
     * @param pending whether a camera has a frame accepted and not segmented yet: its canvas stays
     */
    void init(ProcessorContext<String, SpecificRecord> context, Predicate<String> pending) {
        canvases = context.getStateStore(StoreNames.CANVAS_STORE);
        idle.init(context, canvases, pending);
    }

    /** The per-camera canvas store, change-logged with {@link ChangelogSegments}' settings. */
    static StoreBuilder<KeyValueStore<String, CanvasState>> canvasStore(CanvasFlowConfig config) {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.CANVAS_STORE),
                        Topics.FRAMES.keySerde(),
                        AvroSerdes.canvasState())
                .withCachingEnabled()
                .withLoggingEnabled(ChangelogSegments.of(config));
    }

    /**
     * A processor supplier that declares its stores through {@code stores()}, so that the topology
     * connects them to the processor without naming them.
     *
     * @param cores makes each task's core (its own segmenter, dead-letter sink and lag watch)
     * @param processors makes one processor around a core
     * @param stores makes each store's builder
     */
    @SafeVarargs
    static ProcessorSupplier<String, Frame, String, SpecificRecord> supplier(
            Supplier<SegmentationCore> cores,
            Function<SegmentationCore, Processor<String, Frame, String, SpecificRecord>> processors,
            Supplier<StoreBuilder<?>>... stores) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Frame, String, SpecificRecord> get() {
                return processors.apply(cores.get());
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Arrays.stream(stores).map(Supplier::get).collect(Collectors.toSet());
            }
        };
    }

    /**
     * Emits the skipped event of the frame being processed, older than its camera's pending one
     * (latest-only mode), on the frame's record: its key, timestamp and headers.
     */
    void skip(ProcessorContext<String, SpecificRecord> context, Record<String, Frame> record) {
        skip(context, record, deadLetters.current(context));
    }

    /**
     * Emits the skipped event of a pending frame a newer one replaced (latest-only mode), on the
     * record it arrived in, as if it were being processed.
     *
     * @param context the processor's context
     * @param camera its camera, its record's key
     * @param parked the frame as {@link ParkedFrame#park} kept it
     */
    void skipParked(ProcessorContext<String, SpecificRecord> context, String camera, Frame parked) {
        ParkedFrame.Restored frame = ParkedFrame.restore(camera, parked);
        try {
            skip(context, frame.record(), deadLetters.of(frame));
        } catch (RuntimeException e) {
            failedParked(context, frame, e);
        }
    }

    /**
     * The frame of an accepted record as latest-only mode parks it, when it fits the pending-frames
     * changelog ({@link ParkedFrame#tooLarge}); else it is dead-lettered.
     *
     * @return the frame to park, or null when it was dead-lettered
     */
    Frame park(ProcessorContext<String, SpecificRecord> context, Record<String, Frame> record) {
        Frame parked = ParkedFrame.park(record, context.recordMetadata());
        String tooLarge = ParkedFrame.tooLarge(parked, parkedMaxBytes);
        if (tooLarge != null) {
            deadLetters.send(context, record, DeadLetterReason.PROCESSING_ERROR, tooLarge);
            return null;
        }
        return parked;
    }

    private void skip(
            ProcessorContext<String, SpecificRecord> context,
            Record<String, Frame> record,
            DeadLetterSink.Source source) {
        MaskEvent event = segmenter.skipped(record.value());
        Record<String, SpecificRecord> masked = record.withValue(event);
        String tooLarge = MaskRoom.tooLarge(event, masked.headers(), config);
        if (tooLarge != null) {
            // no class map, but a model's names and the headers can be long: its frame takes the
            // event's place
            deadLetters.send(context, record, source, DeadLetterReason.PROCESSING_ERROR, tooLarge);
            return;
        }
        // counted first: a failure in the counting then takes the frame's event, not a second one
        metrics.mask(event);
        context.forward(masked, CanvasFlowTopology.MASKS_SINK);
    }

    /** Counts a redelivered frame that is not segmented again. */
    void duplicate(String camera) {
        metrics.duplicate(camera);
    }

    /**
     * Validates an arriving frame from its fields and image header only.
     *
     * @return false when the frame was refused and dead-lettered
     */
    boolean accept(ProcessorContext<String, SpecificRecord> context, Record<String, Frame> record) {
        try {
            if (record.value() == null) {
                throw new InvalidFrameException(
                        DeadLetterReason.NOT_A_FRAME, "the record has no value");
            }
            segmenter.validate(record.key(), record.value());
            recordPartition(context, record.value().getCameraId());
            idle.seen(record.value().getCameraId(), context.currentSystemTimeMs());
            return true;
        } catch (InvalidFrameException e) {
            deadLetters.send(context, record, e.reason(), e.getMessage());
            return false;
        }
    }

    /**
     * Notes the frames partition a camera's record came from, for {@code /cameras}; a punctuation
     * (latest-only's drain) has no current record, and the arrival noted it.
     */
    private void recordPartition(ProcessorContext<String, SpecificRecord> context, String camera) {
        context.recordMetadata()
                .filter(m -> m.partition() >= 0)
                .ifPresent(m -> metrics.cameraPartition(camera, m.partition()));
    }

    /** Decodes and segments a frame, stores its canvas and forwards its mask to the masks sink. */
    void segment(ProcessorContext<String, SpecificRecord> context, Record<String, Frame> record) {
        Segmented segmented = prepare(context, record, deadLetters.current(context));
        if (segmented != null) {
            emit(context, segmented);
        }
    }

    /**
     * Segments a pending frame at latest-only's drain, on the record it arrived in. A punctuation
     * has no source record, so the backstop handler could not dead-letter the frame with its bytes
     * and position: any other failure dead-letters it here, with its own, so that a pending frame
     * always leaves the store. One that fails the stream thread propagates; the caller deletes the
     * pending frame only after this returns, so it stays pending for the thread that replaces this
     * one.
     *
     * @param context the processor's context
     * @param camera its camera, its record's key
     * @param parked the frame as {@link ParkedFrame#park} kept it
     */
    void segmentParked(
            ProcessorContext<String, SpecificRecord> context, String camera, Frame parked) {
        ParkedFrame.Restored frame = ParkedFrame.restore(camera, parked);
        try {
            Segmented segmented = prepare(context, frame.record(), deadLetters.of(frame));
            if (segmented != null) {
                emit(context, segmented);
            }
        } catch (RuntimeException e) {
            failedParked(context, frame, e);
        }
    }

    /**
     * Dead-letters a parked frame that failed where no check names a reason, with its bytes and
     * position; a failure that fails the stream thread propagates.
     */
    private void failedParked(
            ProcessorContext<String, SpecificRecord> context,
            ParkedFrame.Restored frame,
            RuntimeException e) {
        if (DeadLetterProcessingHandler.failsTheThread(e)) {
            throw e;
        }
        deadLetters.send(
                context,
                frame.record(),
                deadLetters.of(frame),
                DeadLetterReason.PROCESSING_ERROR,
                e.toString());
    }

    /**
     * A segmented frame's mask event on its frame's record, and the time its canvas-store read and
     * write took.
     */
    private record Segmented(Record<String, SpecificRecord> masked, long storeNanos) {}

    /**
     * Decodes and segments a frame, stores its canvas and counts its mask; a bad frame is
     * dead-lettered.
     *
     * @return its mask, to forward; null when the frame was dead-lettered or a duplicate
     */
    private Segmented prepare(
            ProcessorContext<String, SpecificRecord> context,
            Record<String, Frame> record,
            DeadLetterSink.Source source) {
        Frame frame = record.value();
        if (frame == null) {
            deadLetters.send(
                    context,
                    record,
                    source,
                    DeadLetterReason.NOT_A_FRAME,
                    "the record has no value");
            return null;
        }
        CanvasSegmenter.Outcome outcome;
        long decodeNanos;
        long storeNanos;
        try {
            long decodeStart = System.nanoTime();
            BufferedImage image = segmenter.decode(record.key(), frame);
            decodeNanos = System.nanoTime() - decodeStart;
            idle.seen(frame.getCameraId(), context.currentSystemTimeMs());
            boolean readable = true;
            CanvasState stored = null;
            long getStart = System.nanoTime();
            try {
                stored = canvases.get(frame.getCameraId());
            } catch (SerializationException e) {
                readable = false;
            }
            storeNanos = System.nanoTime() - getStart;
            outcome = segmenter.segment(frame, image, stored, readable);
        } catch (InvalidFrameException e) {
            deadLetters.send(context, record, source, e.reason(), e.getMessage());
            return null;
        } catch (RuntimeException e) {
            if (e instanceof KafkaException) {
                throw e;
            }
            deadLetters.send(
                    context, record, source, DeadLetterReason.PROCESSING_ERROR, e.toString());
            return null;
        }
        if (outcome.mask() == null) {
            duplicate(frame.getCameraId());
            return null;
        }
        long putStart = System.nanoTime();
        if (outcome.newState() != null) {
            canvases.put(frame.getCameraId(), outcome.newState());
        }
        storeNanos += System.nanoTime() - putStart;
        String tooLarge = MaskRoom.tooLarge(outcome.mask(), record.headers(), config);
        if (tooLarge != null) {
            // segmented, and its canvas kept; but the broker would refuse its mask, and fail
            // every stream thread that wrote it
            deadLetters.send(context, record, source, DeadLetterReason.PROCESSING_ERROR, tooLarge);
            return null;
        }
        // counted before it is forwarded: a failure in the counting then takes the frame's event
        // (a dead letter), where after it would add a second event to its mask
        metrics.mask(outcome.mask());
        metrics.stages(decodeNanos, outcome.stages());
        recordPartition(context, frame.getCameraId());
        lag.check(
                frame.getCameraId(),
                outcome.mask().getEndToEndLatencyMillis(),
                outcome.mask().getProcessedTimestamp().toEpochMilli());
        return new Segmented(record.withValue(outcome.mask()), storeNanos);
    }

    /** Forwards a segmented frame's mask to the masks sink, timing the hand-over. */
    private void emit(ProcessorContext<String, SpecificRecord> context, Segmented segmented) {
        long produceStart = System.nanoTime();
        context.forward(segmented.masked(), CanvasFlowTopology.MASKS_SINK);
        metrics.storedAndProduced(segmented.storeNanos(), System.nanoTime() - produceStart);
    }
}
