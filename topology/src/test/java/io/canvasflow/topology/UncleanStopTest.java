package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class UncleanStopTest {

    @TempDir Path dir;

    private Path folder;

    /**
     * An application's state folder as an unclean stop under exactly-once leaves it (no mark of a
     * clean stop): tasks with stores, an empty one, and what is not a task's.
     */
    @BeforeEach
    void stateFolder() throws IOException {
        folder = dir.resolve("state").resolve("app");
        store("0_0", "rocksdb/canvas-store/CURRENT");
        store("0_1", "rocksdb/canvas-store/CURRENT");
        Files.createDirectories(folder.resolve("0_2"));
        store("0_10", "rocksdb/canvas-store/000004.log");
        store("0_10", "rocksdb/pending-frames-store/CURRENT");
        store("global", "rocksdb/x/CURRENT");
        store(".", StateFolderLock.KAFKA_LOCK_FILE);
        store(".", "kafka-streams-process-metadata");
    }

    @Test
    void shouldDeleteTheTaskFoldersThatHoldStoresWhenNoCleanStopMarkedThemUnderExactlyOnce()
            throws IOException {
        // Given the state folder above

        // When serve starts on it under exactly-once
        List<String> deleted = UncleanStop.recover(config(StreamsConfig.EXACTLY_ONCE_V2));

        // Then the tasks with stores are gone, and nothing else
        assertEquals(List.of("0_0", "0_1", "0_10"), deleted);
        assertEquals(
                List.of(
                        ".lock",
                        "0_2",
                        "global",
                        "global/rocksdb",
                        "global/rocksdb/x",
                        "global/rocksdb/x/CURRENT",
                        "kafka-streams-process-metadata"),
                contents());
    }

    @Test
    void shouldKeepEveryStoreAfterACleanStopAndExpectAnotherMarkAtTheNextStop() throws IOException {
        // Given the state folder above, marked by a clean stop
        List<String> before = contents();
        UncleanStop.markClean(config(StreamsConfig.EXACTLY_ONCE_V2));

        // When serve starts on it under exactly-once, and again without a clean stop between
        List<String> first = UncleanStop.recover(config(StreamsConfig.EXACTLY_ONCE_V2));
        List<String> afterFirst = contents();
        List<String> second = UncleanStop.recover(config(StreamsConfig.EXACTLY_ONCE_V2));

        // Then the first start keeps every store and takes the mark away, so the second (after
        // a stop that was not clean) deletes the tasks' state
        assertEquals(List.of(), first);
        assertEquals(before, afterFirst);
        assertEquals(List.of("0_0", "0_1", "0_10"), second);
    }

    @Test
    void shouldKeepEveryStoreUnderAtLeastOnceAndTakeAnExactlyOnceRunsMarkAway() throws IOException {
        // Given the state folder above, marked by the clean stop of an exactly-once run
        List<String> before = contents();
        UncleanStop.markClean(config(StreamsConfig.EXACTLY_ONCE_V2));

        // When serve starts on it under at-least-once, which restores onto its stores
        List<String> deleted = UncleanStop.recover(config(StreamsConfig.AT_LEAST_ONCE));

        // Then nothing is deleted, but the mark, which says nothing of how this run will stop
        assertEquals(List.of(), deleted);
        assertEquals(before, contents());
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void shouldLeaveAStateFolderAnotherProcessHoldsAsItIs() throws Exception {
        // Given another process that holds Kafka Streams' lock on the folder, as a serve there
        List<String> before = contents();
        try (LockHolder.Running holder =
                LockHolder.start(
                        folder.resolve(StateFolderLock.KAFKA_LOCK_FILE),
                        dir.resolve("holder.log"))) {
            assertEquals(LockHolder.LOCKED, holder.said());

            // When another starts on it under exactly-once
            List<String> deleted = UncleanStop.recover(config(StreamsConfig.EXACTLY_ONCE_V2));

            // Then nothing is deleted
            assertEquals(List.of(), deleted);
            assertEquals(before, contents());
        }
    }

    private CanvasFlowConfig config(String guarantee) {
        return CanvasFlowConfig.fromMap(
                Map.of(
                        CanvasFlowConfig.STATE_DIR,
                        folder.getParent().toString(),
                        CanvasFlowConfig.APPLICATION_ID,
                        "app",
                        CanvasFlowConfig.PROCESSING_GUARANTEE,
                        guarantee));
    }

    private void store(String task, String file) throws IOException {
        Path path = folder.resolve(task).resolve(file).normalize();
        Files.createDirectories(path.getParent());
        Files.writeString(path, "x");
    }

    /** Every path under the folder, relative to it, sorted. */
    private List<String> contents() throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(p -> !p.equals(folder))
                    .map(p -> folder.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }
}
