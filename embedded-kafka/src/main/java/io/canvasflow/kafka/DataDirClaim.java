package io.canvasflow.kafka;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A broker's hold on its data folder, taken before anything is written there and kept while it
 * runs. Kafka takes its own lock only when its log manager starts, after the controller has written
 * to the metadata log: a second broker on the same folder wrote there, and broke the running one's
 * metadata (topic creation failed, a thread spun, a clean stop hung) although it then refused to
 * start. A folder that holds other files and no broker's {@code meta.properties} (a typo such as
 * {@code --data-dir .}) is refused before Kafka fills it and halts on its sub-folders.
 *
 * @param dir the folder, absolute and normalised
 * @param channel the open lock file
 * @param lock its lock, held until {@link #close}
 */
record DataDirClaim(Path dir, FileChannel channel, FileLock lock) implements AutoCloseable {

    /** The file this claim locks. */
    static final String LOCK_FILE = ".canvasflow-broker.lock";

    /** What a folder may hold before its first broker formats it. */
    private static final Set<String> BEFORE_FORMAT = Set.of(LOCK_FILE, "server.properties");

    /**
     * The folders claimed in this JVM. A second claim must not even open the lock file: closing any
     * channel on a file drops this JVM's lock on it, the first claim's included.
     */
    private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

    /**
     * Makes the folder if need be and claims it.
     *
     * @throws DataDirRefusedException when another broker holds it, it is not a broker's folder, or
     *     it cannot be made or locked; its message starts with the folder
     */
    static DataDirClaim claim(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        if (!CLAIMED.add(key)) {
            throw inUse(dir);
        }
        try {
            return lock(dir, key);
        } catch (RuntimeException e) {
            CLAIMED.remove(key);
            throw e;
        }
    }

    private static DataDirRefusedException inUse(Path dir) {
        return new DataDirRefusedException(
                dir + " is in use by another broker; stop it, or give another folder");
    }

    private static DataDirClaim lock(Path dir, Path key) {
        try {
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve("meta.properties"))) {
                try (Stream<Path> entries = Files.list(dir)) {
                    Path other =
                            entries.filter(p -> !BEFORE_FORMAT.contains(p.getFileName().toString()))
                                    .findFirst()
                                    .orElse(null);
                    if (other != null) {
                        throw new DataDirRefusedException(
                                dir
                                        + " is not a Kafka broker's data folder: it holds "
                                        + other.getFileName()
                                        + " and no meta.properties; give an empty or new folder");
                    }
                }
            }
            FileChannel channel =
                    FileChannel.open(
                            dir.resolve(LOCK_FILE),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock(); // this JVM's claims are in CLAIMED: no overlap
            if (lock == null) {
                channel.close(); // another process holds it: closing drops nothing of ours
                throw inUse(dir);
            }
            return new DataDirClaim(key, channel, lock);
        } catch (IOException e) {
            throw new DataDirRefusedException(
                    dir
                            + " cannot be claimed for a broker ("
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage()
                            + "); give a folder you can write in");
        }
    }

    /** Lets another broker have the folder. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the channel is gone with its lock; nothing is held
        } finally {
            CLAIMED.remove(dir);
        }
    }
}
