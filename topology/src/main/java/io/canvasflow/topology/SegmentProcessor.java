package io.canvasflow.topology;

import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.avro.Frame;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Segments every frame as it arrives, seeded from the camera's canvas in {@link
 * StoreNames#CANVAS_STORE} (see {@link SegmentationCore}).
 */
final class SegmentProcessor extends ContextualProcessor<String, Frame, String, SpecificRecord> {

    private final SegmentationCore core;

    SegmentProcessor(SegmentationCore core) {
        this.core = core;
    }

    /** A supplier of this processor that declares the canvas store. */
    static ProcessorSupplier<String, Frame, String, SpecificRecord> supplier(
            CanvasFlowConfig config, Supplier<SegmentationCore> cores) {
        return SegmentationCore.supplier(
                cores, SegmentProcessor::new, () -> SegmentationCore.canvasStore(config));
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        core.init(context, camera -> false); // nothing waits: every frame is segmented at once
    }

    @Override
    public void process(Record<String, Frame> record) {
        core.segment(context(), record);
    }
}
