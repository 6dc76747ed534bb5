package io.canvasflow.schemas;

import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ModelError;
import io.canvasflow.schemas.avro.ModelPart;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/** The topics CanvasFlow reads and writes. Topic names are spelled here and nowhere else. */
public final class Topics {

    /** Camera frames, keyed by camera id. */
    public static final Topic<String, Frame> FRAMES =
            new Topic<>("frames", Serdes.String(), AvroSerdes.frame());

    /** Segmentation results, one per processed (or skipped) frame, keyed by camera id. */
    public static final Topic<String, MaskEvent> MASKS =
            new Topic<>("masks", Serdes.String(), AvroSerdes.maskEvent());

    /** Frames that could not be processed, with the reason, keyed by camera id when known. */
    public static final Topic<String, DeadLetter> FRAMES_DLQ =
            new Topic<>("frames-dlq", Serdes.String(), AvroSerdes.deadLetter());

    /**
     * Frames with labels a teacher or a person gave them ({@code groundTruth} set, the classes in
     * {@link LabelMetadata#CLASSES}), keyed by camera id: training and evaluation data.
     */
    public static final Topic<String, Frame> FRAMES_LABELLED =
            new Topic<>("frames-labelled", Serdes.String(), AvroSerdes.frame());

    /**
     * Published model versions, compacted: per version a manifest (key {@code VERSION/manifest})
     * and its parameter file in chunks (keys {@code VERSION/chunk-NNNNN}), one transaction each.
     */
    public static final Topic<String, ModelPart> MODELS =
            new Topic<>("models", Serdes.String(), AvroSerdes.modelPart());

    /**
     * Which model serves which cameras, compacted: keys {@code camera:ID}, {@code pattern:REGEX},
     * {@code default}.
     */
    public static final Topic<String, ModelAssignment> MODEL_ASSIGNMENTS =
            new Topic<>("model-assignments", Serdes.String(), AvroSerdes.modelAssignment());

    /** Model versions a serve instance refused, and why, keyed by version. */
    public static final Topic<String, ModelError> MODEL_ERRORS =
            new Topic<>("model-errors", Serdes.String(), AvroSerdes.modelError());

    /** Every topic above, in pipeline order. */
    public static final List<Topic<String, ?>> ALL = List.of(FRAMES, MASKS, FRAMES_DLQ);

    private Topics() {}
}
