package io.canvasflow.schemas;

import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ModelError;
import io.canvasflow.schemas.avro.ModelPart;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.avro.Schema;

/** One shared, thread-safe serde per CanvasFlow record type. */
public final class AvroSerdes {

    private static final AvroSerde<Frame> FRAME =
            new AvroSerde<>(
                    Frame.class, Frame.getClassSchema(), Frame.getEncoder(), Frame.getDecoder());
    private static final AvroSerde<MaskEvent> MASK_EVENT =
            new AvroSerde<>(
                    MaskEvent.class,
                    MaskEvent.getClassSchema(),
                    MaskEvent.getEncoder(),
                    MaskEvent.getDecoder(),
                    List.of(history("MaskEvent-1.avsc")));
    private static final AvroSerde<CanvasState> CANVAS_STATE =
            new AvroSerde<>(
                    CanvasState.class,
                    CanvasState.getClassSchema(),
                    CanvasState.getEncoder(),
                    CanvasState.getDecoder());
    private static final AvroSerde<DeadLetter> DEAD_LETTER =
            new AvroSerde<>(
                    DeadLetter.class,
                    DeadLetter.getClassSchema(),
                    DeadLetter.getEncoder(),
                    DeadLetter.getDecoder());

    private static final AvroSerde<ModelPart> MODEL_PART =
            new AvroSerde<>(
                    ModelPart.class,
                    ModelPart.getClassSchema(),
                    ModelPart.getEncoder(),
                    ModelPart.getDecoder());
    private static final AvroSerde<ModelAssignment> MODEL_ASSIGNMENT =
            new AvroSerde<>(
                    ModelAssignment.class,
                    ModelAssignment.getClassSchema(),
                    ModelAssignment.getEncoder(),
                    ModelAssignment.getDecoder());
    private static final AvroSerde<ModelError> MODEL_ERROR =
            new AvroSerde<>(
                    ModelError.class,
                    ModelError.getClassSchema(),
                    ModelError.getEncoder(),
                    ModelError.getDecoder());

    private AvroSerdes() {}

    /**
     * An earlier version of a schema, kept in {@code avro-history/} so that records it wrote stay
     * readable: {@code MaskEvent-1} is the mask event before reset reason SEQUENCE_RESTART.
     */
    private static Schema history(String file) {
        try (InputStream in = AvroSerdes.class.getResourceAsStream("/avro-history/" + file)) {
            return new Schema.Parser().parse(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the schemas jar lacks avro-history/" + file, e);
        }
    }

    /**
     * Lets Avro load the generated {@code io.canvasflow.schemas.avro} classes in this JVM. Every
     * serde here already does this; call it only where a JVM uses the generated classes before, or
     * without, any serde: a class's own {@code getDecoder()}, or a builder that copies a record
     * holding an enum or a nested record ({@code MaskEvent.newBuilder(event)}), which Avro 1.12
     * refuses with a {@code SecurityException} otherwise. Idempotent; it adds to, and never
     * replaces, what was trusted before (the {@code org.apache.avro.SERIALIZABLE_PACKAGES} system
     * property).
     */
    public static void trustGeneratedClasses() {
        TrustedPackages.ensureTrusted();
    }

    /**
     * Returns the serde of camera frames.
     *
     * @return the {@link Frame} serde
     */
    public static AvroSerde<Frame> frame() {
        return FRAME;
    }

    /**
     * Returns the serde of segmentation results.
     *
     * @return the {@link MaskEvent} serde
     */
    public static AvroSerde<MaskEvent> maskEvent() {
        return MASK_EVENT;
    }

    /**
     * Returns the serde of the per-camera canvas kept in the state store.
     *
     * @return the {@link CanvasState} serde
     */
    public static AvroSerde<CanvasState> canvasState() {
        return CANVAS_STATE;
    }

    /**
     * Returns the serde of dead-lettered records.
     *
     * @return the {@link DeadLetter} serde
     */
    public static AvroSerde<DeadLetter> deadLetter() {
        return DEAD_LETTER;
    }

    /**
     * Returns the serde of the models topic's manifests and chunks.
     *
     * @return the {@link ModelPart} serde
     */
    public static AvroSerde<ModelPart> modelPart() {
        return MODEL_PART;
    }

    /**
     * Returns the serde of model assignments.
     *
     * @return the {@link ModelAssignment} serde
     */
    public static AvroSerde<ModelAssignment> modelAssignment() {
        return MODEL_ASSIGNMENT;
    }

    /**
     * Returns the serde of refused-model events.
     *
     * @return the {@link ModelError} serde
     */
    public static AvroSerde<ModelError> modelError() {
        return MODEL_ERROR;
    }
}
