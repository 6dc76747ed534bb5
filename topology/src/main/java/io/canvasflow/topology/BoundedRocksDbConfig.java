package io.canvasflow.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Sizes RocksDB for CanvasFlow's stores, which hold one small value per camera (the last canvas, a
 * few KB of float16 logits; in latest-only mode also the pending frame) overwritten on every frame.
 *
 * <p>Kafka Streams' RocksDB defaults are sized for large tables: per store instance (one per
 * partition) up to three 16 MB memtables and a 50 MB block cache. A canvas store fills its memtable
 * with superseded versions of the same few keys, so with the defaults the process's resident memory
 * keeps climbing for thousands of frames before it levels off. Here every store of the process
 * shares one {@value #CACHE_BYTES}-byte block cache, which also accounts for the memtables through
 * a {@link WriteBufferManager} capped at {@value #MEMTABLE_BYTES} bytes, and each store flushes its
 * memtable at {@value #WRITE_BUFFER_BYTES} bytes. This is the bounded-memory pattern of the Kafka
 * Streams memory-management guide.
 *
 * <p>It is the default of {@code rocksdb.config.setter}; a user who sets {@code
 * kafka.rocksdb.config.setter} replaces it.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

    /** Block cache shared by every store of the process, memtables included. */
    public static final long CACHE_BYTES = 16L * 1024 * 1024;

    /** Memtable memory of all stores together, charged to the cache. */
    public static final long MEMTABLE_BYTES = 8L * 1024 * 1024;

    /** A store's memtable is flushed at this size. */
    public static final long WRITE_BUFFER_BYTES = 2L * 1024 * 1024;

    /** Memtables per store: the active one and one being flushed. */
    public static final int WRITE_BUFFERS = 2;

    // Shared by every store instance in the JVM, so never closed: they live as long as the process.
    private static final Cache CACHE = new LRUCache(CACHE_BYTES, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFER_MANAGER =
            new WriteBufferManager(MEMTABLE_BYTES, CACHE);

    /** Kafka Streams creates one per store instance. */
    public BoundedRocksDbConfig() {}

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(WRITE_BUFFER_MANAGER);
        options.setWriteBufferSize(WRITE_BUFFER_BYTES);
        options.setMaxWriteBufferNumber(WRITE_BUFFERS);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared: nothing of this store's to close.
    }
}
