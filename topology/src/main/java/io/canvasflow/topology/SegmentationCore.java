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
 * canvas and forwards the MaskEvent; a bad frame goes to the dead-letter sink instead.
 */
final class SegmentationCore {

    private final CanvasFlowConfig config;
    private final CanvasSegmenter segmenter;
    private final DeadLetterSink deadLetters;
    private final CanvasFlowMetrics metrics;
    private final LagWatch lag;
    private KeyValueStore<String, CanvasState> canvases;

    SegmentationCore(
            CanvasFlowConfig config,
            ModelRouter models,
            CanvasFlowMetrics metrics,
            LongSupplier clock) {
        this.config = config;
        this.segmenter = new CanvasSegmenter(config, models, clock);
        this.deadLetters = new DeadLetterSink(config, metrics);
        this.metrics = metrics;
        this.lag = new LagWatch(config);
    }

    /** Looks up the canvas store of the processor's task; call from the processor's init. */
    void init(ProcessorContext<String, SpecificRecord> context) {
        canvases = context.getStateStore(StoreNames.CANVAS_STORE);
    }

    /** The per-camera canvas store, change-logged. */
    static StoreBuilder<KeyValueStore<String, CanvasState>> canvasStore() {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.CANVAS_STORE),
                        Topics.FRAMES.keySerde(),
                        AvroSerdes.canvasState())
                .withCachingEnabled();
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
     * Emits the event of a frame a newer one superseded (latest-only mode), dated at its capture.
     */
    void skip(ProcessorContext<String, SpecificRecord> context, String camera, Frame frame) {
        MaskEvent event = segmenter.skipped(frame);
        long timestamp = frame.getCaptureTimestamp().toEpochMilli();
        Record<String, SpecificRecord> masked = new Record<>(camera, event, timestamp);
        String tooLarge = MaskRoom.tooLarge(event, masked.headers(), config);
        if (tooLarge != null) {
            // no class map, but a model's names can be long: its frame takes the event's place
            deadLetters.send(
                    context,
                    new Record<>(camera, frame, timestamp),
                    DeadLetterReason.PROCESSING_ERROR,
                    tooLarge);
            return;
        }
        context.forward(masked, CanvasFlowTopology.MASKS_SINK);
        metrics.mask(event);
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
        Frame frame = record.value();
        if (frame == null) {
            deadLetters.send(
                    context, record, DeadLetterReason.NOT_A_FRAME, "the record has no value");
            return;
        }
        CanvasSegmenter.Outcome outcome;
        long decodeNanos;
        long storeNanos;
        try {
            long decodeStart = System.nanoTime();
            BufferedImage image = segmenter.decode(record.key(), frame);
            decodeNanos = System.nanoTime() - decodeStart;
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
            deadLetters.send(context, record, e.reason(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            if (e instanceof KafkaException) {
                throw e;
            }
            deadLetters.send(context, record, DeadLetterReason.PROCESSING_ERROR, e.toString());
            return;
        }
        if (outcome.mask() == null) {
            duplicate(frame.getCameraId());
            return;
        }
        long putStart = System.nanoTime();
        if (outcome.newState() != null) {
            canvases.put(frame.getCameraId(), outcome.newState());
        }
        String tooLarge = MaskRoom.tooLarge(outcome.mask(), record.headers(), config);
        if (tooLarge != null) {
            // segmented, and its canvas kept; but the broker would refuse its mask, and fail
            // every stream thread that wrote it
            deadLetters.send(context, record, DeadLetterReason.PROCESSING_ERROR, tooLarge);
            return;
        }
        long produceStart = System.nanoTime();
        context.forward(record.withValue(outcome.mask()), CanvasFlowTopology.MASKS_SINK);
        long produceNanos = System.nanoTime() - produceStart;
        metrics.mask(outcome.mask());
        metrics.stages(decodeNanos, outcome.stages());
        metrics.storedAndProduced(storeNanos + produceStart - putStart, produceNanos);
        recordPartition(context, frame.getCameraId());
        lag.check(
                frame.getCameraId(),
                outcome.mask().getEndToEndLatencyMillis(),
                outcome.mask().getProcessedTimestamp().toEpochMilli());
    }
}
