package io.canvasflow.schemas;

/**
 * The names of the CanvasFlow topology's state stores, spelled here and nowhere else. (Named so as
 * not to shadow Kafka Streams' {@code org.apache.kafka.streams.state.Stores} factory, which the
 * same classes import.)
 */
public final class StoreNames {

    /**
     * The per-camera recurrent canvas: key camera id ({@code String}), value {@link
     * io.canvasflow.schemas.avro.CanvasState} in {@link AvroSerdes#canvasState()}.
     */
    public static final String CANVAS_STORE = "canvas-store";

    /**
     * The latest-only mode's pending frame per camera: key camera id ({@code String}), value {@link
     * io.canvasflow.schemas.avro.Frame} in {@link AvroSerdes#frame()}, change-logged.
     */
    public static final String PENDING_FRAMES_STORE = "pending-frames-store";

    private StoreNames() {}

    /**
     * The changelog topic of a store, named as Kafka Streams names it.
     *
     * @param applicationId the application id (Kafka Streams' prefix of its internal topics)
     * @param store the store's name, one of the constants above
     * @return its topic name
     */
    public static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }
}
