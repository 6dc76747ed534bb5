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
 * deleted before Kafka Streams starts, and said in one line.
 *
 * <p>Under exactly-once Kafka Streams writes a task's {@value #CHECKPOINT_FILE} only when it closes
 * the task cleanly, and deletes it once the task is open, so every task folder of an instance that
 * was killed holds stores but no checkpoint: they may hold uncommitted writes. Kafka Streams then
 * wipes them and restores them from the changelog, as it should, but says so with a WARN per task
 * at construction, and an ERROR and a WARN with a {@code TaskCorruptedException} stack trace per
 * task in the stream thread (67 stack-trace lines for six tasks). Deleting the same folders first
 * is the same recovery, from the same changelog, without them. At-least-once keeps its stores
 * without a checkpoint (restores from the changelog's start on them), so nothing is deleted there.
 * The folder is only touched while this process holds Kafka Streams' own lock on it ({@link
 * StateFolderLock#KAFKA_LOCK_FILE}), so never under an instance that runs.
 */
final class UncheckpointedState {

    private static final Logger LOG = LoggerFactory.getLogger(UncheckpointedState.class);

    /** The file Kafka Streams writes in a task folder with its stores' changelog offsets. */
    static final String CHECKPOINT_FILE = ".checkpoint";

    /** A task folder: subtopology and partition, as Kafka Streams names it. */
    private static final Pattern TASK_FOLDER = Pattern.compile("\\d{1,9}_\\d{1,9}");

    /**
     * Channels on a lock this JVM's Kafka Streams took between {@link StateFolderLock}'s question
     * and ours: closing them would drop its lock too (see {@link StateFolderLock}).
     */
    private static final Set<FileChannel> HELD_OPEN = ConcurrentHashMap.newKeySet();

    private UncheckpointedState() {}

    /**
     * Under exactly-once, deletes the task folders of the application's state folder that hold
     * stores but no checkpoint, and says which in one INFO line.
     *
     * @param config the settings: {@code processing.guarantee}, {@code state.dir} and {@code
     *     application.id}
     * @return the tasks whose folders it deleted, such as {@code 0_3}, in order
     */
    static List<String> delete(CanvasFlowConfig config) {
        Path folder = Path.of(config.stateDir(), config.applicationId());
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(config.processingGuarantee())
                || !Files.isDirectory(folder)
                || StateFolderLock.problem(config) != null) {
            return List.of(); // another instance's, or none: Kafka Streams says which
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
                    "could not look for uncheckpointed task state in {} ({}); Kafka Streams looks"
                            + " itself",
                    folder,
                    e.getMessage());
            return List.of();
        }
    }

    private static List<String> deleteUnder(Path folder) throws IOException {
        List<String> deleted = new ArrayList<>();
        for (Path task : uncheckpointed(folder)) {
            try {
                deleteTree(task);
                deleted.add(task.getFileName().toString());
            } catch (IOException e) {
                LOG.warn(
                        "could not delete the uncheckpointed state of task {} ({}); Kafka Streams"
                                + " wipes it itself",
                        task.getFileName(),
                        e.getMessage());
            }
        }
        if (!deleted.isEmpty()) {
            LOG.info(
                    "the local state of task(s) {} in {} was not checkpointed: an unclean stop (a"
                            + " kill, an OOM kill, a lost node); deleted it, restoring it from the"
                            + " changelog",
                    String.join(", ", deleted),
                    folder);
        }
        return deleted;
    }

    /**
     * The task folders that hold stores but no checkpoint, ordered by task. What Kafka Streams
     * counts as no store is left out: nothing, or only the task locks of versions before 3.0.
     */
    static List<Path> uncheckpointed(Path folder) throws IOException {
        try (Stream<Path> tasks = Files.list(folder)) {
            List<Path> found = new ArrayList<>();
            for (Path task :
                    tasks.filter(
                                    p ->
                                            Files.isDirectory(p)
                                                    && TASK_FOLDER
                                                            .matcher(p.getFileName().toString())
                                                            .matches())
                            .sorted(Comparator.comparing(UncheckpointedState::taskOrder))
                            .toList()) {
                if (!Files.exists(task.resolve(CHECKPOINT_FILE)) && holdsStores(task)) {
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
