package io.canvasflow.topology;

import io.canvasflow.cli.options.KafkaPreflight;
import io.canvasflow.model.EngineThreads;
import io.canvasflow.registry.ModelRegistryClient;
import io.canvasflow.registry.ModelRegistryException;
import io.canvasflow.schemas.KafkaClientFailure;
import io.canvasflow.schemas.StoreNames;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CanvasFlow Kafka Streams application: each camera's model from the model registry (or serve's
 * model directory), one segmenter per stream thread and model, {@code /metrics}, {@code /health}
 * and {@code /cameras} over HTTP.
 *
 * <p>Models: topics {@code models} and {@code model-assignments} ({@value
 * CanvasFlowConfig#TOPIC_MODELS}, {@value CanvasFlowConfig#TOPIC_MODEL_ASSIGNMENTS}), compacted,
 * read by a background consumer from the beginning ({@link FollowedModels}); a version this
 * instance refuses is reported on {@code model-errors} ({@value
 * CanvasFlowConfig#TOPIC_MODEL_ERRORS}) as a {@code ModelError}.
 *
 * <p>Input: topic {@code frames} ({@value CanvasFlowConfig#TOPIC_FRAMES}), key the camera id as a
 * UTF-8 string, value a {@code Frame} in Avro single-object encoding (camera id, sequence, capture
 * time, width, height, JPEG, PNG or RGB24 image bytes).
 *
 * <p>Output: topic {@code masks} ({@value CanvasFlowConfig#TOPIC_MASKS}), key the camera id, value
 * a {@code MaskEvent} in Avro single-object encoding, exactly one per frame (none for a duplicate):
 * the class map as an 8-bit indexed PNG with the model's class colours as palette, class fractions
 * and names, iterations, seeded or reset reason, skipped (latest-only mode), model id and version,
 * model time and end-to-end latency. Topic {@code frames-dlq} ({@value
 * CanvasFlowConfig#TOPIC_DLQ}), key the camera id when known, value a {@code DeadLetter} in Avro
 * single-object encoding: source topic, partition and offset, reason, message and the original
 * bytes.
 *
 * <p>State: {@code canvas-store} ({@link StoreNames#CANVAS_STORE}), camera id to {@code
 * CanvasState} (the last canvas as float16 logits), RocksDB with a compacted changelog.
 *
 * <p>Operations: an HTTP server without authentication serves {@code /metrics}, {@code /health},
 * {@code /health/live} and {@code /cameras} (which names the cameras) on port {@value
 * CanvasFlowConfig#HTTP_PORT} of {@value CanvasFlowConfig#HTTP_HOST}, every interface by default,
 * as Kubernetes' probes and Prometheus need; a program that embeds the application sets {@code
 * http.host=127.0.0.1} to keep it to this host.
 */
public final class CanvasFlowApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CanvasFlowApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long /health reads UP through a rebalance, and /health/live through a restore that makes
     * no progress.
     */
    private static final Duration REBALANCE_GRACE = Duration.ofSeconds(60);

    private final CanvasFlowConfig config;
    private final FollowedModels models;
    private final boolean staticMember;
    private final PrometheusMeterRegistry registry;
    private final CanvasFlowMetrics metrics;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final OpsHttpServer http;
    private final CompletableFuture<KafkaStreams.State> stopped = new CompletableFuture<>();
    private final CompletableFuture<Void> ranOnce = new CompletableFuture<>();
    private boolean closed;

    /** Why Kafka Streams was stopped by a failure no new thread gets past, if it was. */
    private volatile String failure;

    private CanvasFlowApp(CanvasFlowConfig config, FollowedModels models) {
        this.config = config;
        this.models = models;
        this.staticMember = StaticMembership.staysInGroup(config);
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new PerPartitionMeters());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        this.metrics = new CanvasFlowMetrics(registry);
        UncleanStop.recover(config); // before Kafka Streams finds the state corrupted
        this.streams = newStreams(config, models, metrics);
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        // Transactions, and so fencing, only under exactly-once (at_least_once counted no
        // commit-total in bench pipeline's runs).
        Health health =
                StreamsConfig.EXACTLY_ONCE_V2.equals(config.processingGuarantee())
                        ? new Health(
                                System::currentTimeMillis,
                                REBALANCE_GRACE.toMillis(),
                                () -> new Health.Progress(metrics.masks(), commitTotal()))
                        : new Health(System::currentTimeMillis, REBALANCE_GRACE.toMillis());
        // A restore keeps Kafka Streams REBALANCING; its progress keeps the instance alive
        streams.setGlobalStateRestoreListener(
                new RestoreLog(registry, System::currentTimeMillis, health::onRestore));
        ReplacedThreadLog replaced = new ReplacedThreadLog(System::currentTimeMillis);
        streams.setUncaughtExceptionHandler(
                e -> {
                    health.onThreadFailure(e);
                    Optional<String> fatal = ThreadFailures.fatal(e);
                    if (fatal.isPresent()) {
                        failure = fatal.get();
                        LOG.error(failure);
                        LOG.debug("the stream thread's failure", e);
                        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                    }
                    Optional<String> passing = ThreadFailures.passing(e);
                    if (passing.isPresent()) {
                        replaced.line(passing.get()).ifPresent(LOG::warn);
                        LOG.debug("the stream thread's failure", e);
                    } else {
                        LOG.error("a stream thread failed; replacing it", e);
                    }
                    return StreamThreadExceptionResponse.REPLACE_THREAD;
                });
        streams.setStateListener(
                (now, before) -> {
                    LOG.info("Kafka Streams state {} -> {}", before, now);
                    health.onState(now);
                    if (now == KafkaStreams.State.RUNNING) {
                        List<Integer> owned = ownedPartitions(config);
                        LOG.info(
                                "this instance owns {} partitions {}", config.framesTopic(), owned);
                        // a moved camera's series are the new owner's to export now
                        metrics.retainPartitions(owned);
                        ranOnce.complete(null);
                    }
                    if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                        stopped.complete(now);
                    }
                });
        try {
            this.http =
                    new OpsHttpServer(
                            config.httpHost(),
                            config.httpPort(),
                            () -> {
                                metrics.forgetIdleCameras();
                                return registry.scrape();
                            },
                            () ->
                                    health.status(
                                            streams.state(),
                                            models.stoppedBecause(),
                                            models.failing()),
                            () -> health.liveness(streams.state(), models.stoppedBecause()),
                            () -> camerasJson(config));
        } catch (RuntimeException e) {
            streams.close();
            throw e;
        }
    }

    /**
     * The commits (transactions, under exactly-once) of the stream threads running now: their
     * {@code commit-total}, which a replaced thread takes with it.
     *
     * @return the count
     */
    public double commitTotal() {
        double commits = 0;
        for (var e : streams.metrics().entrySet()) {
            if (e.getKey().name().equals("commit-total")
                    && e.getKey().group().equals("stream-thread-metrics")
                    && e.getValue().metricValue() instanceof Number n) {
                commits += n.doubleValue();
            }
        }
        return commits;
    }

    /** The frames partitions this instance's stream threads process now. */
    private List<Integer> ownedPartitions(CanvasFlowConfig config) {
        return streams.metadataForLocalThreads().stream()
                .flatMap(t -> t.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(tp -> tp.topic().equals(config.framesTopic()))
                .map(org.apache.kafka.common.TopicPartition::partition)
                .sorted()
                .toList();
    }

    /**
     * {@code /cameras}: the partitions owned now and the cameras segmented on them that sent a
     * frame within {@value CameraMeters#IDLE_MS} ms.
     */
    private String camerasJson(CanvasFlowConfig config) {
        List<Integer> owned = ownedPartitions(config);
        metrics.forgetIdleCameras();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("applicationId", config.applicationId());
        body.put("state", String.valueOf(streams.state()));
        body.put("partitions", owned);
        body.put(
                "cameras",
                metrics.cameras().stream().filter(c -> owned.contains(c.partition())).toList());
        return OpsHttpServer.json(body);
    }

    /**
     * Creates the topics if asked to, reads the model registry (when {@code models.follow} is on),
     * loads the model directory and the assigned models, and starts; as {@link
     * #start(CanvasFlowConfig, ModelSource)} with no model.
     *
     * @param config the settings
     * @return the running application; close it to stop
     * @throws io.canvasflow.model.ModelLoadException with one sentence when the model is bad or
     *     there is none
     * @throws IllegalArgumentException when no bootstrap servers are set
     * @throws IllegalStateException with one sentence when a check of this host or of the cluster
     *     fails, or topics cannot be created
     */
    public static CanvasFlowApp start(CanvasFlowConfig config) {
        return start(config, null);
    }

    /**
     * Starts with a model loaded elsewhere as the model of unassigned cameras; closing the
     * application does not close it. The dead letters are fitted to the dead-letter topic as the
     * cluster has it ({@link DeadLetterRoom}), mask events to the masks topic ({@link MaskRoom}),
     * and a pending-frames changelog made with a lower limit than the frames' is raised ({@link
     * ChangelogRoom}).
     *
     * <p>Before it loads a model, creates a topic or starts a Kafka client, it checks what serve
     * checks: that the HTTP server can listen at {@value CanvasFlowConfig#HTTP_HOST} and {@value
     * CanvasFlowConfig#HTTP_PORT}, that the state folder and, when it follows models, the models
     * cache folder can be written (it makes them), that no other instance holds the state folder,
     * and that the engine has the GPU that {@value CanvasFlowConfig#MODEL_DEVICE} may ask for; a
     * refusal there leaves nothing made. A record limit that a topic it is about to create would
     * not hold is refused before it creates any.
     *
     * <p>Once those pass it sets, for the whole JVM and unless already set, DJL's system properties
     * {@value EngineThreads#INTRA_OP} and {@value EngineThreads#INTER_OP} ({@link
     * EngineThreads#limit}), which PyTorch reads once, when its engine starts: a model passed in
     * started the engine already, so call {@code EngineThreads.limit(numStreamThreads,
     * Runtime.getRuntime().availableProcessors())} before loading it, or the engine keeps the
     * counts it started with (PyTorch's default: a thread per core), as the log then warns.
     *
     * @param settings the settings
     * @param model the model, or null to load {@code model.dir}
     * @return the running application
     * @throws io.canvasflow.model.ModelLoadException with one sentence when the model is bad or
     *     there is none
     * @throws IllegalArgumentException when no bootstrap servers are set
     * @throws IllegalStateException with one sentence when a check of this host or of the cluster
     *     fails (a port in use, a state folder another instance holds, a broker that does not
     *     answer, a missing topic), or topics cannot be created
     */
    public static CanvasFlowApp start(CanvasFlowConfig settings, ModelSource model) {
        List<String> created = new ArrayList<>();
        try {
            return start(settings, model, created);
        } catch (RuntimeException e) {
            ServeTopics.sayCreated(settings, created);
            throw e;
        }
    }

    private static CanvasFlowApp start(
            CanvasFlowConfig settings, ModelSource model, List<String> created) {
        requireBootstrap(settings);
        CanvasFlowConfig config = settings;
        String problem = HostChecks.problem(config);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        ModelSource fallback = model != null ? model : FollowedModels.loadFallback(config);
        EngineThreadsInEffect.say(HostChecks.engineThreads(config), config.numStreamThreads());
        try {
            Set<String> existing = preflight(config);
            if (config.topicsCreate()) {
                ServeTopics.requireRoom(config, existing);
                created.addAll(createTopics(config));
                if (config.modelsFollow()) {
                    created.addAll(ServeTopics.createRegistry(config));
                }
            }
            TopicLimits limits = TopicLimits.read(config);
            config = MaskRoom.fit(DeadLetterRoom.fit(config, limits), limits);
            ChangelogRoom.raise(config, limits);
        } catch (RuntimeException e) {
            if (model == null && fallback != null) {
                fallback.close();
            }
            throw e;
        }
        FollowedModels models;
        try {
            // From here on the models own the fallback they loaded, and close it on a failure.
            models = FollowedModels.start(config, fallback, model == null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the models", e);
        } catch (ModelRegistryException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        try {
            CanvasFlowApp app = new CanvasFlowApp(config, models);
            app.streams.start();
            LOG.info(
                    "CanvasFlow {} started: models {}, {} -> {} | {}, /metrics and /health on"
                            + " port {}",
                    config.applicationId(),
                    models.router().loadedVersions(),
                    config.framesTopic(),
                    config.masksTopic(),
                    config.dlqTopic(),
                    app.httpPort());
            return app;
        } catch (RuntimeException e) {
            models.close();
            throw e;
        }
    }

    private static KafkaStreams newStreams(
            CanvasFlowConfig config, FollowedModels models, CanvasFlowMetrics metrics) {
        try {
            return new KafkaStreams(
                    CanvasFlowTopology.buildTopology(
                            config, models.router(), metrics, System::currentTimeMillis),
                    CanvasFlowTopology.streamsConfig(config, metrics));
        } catch (StreamsException e) {
            // Kafka Streams locks STATE_DIR/APPLICATION_ID: a second instance on this host
            // with the same directory cannot start. serve asks before it starts anything
            // (StateFolderLock); this is for an instance that took the folder since, and for
            // other callers. Any other refusal (a state directory that cannot be written, say)
            // is said as Kafka says it.
            if (!String.valueOf(e.getMessage()).contains("same state directory")) {
                throw new IllegalStateException(
                        "Kafka Streams could not start: " + KafkaClientFailure.describe(e), e);
            }
            throw new IllegalStateException(StateFolderLock.inUse(config), e);
        }
    }

    /**
     * Checks, within {@value CanvasFlowConfig#STARTUP_TIMEOUT_MS}, that a Kafka broker answers at
     * the bootstrap servers, that, unless serve creates them, its topics exist, and that the
     * cluster has the brokers the Kafka property {@code replication.factor} asks of Kafka Streams'
     * own topics (otherwise every stream thread fails at its first rebalance, and is replaced, and
     * fails again).
     *
     * @param config the settings
     * @return which of the frames, masks and dead-letter topics and the store changelogs exist
     * @throws IllegalStateException with one sentence naming the address, the missing topic or the
     *     replication factor
     */
    public static Set<String> preflight(CanvasFlowConfig config) {
        List<String> topics =
                config.topicsCreate()
                        ? List.of()
                        : List.of(config.framesTopic(), config.masksTopic(), config.dlqTopic());
        List<String> changelogs = changelogs(config);
        List<String> described = new ArrayList<>(changelogs);
        described.addAll(List.of(config.framesTopic(), config.masksTopic(), config.dlqTopic()));
        KafkaPreflight.Cluster cluster;
        try {
            cluster =
                    KafkaPreflight.requireTopics(
                            FollowedModels.clientProperties(config),
                            topics,
                            described,
                            Duration.ofMillis(config.startupTimeoutMs()),
                            "pass --create-topics (topics.create=true) to create them with "
                                    + config.topicPartitions()
                                    + " partitions, or create them with kafka-topics.sh --create");
        } catch (KafkaPreflight.FailedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        String replication = config.kafkaProperties().get(StreamsConfig.REPLICATION_FACTOR_CONFIG);
        // validated against Streams' ConfigDef when the settings were read: an int, -1 for the
        // brokers' default
        if (replication != null && Integer.parseInt(replication.trim()) > cluster.brokers()) {
            throw new IllegalStateException(
                    "Kafka property "
                            + StreamsConfig.REPLICATION_FACTOR_CONFIG
                            + " is "
                            + replication.trim()
                            + " but the cluster at "
                            + config.bootstrapServers()
                            + " has "
                            + cluster.brokers()
                            + " broker(s), too few for Kafka Streams' changelog topics; set it"
                            + " to at most "
                            + cluster.brokers()
                            + ", or -1 for the brokers' default");
        }
        // A frames topic serve is about to create gets topic.partitions.
        Integer frames = cluster.partitions().get(config.framesTopic());
        if (frames != null && config.numStreamThreads() > frames) {
            LOG.warn(
                    "{} is {} but topic {} has {} partitions: a stream thread works one partition"
                            + " at least, so {} of them will stay idle; set it to at most {}",
                    CanvasFlowConfig.NUM_STREAM_THREADS,
                    config.numStreamThreads(),
                    config.framesTopic(),
                    frames,
                    config.numStreamThreads() - frames,
                    frames);
        }
        if (config.modelsFollow()) {
            // before serve creates any topic: a registry topic that would lose its models
            try {
                ModelRegistryClient.checkKept(
                        FollowedModels.clientProperties(config),
                        FollowedModels.registryTopics(config));
            } catch (ModelRegistryException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        requireChangelogsFit(
                config,
                frames != null ? frames : config.topicPartitions(),
                cluster.partitions(),
                changelogs);
        return Set.copyOf(cluster.partitions().keySet());
    }

    /** The changelog topics of this application's stores. */
    private static List<String> changelogs(CanvasFlowConfig config) {
        return java.util.stream.Stream.of(StoreNames.CANVAS_STORE, StoreNames.PENDING_FRAMES_STORE)
                .map(store -> StoreNames.changelog(config.applicationId(), store))
                .toList();
    }

    /**
     * Refuses a frames topic whose partition count is not that of this application's store
     * changelogs: Kafka Streams would fail every stream thread on it, replaced every few seconds
     * for ever, each with a stack trace. It happens when partitions are added to the frames topic,
     * or a topic of that name is made again, under an application that has run before.
     *
     * @throws IllegalStateException with one sentence that says what to do
     */
    private static void requireChangelogsFit(
            CanvasFlowConfig config,
            int frames,
            Map<String, Integer> partitions,
            List<String> changelogs) {
        for (String changelog : changelogs) {
            Integer stored = partitions.get(changelog);
            if (stored != null && stored != frames) {
                throw new IllegalStateException(
                        "topic "
                                + config.framesTopic()
                                + " has "
                                + frames
                                + " partitions but application "
                                + config.applicationId()
                                + "'s changelog "
                                + changelog
                                + " has "
                                + stored
                                + ", from when the topic had "
                                + stored
                                + ": Kafka Streams cannot run them together, and partitions cannot"
                                + " be taken away; reset the application with"
                                + " kafka-streams-application-reset.sh --application-id "
                                + config.applicationId()
                                + " (it deletes the changelogs: each camera's next frame starts"
                                + " from a zero canvas), or serve under another application.id");
            }
        }
    }

    /**
     * Creates the frames, masks and dead-letter topics with {@value
     * CanvasFlowConfig#TOPIC_PARTITIONS} partitions and {@value CanvasFlowConfig#TOPIC_REPLICATION}
     * replicas; existing topics are left as they are.
     *
     * @param config the settings
     * @return the topics it created
     * @throws IllegalStateException when a topic cannot be created; it then created none
     */
    public static List<String> createTopics(CanvasFlowConfig config) {
        requireBootstrap(config);
        return ServeTopics.create(config);
    }

    private static void requireBootstrap(CanvasFlowConfig config) {
        if (config.bootstrapServers().isBlank()) {
            throw new IllegalArgumentException(
                    "no Kafka bootstrap servers: set "
                            + CanvasFlowConfig.BOOTSTRAP_SERVERS
                            + " (or "
                            + CanvasFlowConfig.ENV_BOOTSTRAP_SERVERS
                            + ")");
        }
    }

    /** The Kafka Streams instance. */
    public KafkaStreams streams() {
        return streams;
    }

    /** The application's meters. */
    public CanvasFlowMetrics metrics() {
        return metrics;
    }

    /** The port of {@code /metrics} and {@code /health}. */
    public int httpPort() {
        return http.port();
    }

    /**
     * Why Kafka Streams stopped with an error, when it was a failure that no new stream thread gets
     * past ({@link ThreadFailures}).
     *
     * @return one sentence, or empty
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Completes once Kafka Streams has first run and this application has said so (its log lines of
     * the state and the owned partitions are written): Kafka Streams sets RUNNING before it calls
     * the state listener, so a caller that saw the state alone could print before them.
     *
     * @return the future
     */
    public CompletableFuture<Void> ranOnce() {
        return ranOnce;
    }

    /** Completes with ERROR or NOT_RUNNING once Kafka Streams has stopped. */
    public CompletableFuture<KafkaStreams.State> stopped() {
        return stopped;
    }

    /**
     * Stops Kafka Streams, leaving the consumer group unless it is a static member, then the HTTP
     * server, the meters and, if it loaded it, the model.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Kafka Streams stays in the consumer group on close by default. A dynamic member never
        // comes back under its member id, so its partitions would sit idle until the broker gives
        // up on it after session.timeout.ms (45 s by default); leaving hands them over at once.
        // A static member (group.instance.id) stays, so that a restart keeps its tasks.
        CloseOptions options =
                CloseOptions.timeout(CLOSE_TIMEOUT)
                        .withGroupMembershipOperation(
                                staticMember
                                        ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                                        : CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        // A clean close of tasks that were not failing leaves committed stores: the next start
        // keeps them (an ERROR state's tasks were closed dirty)
        boolean failing = streams.state() == KafkaStreams.State.ERROR;
        if (!streams.close(options)) {
            LOG.warn("Kafka Streams did not stop within {}", CLOSE_TIMEOUT);
        } else if (!failing) {
            UncleanStop.markClean(config);
        }
        http.close();
        streamsMetrics.close();
        registry.close();
        models.close();
        stopped.complete(streams.state());
    }
}
