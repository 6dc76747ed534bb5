package io.canvasflow.registry;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.schemas.avro.ModelErrorReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the models and assignments topics on a background thread, from their beginning, with no
 * consumer group ({@code read_committed}, every partition): each serve instance sees every version
 * and every assignment. A version that is complete and checks is written to {@code
 * CACHE_DIR/VERSION/} ({@code model.json} and its parameter file, forced to disk and moved into
 * place whole: {@link ModelCache}) and announced; a refused one is announced with its reason. A
 * version that cannot be written there (a full disk, a folder it may not write in) is announced as
 * refused once and written again later ({@link PendingWrites}, which holds a bounded number of
 * bytes), then announced ready. A record that cannot be read is one log line and an announcement,
 * never the end of the thread.
 *
 * <p>A failure to read (a broker that does not answer, an ACL revoked, which also hides a topic
 * from the listing: {@link RegistryPartitions}) is retried every second for as long as it lasts;
 * {@link #failing()} says since when, for {@code /health}, and the log says so at its start, once a
 * minute while it lasts and at its end ({@link FailureStreak}). A registry topic deleted is a WARN,
 * not a failure.
 */
public final class ModelFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration TOPIC_RECHECK = Duration.ofSeconds(10);
    private static final Duration END_CHECK = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** {@link ModelCache}'s temporary folders: VERSION.tmp-NUMBER. */
    private static final java.util.regex.Pattern TMP_NAME =
            java.util.regex.Pattern.compile(
                    ".+" + java.util.regex.Pattern.quote(ModelCache.TMP_INFIX) + "[0-9]+");

    private static final Duration STALE_TMP = Duration.ofMinutes(10);
    private static final String MARKER = ".canvasflow-model-cache";

    /** What the follower tells its owner, on the follower's thread. */
    public interface Listener {

        /** A version is ready to load from a directory. */
        void modelReady(ModelSpec spec, Path dir);

        /**
         * A version, or a record (version null), was refused. A refused record's message is already
         * in the log, said by the follower: a listener reports it, and does not log it again.
         */
        void modelRefused(String version, ModelErrorReason reason, String message);

        /** A version was removed from the topic. */
        void modelRemoved(String version);

        /** The assignments changed. */
        void assignmentsChanged();
    }

    /**
     * A run of failures to read the registry with no successful poll between them.
     *
     * @param sinceMillis when the first of them happened, in milliseconds since the epoch
     * @param lastFailure the latest, in one line
     */
    public record Failing(long sinceMillis, String lastFailure) {}

    private final UnreadableRecords unreadable = new UnreadableRecords(LOG, "model registry: ");
    private final Consumer<String, byte[]> consumer;
    private final RegistryPartitions partitions;
    private final Duration topicRecheck;
    private final String modelsTopic;
    private final Path cacheDir;
    private volatile Listener listener;
    private final Writer writer;
    private final ModelCatalog catalog;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private boolean pruned; // the follower thread's
    private volatile boolean running = true;
    private volatile String stoppedBecause;
    private final FailureStreak failures =
            new FailureStreak("model follower", RETRY, System::currentTimeMillis);

    /**
     * Creates a follower; {@link #start()} starts it.
     *
     * @param kafka consumer properties: bootstrap servers and security settings
     * @param modelsTopic the models topic
     * @param assignmentsTopic the assignments topic
     * @param cacheDir where complete versions are written
     */
    public ModelFollower(
            Map<String, Object> kafka, String modelsTopic, String assignmentsTopic, Path cacheDir) {
        this(consumer(kafka), modelsTopic, assignmentsTopic, cacheDir);
    }

    /** The follower's consumer: no group, from the beginning, committed records only. */
    static KafkaConsumer<String, byte[]> consumer(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A follower reading through a given consumer (a test's {@code MockConsumer}). */
    ModelFollower(
            Consumer<String, byte[]> consumer,
            String modelsTopic,
            String assignmentsTopic,
            Path cacheDir) {
        this(
                consumer,
                modelsTopic,
                assignmentsTopic,
                cacheDir,
                TOPIC_RECHECK,
                PendingWrites.MAX_HELD_BYTES);
    }

    /**
     * A follower with a test's timing and memory.
     *
     * @param topicRecheck how often the topics' partitions are looked for again
     * @param maxHeldBytes the most parameter bytes held for writes to the cache that failed
     */
    ModelFollower(
            Consumer<String, byte[]> consumer,
            String modelsTopic,
            String assignmentsTopic,
            Path cacheDir,
            Duration topicRecheck,
            long maxHeldBytes) {
        this.consumer = consumer;
        this.modelsTopic = modelsTopic;
        this.partitions = new RegistryPartitions(consumer, List.of(modelsTopic, assignmentsTopic));
        this.topicRecheck = topicRecheck;
        this.cacheDir = cacheDir;
        this.writer = new Writer(maxHeldBytes);
        this.catalog = new ModelCatalog(true, writer);
        this.thread = new Thread(this::run, "canvasflow-model-follower");
        this.thread.setDaemon(true);
    }

    /** The versions and assignments read so far. */
    public ModelCatalog catalog() {
        return catalog;
    }

    /** The registry partitions the follower reads now: for tests. */
    List<TopicPartition> assignment() {
        return partitions.assigned();
    }

    /**
     * Starts following.
     *
     * @param listener told about versions and assignments, on the follower's thread
     */
    public void start(Listener listener) {
        this.listener = listener;
        thread.start();
    }

    /**
     * Waits until both topics have been read to the end once (or found absent), neither hidden nor
     * undecided ({@link RegistryPartitions}).
     *
     * @param timeout how long to wait
     * @return whether it caught up in time
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        long nextTopicCheck = 0;
        boolean unchecked = true;
        while (running) {
            try {
                writer.retryDue(); // the disk, not Kafka: also while the registry cannot be read
                // Every 10 s, the topics' partitions (metadata requests); every second while one
                // is hidden or undecided, or after a failure, so that the change is seen soon
                if (System.nanoTime() >= nextTopicCheck) {
                    List<TopicPartition> before = partitions.assigned();
                    partitions.look();
                    unchecked |= !partitions.assigned().equals(before);
                    boolean soon = partitions.hidden().isPresent() || partitions.undecided();
                    Duration wait =
                            soon && topicRecheck.compareTo(RETRY) > 0 ? RETRY : topicRecheck;
                    nextTopicCheck = System.nanoTime() + wait.toNanos();
                }
                List<TopicPartition> assigned = partitions.assigned();
                // Caught up only with every registry topic's fate known: a topic hidden or
                // undecided is no catalog of the registry, and the prune would delete its versions
                boolean settled = partitions.hidden().isEmpty() && !partitions.undecided();
                if (assigned.isEmpty()) {
                    if (settled) {
                        caughtUp.countDown();
                    }
                    passed(); // no registry topic exists (never created, or deleted), or hidden
                    Thread.sleep(POLL.toMillis());
                    continue;
                }
                boolean any = false;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                    any = true;
                }
                if (!any) {
                    summariseUnreadable();
                }
                // Only after news: the end offsets are a request to the broker.
                unchecked |= any;
                if (!any && unchecked && settled && atEnd(assigned)) {
                    catalog.caughtUp();
                    // once, at the first end of topics found (not at the latch: it is let go
                    // when the topics do not exist yet, and the cache was then never pruned)
                    if (!pruned) {
                        pruneCache();
                        pruned = true;
                    }
                    caughtUp.countDown();
                    unchecked = false;
                }
                passed();
            } catch (WakeupException | InterruptException | InterruptedException e) {
                Thread.interrupted(); // Kafka's InterruptException sets the flag again
                if (running) {
                    LOG.warn("model follower interrupted; going on");
                }
            } catch (RuntimeException e) {
                // A broker that does not answer, an ACL revoked, or a listener that failed: never
                // the end of the thread, or no instance would see another model until it restarts.
                failures.failed(e.toString()).ifPresent(LOG::warn);
                if (e instanceof TopicAuthorizationException) {
                    nextTopicCheck = 0; // a topic hidden, most likely: the next pass says which
                }
                sleepQuietly();
            } catch (Error e) {
                // No heap for a version's chunks (every published version is assembled in
                // memory), most likely: going on would fail again on the same records. Said once,
                // and /health reads DOWN from now on, so that the instance is restarted, where a
                // thread that died quietly left it serving stale assignments for good.
                stoppedBecause =
                        "the model follower stopped on "
                                + e
                                + "; this instance no longer sees models or assignments: give"
                                + " serve more heap (each published version is assembled in"
                                + " memory) and restart it";
                LOG.error("{}", stoppedBecause);
                caughtUp.countDown();
                break;
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    /**
     * A pass of the loop that polled (or looked for the topics) and did all else it had to without
     * failing ends a run of failures, unless a registry topic is hidden from it (an ACL revoked),
     * which goes on failing until it is shown again. (Not the poll alone: a pass whose poll works
     * and whose end check fails each time would otherwise start a new run every second, each said
     * at once.)
     */
    private void passed() {
        Optional<String> hidden = partitions.hidden();
        if (hidden.isPresent()) {
            failures.failed(hidden.get()).ifPresent(LOG::warn);
        } else if (!partitions.undecided()) { // until the next look says hidden or deleted
            failures.succeeded().ifPresent(LOG::info);
        }
    }

    /**
     * Since when the follower has been failing to read the registry, retrying every second, and on
     * what: while it does, this instance sees no new model or assignment.
     *
     * @return the failures going on now, or empty while it reads
     */
    public Optional<Failing> failing() {
        return failures.current();
    }

    /**
     * Why the follower stopped for good, if it did: the instance then no longer follows the
     * registry, and should be restarted.
     *
     * @return one sentence, or empty while it follows
     */
    public Optional<String> stoppedBecause() {
        return Optional.ofNullable(stoppedBecause);
    }

    /**
     * Deletes what the cache holds that the registry no longer does, once it has been read:
     * versions removed while this instance was down, and folders a failed write left. Only folders
     * that are versions (they hold a {@code model.json}) or this class's temporary folders are
     * touched.
     */
    private void pruneCache() {
        if (!ownsCache()) {
            return;
        }
        long stale = System.currentTimeMillis() - STALE_TMP.toMillis();
        try (var entries = Files.list(cacheDir)) {
            for (Path dir : entries.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                // another instance sharing the cache may be writing a fresh one
                boolean leftOver =
                        TMP_NAME.matcher(name).matches()
                                && Files.getLastModifiedTime(dir).toMillis() < stale;
                if (leftOver
                        || (Files.exists(dir.resolve(ModelSpec.FILE_NAME))
                                && !catalog.isPublished(name))) {
                    deleteQuietly(dir);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not look through the model cache {}: {}", cacheDir, e.toString());
        }
    }

    /**
     * Whether the cache folder is this class's to delete in: one it made, or found empty, and
     * marked. A folder that held something else (a folder of the user's models named as the cache)
     * is written to but never pruned.
     */
    private boolean ownsCache() {
        Path marker = cacheDir.resolve(MARKER);
        try {
            if (Files.exists(marker)) {
                return true;
            }
            Files.createDirectories(cacheDir);
            try (var entries = Files.list(cacheDir)) {
                if (entries.findAny().isPresent()) {
                    return false;
                }
            }
            Files.writeString(
                    marker, "CanvasFlow's model cache: versions in it are deleted when removed\n");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
            LOG.info("deleted {} from the model cache", dir.getFileName());
        } catch (IOException e) {
            LOG.warn("could not delete {} from the model cache: {}", dir, e.toString());
        }
    }

    /**
     * Whether every partition has been read to its end. Asked with a short timeout: the loop must
     * get back to polling, or a new assignment waits behind a slow answer; not knowing yet is "not
     * at the end".
     */
    private boolean atEnd(List<TopicPartition> partitions) {
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, END_CHECK);
            return partitions.stream()
                    .allMatch(p -> consumer.position(p, END_CHECK) >= ends.get(p));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return false;
        }
    }

    /**
     * Applies one record; a record that cannot be read is a log line and an announcement, for the
     * first few of a topic, and then is counted until {@link UnreadableRecords#summarise()}.
     */
    private void apply(ConsumerRecord<String, byte[]> record) {
        boolean models = record.topic().equals(modelsTopic);
        try {
            boolean understood = catalog.apply(models, record.key(), record.value());
            if (!understood) {
                unreadable(
                        record,
                        "key \""
                                + record.key()
                                + "\" does not fit its value (or names a pattern that does not"
                                + " compile); write it again with `canvasflow models`");
            } else if (!models) {
                listener.assignmentsChanged();
            }
        } catch (RuntimeException e) {
            unreadable(record, e.getMessage());
        }
    }

    private void unreadable(ConsumerRecord<String, byte[]> record, String why) {
        String said = unreadable.skipped(record.topic(), record.partition(), record.offset(), why);
        if (said != null) {
            listener.modelRefused(null, ModelErrorReason.UNREADABLE_RECORD, said);
        }
    }

    /** Says how many unreadable records went without a line of their own, once a poll is empty. */
    private void summariseUnreadable() {
        for (String line : unreadable.summarise()) {
            listener.modelRefused(null, ModelErrorReason.UNREADABLE_RECORD, line);
        }
    }

    /** Stops following and closes the consumer. */
    @Override
    public void close() {
        running = false;
        if (!thread.isAlive() && listener == null) {
            consumer.close(Duration.ofSeconds(5)); // never started: the thread would have
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes complete versions into the cache directory and passes the catalog's news on. A write
     * that fails on I/O is announced as a refusal once and tried again until it works ({@link
     * PendingWrites}); the version is announced ready then.
     */
    private final class Writer implements ModelCatalog.Listener {

        private final ModelCache cache = new ModelCache(cacheDir);
        private final PendingWrites pending;

        Writer(long maxHeldBytes) {
            this.pending = new PendingWrites(System::nanoTime, maxHeldBytes);
        }

        @Override
        public void complete(ModelSpec spec, String modelJson, List<byte[]> parameters) {
            pending.forget(spec.version()); // published again: this publication is the one
            write(new PendingWrites.Write(spec, modelJson, parameters));
        }

        /** Writes again the versions whose write failed, once their wait is over. */
        void retryDue() {
            for (PendingWrites.Write write : pending.due()) {
                // a snapshot: a failure before it may have let this one go (trim)
                if (pending.holds(write.version())) {
                    write(write);
                }
            }
        }

        private void write(PendingWrites.Write write) {
            String version = write.version();
            Path dir = cacheDir.resolve(version);
            try {
                Files.createDirectories(cacheDir);
                ownsCache(); // marked while still empty, the first time
                dir = cache.write(write.spec(), write.modelJson(), write.parameters());
            } catch (IOException e) {
                // A full disk, a folder serve may not write in: mended outside, so tried again,
                // with its bytes held in memory meanwhile, as far as the bound lets them be
                boolean before = pending.holds(version);
                Duration wait = pending.failed(write);
                List<String> letGo = pending.trim(catalog.assignedVersions()::contains);
                boolean held = !letGo.contains(version);
                String message =
                        "cannot write model "
                                + version
                                + " to "
                                + dir
                                + ": "
                                + e
                                + (held
                                        ? "; trying again in " + wait.toSeconds() + " s"
                                        : "; not held to be written again: " + notHeld());
                if (before) {
                    LOG.warn("{}", message);
                } else {
                    listener.modelRefused(
                            version,
                            ModelErrorReason.OTHER,
                            held ? message + ", then less often, until it can" : message);
                }
                for (String other : letGo) {
                    if (!other.equals(version)) {
                        LOG.warn(
                                "model {} is no longer held to be written to the model cache"
                                        + " again: {}",
                                other,
                                notHeld());
                    }
                }
                return;
            }
            if (pending.holds(version)) {
                pending.forget(version);
                LOG.info("model {} written to the model cache at last, in {}", version, dir);
            }
            listener.modelReady(write.spec(), dir);
        }

        private String notHeld() {
            return String.format(
                    "the versions waiting to be written would hold over %.1f MiB of heap (those no"
                            + " assignment names go first, then the longest waiting); it stays"
                            + " refused until it is published again",
                    pending.maxBytes() / (1024.0 * 1024));
        }

        @Override
        public void refused(String version, ModelErrorReason reason, String message) {
            pending.forget(version);
            listener.modelRefused(version, reason, message);
        }

        @Override
        public void removed(String version) {
            pending.forget(version);
            // Said before the folder goes: a load still reading it is then known to be stale and
            // refuses nothing (after, it could fail on the missing files and report the version
            // invalid). A model loaded from it keeps its parameters in memory.
            listener.modelRemoved(version);
            Path dir = cacheDir.resolve(version);
            if (ownsCache() && Files.exists(dir.resolve(ModelSpec.FILE_NAME))) {
                deleteQuietly(dir);
            }
        }
    }
}
