package io.canvasflow.schemas;

/**
 * The state stores of the CanvasFlow topology. Store names are spelled here and nowhere else.
 *
 * <p>Not to be confused with Kafka Streams' {@code org.apache.kafka.streams.state.Stores} factory;
 * refer to this one as {@code io.canvasflow.schemas.Stores} where both are imported.
 */
public final class Stores {

    /**
     * The per-camera recurrent canvas: key camera id ({@code String}), value {@link
     * io.canvasflow.schemas.avro.CanvasState} in {@link AvroSerdes#canvasState()}.
     */
    public static final String CANVAS_STORE = "canvas-store";

    private Stores() {}
}
