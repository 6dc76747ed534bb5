package io.canvasflow.topology;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.avro.CanvasState;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** The canvas store as a processor unit test holds it: in memory, with no changelog. */
final class TestCanvasStore {

    private TestCanvasStore() {}

    /** An empty canvas store, opened in this context. */
    static KeyValueStore<String, CanvasState> openIn(MockProcessorContext<?, ?> context) {
        KeyValueStore<String, CanvasState> canvases =
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(StoreNames.CANVAS_STORE),
                                Serdes.String(),
                                AvroSerdes.canvasState())
                        .withLoggingDisabled()
                        .build();
        canvases.init(context.getStateStoreContext(), canvases);
        return canvases;
    }
}
