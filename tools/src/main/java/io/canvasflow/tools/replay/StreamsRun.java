package io.canvasflow.tools.replay;

import io.canvasflow.model.SegmentationModel;
import io.canvasflow.tools.common.CorePlacement;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.tools.common.TemporaryStateDirs;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.ModelSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the CanvasFlow topology under a fresh application id, with fresh masks and dead-letter
 * topics and a fresh state directory, so that nothing from an earlier run (canvases, committed
 * offsets, masks) leaks into it; a {@link MaskCollector} reads its output. Closing it stops the
 * application, the collector and the model's segmenters (not the model), deletes the state
 * directory and, unless asked to keep them, the run's topics.
 */
public final class StreamsRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsRun.class);

    static {
        TemporaryStateDirs.quietWarning();
    }

    /**
     * The keys every run sets for itself ({@link #runSettings}), whatever its base says: a {@code
     * -D} of one of them would be overwritten.
     */
    public static final Set<String> RUN_SETTINGS =
            runSettings("run", "input", 1, Path.of("state")).keySet();

    private final CanvasFlowConfig config;
    private final ModelSource model;
    private final CanvasFlowApp app;
    private final MaskCollector collector;
    private final Path stateDir;
    private final List<String> ownTopics;
    private final boolean keepTopics;

    private StreamsRun(
            CanvasFlowConfig config,
            ModelSource model,
            CanvasFlowApp app,
            MaskCollector collector,
            Path stateDir,
            List<String> ownTopics,
            boolean keepTopics) {
        this.config = config;
        this.model = model;
        this.app = app;
        this.collector = collector;
        this.stateDir = stateDir;
        this.ownTopics = ownTopics;
        this.keepTopics = keepTopics;
    }

    /**
     * Starts the topology on an input topic.
     *
     * @param base the settings every run shares (bootstrap servers, Kafka properties, user
     *     overrides)
     * @param settings this run's own settings, applied last (iterations, threads, ...)
     * @param name a short name of the run, part of its ids, for example {@code seeded-2}
     * @param runId the id shared by the runs of one command
     * @param inputTopic the frames topic to read; created when missing
     * @param partitions partitions of the topics this run creates
     * @param ownInput whether the input topic belongs to this run (and is deleted with it)
     * @param model the model the run segments with; it stays open
     * @param cores where the topology's threads start (the mask collector's stays where the caller
     *     is)
     * @param listener gets every mask, on the collector's thread
     * @param keepTopics whether to leave the run's topics on the cluster when closing
     * @param beforeStart called with the run's configuration once its topics exist and before Kafka
     *     Streams starts (to pre-publish its input), or null
     * @return the running run
     */
    public static StreamsRun start(
            CanvasFlowConfig base,
            Map<String, String> settings,
            String name,
            String runId,
            String inputTopic,
            int partitions,
            boolean ownInput,
            SegmentationModel model,
            CorePlacement cores,
            Consumer<MaskCollector.Received> listener,
            boolean keepTopics,
            Consumer<CanvasFlowConfig> beforeStart) {
        String suffix = name.toLowerCase(Locale.ROOT) + "-" + runId;
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("canvasflow-" + suffix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory", e);
        }
        CanvasFlowConfig config = base;
        for (Map.Entry<String, String> e :
                runSettings(suffix, inputTopic, partitions, stateDir).entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : settings.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        List<String> ownTopics = new ArrayList<>(List.of(config.masksTopic(), config.dlqTopic()));
        if (ownInput) {
            ownTopics.add(inputTopic);
        }
        ModelSource source = ModelSource.of(model);
        CanvasFlowApp app = null;
        try {
            if (beforeStart != null) {
                CanvasFlowApp.createTopics(config);
                beforeStart.accept(config);
            }
            CanvasFlowConfig appConfig = config;
            app = cores.onProcessorCores(() -> CanvasFlowApp.start(appConfig, source));
            MaskCollector collector =
                    new MaskCollector(
                            KafkaClients.consumer(config, "canvasflow-collector-" + suffix),
                            config.masksTopic(),
                            config.dlqTopic(),
                            listener);
            return new StreamsRun(config, source, app, collector, stateDir, ownTopics, keepTopics);
        } catch (RuntimeException e) {
            if (app != null) {
                app.close();
            }
            source.close();
            deleteRecursively(stateDir);
            throw e;
        }
    }

    /** A run's own ids, topics and state directory, which nothing of an earlier run shares. */
    private static Map<String, String> runSettings(
            String suffix, String inputTopic, int partitions, Path stateDir) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(CanvasFlowConfig.APPLICATION_ID, "canvasflow-" + suffix);
        s.put(CanvasFlowConfig.TOPIC_FRAMES, inputTopic);
        s.put(CanvasFlowConfig.TOPIC_MASKS, "masks-" + suffix);
        s.put(CanvasFlowConfig.TOPIC_DLQ, "frames-dlq-" + suffix);
        s.put(CanvasFlowConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
        s.put(CanvasFlowConfig.TOPICS_CREATE, "true");
        // the model measured is the one given: a cluster's model assignments would replace it
        s.put(CanvasFlowConfig.MODELS_FOLLOW, "false");
        s.put(CanvasFlowConfig.STATE_DIR, stateDir.toString());
        s.put(CanvasFlowConfig.HTTP_PORT, "0");
        return Collections.unmodifiableMap(s);
    }

    /** This run's configuration, ids and topics included. */
    public CanvasFlowConfig config() {
        return config;
    }

    /** The running application. */
    public CanvasFlowApp app() {
        return app;
    }

    /** The collector of this run's masks. */
    public MaskCollector collector() {
        return collector;
    }

    /**
     * Waits until Kafka Streams is RUNNING, and if asked until every stream thread has tasks (a
     * thread may have none when there are fewer partitions than threads).
     *
     * @param timeout how long to wait
     * @param tasksOnEveryThread whether every thread must have a task
     * @throws IllegalStateException when it does not happen in time
     * @throws InterruptedException when interrupted
     */
    public void awaitRunning(Duration timeout, boolean tasksOnEveryThread)
            throws InterruptedException {
        awaitRunning(app, timeout, tasksOnEveryThread);
    }

    /**
     * Waits until an application's Kafka Streams is RUNNING, and if asked until every stream thread
     * has tasks: {@link #awaitRunning(Duration, boolean)} for an application started otherwise (the
     * demo's).
     *
     * @param app the application
     * @param timeout how long to wait
     * @param tasksOnEveryThread whether every thread must have a task
     * @throws IllegalStateException when it does not happen in time
     * @throws InterruptedException when interrupted
     */
    public static void awaitRunning(CanvasFlowApp app, Duration timeout, boolean tasksOnEveryThread)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams streams = app.streams();
            if (streams.state() == KafkaStreams.State.RUNNING
                    && app.ranOnce().isDone()
                    && (!tasksOnEveryThread
                            || streams.metadataForLocalThreads().stream()
                                    .allMatch(t -> !t.activeTasks().isEmpty()))) {
                return;
            }
            Optional<String> stopped = stopped(app);
            if (stopped.isPresent()) {
                throw new IllegalStateException(stopped.get());
            }
            // Often: a caller starts a measurement here, and a first frame takes 30 ms or more
            // from a zero canvas, so none is finished before this sees RUNNING.
            Thread.sleep(5);
        }
        throw new IllegalStateException(
                "Kafka Streams was not running"
                        + (tasksOnEveryThread ? " with tasks on every thread" : "")
                        + " after "
                        + timeout.toSeconds()
                        + " s (state "
                        + app.streams().state()
                        + ")");
    }

    /**
     * Whether this run's Kafka Streams has stopped by itself (ERROR), or been closed: a caller that
     * waits for masks would otherwise wait out its idle timeout for masks that never come.
     *
     * @return {@code Kafka Streams stopped before running: ERROR} (or {@code stopped: ERROR} after
     *     it ran), or empty while it runs or starts
     */
    public Optional<String> stopped() {
        return stopped(app);
    }

    private static Optional<String> stopped(CanvasFlowApp app) {
        KafkaStreams.State state = app.stopped().getNow(null);
        if (state == null) {
            return Optional.empty();
        }
        return Optional.of(
                "Kafka Streams stopped"
                        + (app.ranOnce().isDone() ? "" : " before running")
                        + ": "
                        + state);
    }

    /**
     * Dropped duplicates counted by the application so far.
     *
     * @return the count
     */
    public long duplicates() {
        return Math.round(app.metrics().duplicates());
    }

    @Override
    public void close() {
        collector.close();
        app.close();
        model.close();
        deleteRecursively(stateDir);
        if (!keepTopics) {
            deleteTopics(config, ownTopics);
        }
    }

    /**
     * Deletes a run's topics, its application's internal topics and its consumer group (the
     * application left it when it closed), so that a run on a cluster leaves nothing behind;
     * failures are logged. A run refused or stopped at its start may have made none of them: only
     * those there are deleted, and the group whatever happened to the topics.
     *
     * @param config the run's settings (the cluster, the application id)
     * @param ownTopics the topics the run made, or would have
     */
    public static void deleteTopics(CanvasFlowConfig config, List<String> ownTopics) {
        String group = config.applicationId();
        try (Admin admin = Admin.create(KafkaClients.admin(config))) {
            List<String> doomed = new ArrayList<>();
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (ownTopics.contains(topic) || topic.startsWith(group + "-")) {
                    doomed.add(topic);
                }
            }
            Exception topicsFailed = quietly(admin.deleteTopics(doomed).all());
            if (topicsFailed != null) {
                LOG.warn("could not delete the topics of {}: {}", group, topicsFailed.toString());
            }
            Exception groupFailed = deleteGroup(admin, group);
            if (groupFailed != null) {
                LOG.warn(
                        "could not delete the consumer group {} (the rest of the run is gone):"
                                + " {}; the broker removes it once it is empty and its committed"
                                + " offsets expire (offsets.retention.minutes)",
                        group,
                        groupFailed.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn(
                    "could not delete the topics and consumer group of {}: {}",
                    group,
                    e.toString());
        }
    }

    /**
     * Deletes the run's consumer group. A stream thread that stopped by itself (ERROR) stays a
     * member (Kafka Streams' consumers leave only when a close asks them to), and the group is not
     * empty until that member's session times out: a soak that stopped at once found it so and left
     * the group behind. The application is closed by now, so every member left is one of this
     * run's, and is removed first.
     *
     * @return what the deletion failed with, or null
     */
    private static Exception deleteGroup(Admin admin, String group) throws InterruptedException {
        Exception failed = quietly(admin.deleteConsumerGroups(List.of(group)).all());
        if (failed == null || !(failed.getCause() instanceof GroupNotEmptyException)) {
            return failed;
        }
        Exception removed =
                quietly(
                        admin.removeMembersFromConsumerGroup(
                                        group, new RemoveMembersFromConsumerGroupOptions())
                                .all());
        return removed != null
                ? removed
                : quietly(admin.deleteConsumerGroups(List.of(group)).all());
    }

    /**
     * Waits for a deletion; what it failed with, or null where it did or found nothing to delete (a
     * topic gone since the listing, a group the application never joined).
     */
    private static Exception quietly(KafkaFuture<Void> deletion) throws InterruptedException {
        try {
            deletion.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            boolean absent =
                    e.getCause() instanceof UnknownTopicOrPartitionException
                            || e.getCause() instanceof GroupIdNotFoundException;
            return absent ? null : e;
        } catch (TimeoutException e) {
            return e;
        }
    }

    static void deleteRecursively(Path dir) {
        try {
            Utils.delete(dir == null ? null : dir.toFile());
        } catch (IOException e) {
            LOG.debug("cannot delete {}", dir, e);
        }
    }
}
