package io.canvasflow.topology;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether another Kafka Streams instance holds an application's state folder ({@code
 * state.dir/application.id}), asked before serve starts anything. Kafka Streams finds it only in
 * its constructor, after the topics and the model, and logs an ERROR ("Unable to obtain lock as
 * state directory is already locked by another process") before the exception that serve turns into
 * its sentence. The lock asked about is Kafka Streams' own, on the folder's {@value
 * #KAFKA_LOCK_FILE}, which an instance holds for as long as it runs; it is taken and let go at
 * once, and nothing is created.
 */
final class StateFolderLock {

    /**
     * The file Kafka Streams locks in an application's state folder (its {@code StateDirectory}).
     */
    static final String KAFKA_LOCK_FILE = ".lock";

    /** Channels that must stay open for this JVM's own Kafka Streams locks to hold; one a probe. */
    private static final Set<FileChannel> HELD_OPEN = ConcurrentHashMap.newKeySet();

    private StateFolderLock() {}

    /**
     * Whether the application's state folder is held by another instance.
     *
     * @param config the settings: {@code state.dir} and {@code application.id}
     * @return {@link #inUse}'s sentence, or null when it is free (or cannot be asked: Kafka Streams
     *     then says why)
     */
    static String problem(CanvasFlowConfig config) {
        Path lock = folder(config).resolve(KAFKA_LOCK_FILE);
        if (!Files.isRegularFile(lock)) {
            return null;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(lock, StandardOpenOption.WRITE);
        } catch (IOException e) {
            return null; // gone since, or not ours to open: Kafka Streams says which
        }
        try {
            FileLock held = channel.tryLock();
            if (held != null) {
                held.release();
            }
            close(channel);
            return held == null ? inUse(config) : null;
        } catch (OverlappingFileLockException e) {
            // Kafka Streams in this JVM holds it. The channel stays open, and reachable: closing
            // it, or the cleaner closing it after a GC, would drop that lock too (a process's
            // locks on a file go with any of its channels on it).
            HELD_OPEN.add(channel);
            return inUse(config);
        } catch (IOException e) {
            close(channel);
            return null;
        }
    }

    /**
     * What serve says when another instance holds the application's state folder.
     *
     * @param config the settings
     * @return the sentence
     */
    static String inUse(CanvasFlowConfig config) {
        return "the state directory "
                + folder(config)
                + " is in use by another instance of "
                + config.applicationId()
                + " on this host; give this one its own with --state-dir DIR (and --http-port 0)";
    }

    private static Path folder(CanvasFlowConfig config) {
        return Path.of(config.stateDir(), config.applicationId());
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing of ours was locked through it
        }
    }
}
