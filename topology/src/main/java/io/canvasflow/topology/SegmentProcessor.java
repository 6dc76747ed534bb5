package io.canvasflow.topology;

import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.Frame;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Segments every frame as it arrives, seeded from the camera's canvas in {@link
 * StoreNames#CANVAS_STORE} (see {@link SegmentationCore}).
 */
final class SegmentProcessor extends ContextualProcessor<String, Frame, String, SpecificRecord> {

    private final SegmentationCore core;
    private KeyValueStore<String, CanvasState> canvases;

    SegmentProcessor(
            CanvasFlowConfig config,
            ModelRouter models,
            CanvasFlowMetrics metrics,
            LongSupplier clock) {
        this.core = new SegmentationCore(config, models, metrics, clock);
    }

    /** A supplier of this processor that declares the canvas store. */
    static ProcessorSupplier<String, Frame, String, SpecificRecord> supplier(
            CanvasFlowConfig config,
            ModelRouter models,
            CanvasFlowMetrics metrics,
            LongSupplier clock) {
        return SegmentationCore.supplier(
                () -> new SegmentProcessor(config, models, metrics, clock),
                SegmentationCore::canvasStore);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        canvases = context.getStateStore(StoreNames.CANVAS_STORE);
    }

    @Override
    public void process(Record<String, Frame> record) {
        core.segment(context(), canvases, record);
    }
}
