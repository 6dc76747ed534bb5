package io.canvasflow.schemas;

import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;

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
                    MaskEvent.getDecoder());
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

    private AvroSerdes() {}

    /**
     * Lets Avro deserialize the generated {@code io.canvasflow.schemas.avro} classes in this JVM.
     * Every serde here already does this; call it only before using a generated class's own {@code
     * getDecoder()} without a serde. Idempotent; it adds to, and never replaces, what was trusted
     * before (the {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property).
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
}
