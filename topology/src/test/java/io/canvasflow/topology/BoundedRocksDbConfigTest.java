package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

class BoundedRocksDbConfigTest {

    @Test
    void shouldBoundEachStoresMemtablesAndShareTheBlockCache() {
        // Given RocksDB's options as Kafka Streams hands them to a setter
        try (Options options = new Options()) {
            options.setTableFormatConfig(new BlockBasedTableConfig());
            long defaultWriteBuffer = options.writeBufferSize();

            // When
            new BoundedRocksDbConfig().setConfig("canvases", options, Map.of());

            // Then
            assertTrue(defaultWriteBuffer > BoundedRocksDbConfig.WRITE_BUFFER_BYTES);
            assertEquals(BoundedRocksDbConfig.WRITE_BUFFER_BYTES, options.writeBufferSize());
            assertEquals(BoundedRocksDbConfig.WRITE_BUFFERS, options.maxWriteBufferNumber());
            BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
            assertTrue(table.cacheIndexAndFilterBlocks());
            assertTrue(table.pinTopLevelIndexAndFilter());
        }
    }

    @Test
    void shouldBeTheDefaultSetterUnlessTheUserNamesTheirOwn() {
        Properties byDefault =
                CanvasFlowTopology.streamsConfig(
                        CanvasFlowConfig.defaults().with("bootstrap.servers", "k:9092"));
        assertEquals(
                BoundedRocksDbConfig.class,
                byDefault.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));

        Properties overridden =
                CanvasFlowTopology.streamsConfig(
                        CanvasFlowConfig.defaults()
                                .with("bootstrap.servers", "k:9092")
                                .with(
                                        "kafka.rocksdb.config.setter",
                                        UsersRocksConfig.class.getName()));
        assertEquals(
                UsersRocksConfig.class.getName(),
                overridden.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
    }

    @Test
    void shouldRefuseASetterClassThatIsNotThereWhenTheSettingsAreRead() {
        // A class Kafka Streams could not load at start is one sentence when the settings are read
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                CanvasFlowConfig.defaults()
                                        .with(
                                                "kafka.rocksdb.config.setter",
                                                "com.example.MyRocksConfig"));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "Kafka property rocksdb.config.setter is not valid: Invalid value"
                                        + " com.example.MyRocksConfig"),
                e.getMessage());
    }

    /** A user's own setter, named in the settings. */
    public static final class UsersRocksConfig implements RocksDBConfigSetter {
        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {}

        @Override
        public void close(String storeName, Options options) {}
    }
}
