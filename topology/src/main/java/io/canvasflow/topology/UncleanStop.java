package io.canvasflow.topology;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local state an unclean stop (a SIGKILL, an OOM kill, a lost node) left under exactly-once,
 * deleted before Kafka Streams starts and said in one line; and the mark a clean stop leaves so
 * that the next start keeps its state.
 *
 * <p>Under exactly-once a store that was open when its process died may hold uncommitted writes.
 * Kafka Streams (4.3: KIP-1035, each RocksDB store keeps its changelog offsets and an open/closed
 * status itself, and no task writes a {@code .checkpoint} file any more) finds that at start, wipes
 * the task and restores it from the changelog, as it should, but says so with a WARN per task at
 * construction, and an ERROR and a WARN with a {@code TaskCorruptedException} stack trace per task
 * in the stream thread (67 stack-trace lines for six tasks). So a stop that closed Kafka Streams
 * cleanly writes {@value #CLEAN_STOP_FILE} in the application's state folder ({@link #markClean});
 * a start deletes that mark, and where it finds none, deletes the task folders first: the same
 * recovery, from the same changelog, without those lines. (A first start of a version before this
 * mark restores once.) A mark missed is only log lines, not data: Kafka Streams still wipes a task
 * whose store says it was open. At-least-once keeps its stores and restores on them, so nothing is
 * deleted there. The folder is only touched while this process holds Kafka Streams' own lock on it
 * ({@link StateFolderLock#KAFKA_LOCK_FILE}), so never under an instance that runs.
 */
final class UncleanStop {

    private static final Logger LOG = LoggerFactory.getLogger(UncleanStop.class);

    /** The mark a clean stop leaves in the application's state folder. */
    static final String CLEAN_STOP_FILE = "canvasflow-clean-stop";

    /** A task folder: subtopology and partition, as Kafka Streams names it. */
    private static final Pattern TASK_FOLDER = Pattern.compile("\\d{1,9}_\\d{1,9}");

    /**
     * Channels on a lock this JVM's Kafka Streams took between {@link StateFolderLock}'s question
     * and ours: closing them would drop its lock too (see {@link StateFolderLock}).
     */
    private static final Set<FileChannel> HELD_OPEN = ConcurrentHashMap.newKeySet();

    private UncleanStop() {}

    /**
     * Under exactly-once, deletes the mark of a clean stop, or where there is none, the task
     * folders of the application's state folder that hold stores, and says which in one INFO line.
     *
     * @param config the settings: {@code processing.guarantee}, {@code state.dir} and {@code
     *     application.id}
     * @return the tasks whose folders it deleted, such as {@code 0_3}, in order
     */
    static List<String> recover(CanvasFlowConfig config) {
        Path folder = Path.of(config.stateDir(), config.applicationId());
        if (!Files.isDirectory(folder) || StateFolderLock.problem(config) != null) {
            return List.of(); // another instance's, or none: Kafka Streams says which
        }
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(config.processingGuarantee())) {
            // an exactly-once run's mark says nothing of this run's stop, which may not be clean
            try {
                Files.deleteIfExists(folder.resolve(CLEAN_STOP_FILE));
            } catch (IOException e) {
                LOG.debug("could not delete {}: {}", folder.resolve(CLEAN_STOP_FILE), e.toString());
            }
            return List.of();
        }
        FileChannel channel;
        try {
            channel =
                    FileChannel.open(
                            folder.resolve(StateFolderLock.KAFKA_LOCK_FILE),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
        } catch (IOException e) {
            return List.of(); // not ours to open: Kafka Streams says why
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return List.of();
            }
            try {
                // the mark goes first: a stop of this run that is not clean leaves none
                if (Files.deleteIfExists(folder.resolve(CLEAN_STOP_FILE))) {
                    return List.of();
                }
                return deleteUnder(folder);
            } finally {
                lock.release();
                channel.close();
            }
        } catch (OverlappingFileLockException e) {
            HELD_OPEN.add(channel);
            return List.of();
        } catch (IOException e) {
            LOG.warn(
                    "could not look for the state of an unclean stop in {} ({}); Kafka Streams"
                            + " looks itself",
                    folder,
                    e.getMessage());
            return List.of();
        }
    }

    /**
     * Marks the application's state folder as left by a clean stop, under exactly-once: call once
     * Kafka Streams has closed every task (its {@code close} returned true, from a state that was
     * not ERROR). A failure is a DEBUG line: the next start restores, as after a kill.
     *
     * @param config the settings
     */
    static void markClean(CanvasFlowConfig config) {
        Path folder = Path.of(config.stateDir(), config.applicationId());
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(config.processingGuarantee())
                || !Files.isDirectory(folder)) {
            return;
        }
        try {
            Files.writeString(folder.resolve(CLEAN_STOP_FILE), "stopped cleanly\n");
        } catch (IOException e) {
            LOG.debug("could not mark {} as cleanly stopped: {}", folder, e.toString());
        }
    }

    private static List<String> deleteUnder(Path folder) throws IOException {
        List<String> deleted = new ArrayList<>();
        for (Path task : taskFolders(folder)) {
            try {
                deleteTree(task);
                deleted.add(task.getFileName().toString());
            } catch (IOException e) {
                LOG.warn(
                        "could not delete the state of task {} ({}); Kafka Streams wipes it"
                                + " itself",
                        task.getFileName(),
                        e.getMessage());
            }
        }
        if (!deleted.isEmpty()) {
            LOG.info(
                    "the local state of task(s) {} in {} has no mark of a clean stop: an unclean"
                            + " stop (a kill, an OOM kill, a lost node) may have left uncommitted"
                            + " writes in it; deleted it, restoring it from the changelog",
                    String.join(", ", deleted),
                    folder);
        }
        return deleted;
    }

    /**
     * The task folders that hold stores, ordered by task. What Kafka Streams counts as no store is
     * left out: nothing, or only the task locks of versions before 3.0.
     */
    static List<Path> taskFolders(Path folder) throws IOException {
        try (Stream<Path> tasks = Files.list(folder)) {
            List<Path> found = new ArrayList<>();
            for (Path task :
                    tasks.filter(
                                    p ->
                                            Files.isDirectory(p)
                                                    && TASK_FOLDER
                                                            .matcher(p.getFileName().toString())
                                                            .matches())
                            .sorted(Comparator.comparing(UncleanStop::taskOrder))
                            .toList()) {
                if (holdsStores(task)) {
                    found.add(task);
                }
            }
            return found;
        }
    }

    private static boolean holdsStores(Path task) throws IOException {
        try (Stream<Path> entries = Files.list(task)) {
            return entries.anyMatch(
                    p -> !p.getFileName().toString().endsWith(StateFolderLock.KAFKA_LOCK_FILE));
        }
    }

    /** 0_2 before 0_10. */
    private static long taskOrder(Path task) {
        String[] parts = task.getFileName().toString().split("_");
        return Long.parseLong(parts[0]) << 32 | Long.parseLong(parts[1]);
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
