package io.canvasflow.topology;

import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import java.awt.image.BufferedImage;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Segments every frame: decode and validate it, read the camera's canvas from {@link
 * Stores#CANVAS_STORE}, segment (seeded or from zero, see {@link CanvasPolicy}), store the new
 * canvas and forward a MaskEvent to the masks sink. A bad frame goes to the dead-letter sink.
 */
final class SegmentProcessor extends ContextualProcessor<String, Frame, String, SpecificRecord> {

    private final FrameDecoder decoder;
    private final CanvasSegmenter segmenter;
    private final DeadLetterSink deadLetters;
    private final CanvasFlowMetrics metrics;
    private KeyValueStore<String, CanvasState> canvases;

    SegmentProcessor(
            CanvasFlowConfig config,
            ModelSource model,
            CanvasFlowMetrics metrics,
            LongSupplier clock) {
        this.decoder = FrameDecoder.of(config);
        this.segmenter = new CanvasSegmenter(CanvasPolicy.of(config), model, clock);
        this.deadLetters = new DeadLetterSink(config, metrics);
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        canvases = context.getStateStore(StoreNames.CANVAS_STORE);
    }

    @Override
    public void process(Record<String, Frame> record) {
        Frame frame = record.value();
        if (frame == null) {
            deadLetters.send(
                    context(), record, DeadLetterReason.NOT_A_FRAME, "the record has no value");
            return;
        }
        CanvasSegmenter.Outcome outcome;
        try {
            BufferedImage image = decoder.decode(record.key(), frame);
            boolean readable = true;
            CanvasState stored = null;
            try {
                stored = canvases.get(frame.getCameraId());
            } catch (SerializationException e) {
                readable = false;
            }
            outcome = segmenter.segment(frame, image, stored, readable);
        } catch (InvalidFrameException e) {
            deadLetters.send(context(), record, e.reason(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            if (e instanceof KafkaException) {
                throw e;
            }
            deadLetters.send(context(), record, DeadLetterReason.PROCESSING_ERROR, e.toString());
            return;
        }
        if (outcome.mask() == null) {
            metrics.duplicate();
            return;
        }
        if (outcome.newState() != null) {
            canvases.put(frame.getCameraId(), outcome.newState());
        }
        context().forward(record.withValue(outcome.mask()), CanvasFlowTopology.MASKS_SINK);
        metrics.mask(outcome.mask());
    }
}
