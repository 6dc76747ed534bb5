package io.canvasflow.topology;

import io.canvasflow.model.ModelLoadException;
import io.canvasflow.registry.ModelFollower;
import io.canvasflow.registry.ModelRegistryClient;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.ModelError;
import io.canvasflow.schemas.avro.ModelErrorReason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of a serve instance: serve's model directory as the fallback, and, when {@code
 * models.follow} is on, a {@link ModelFollower} on the models and assignments topics feeding a
 * {@link ModelRouter}, with refused models reported to the {@code model-errors} topic.
 */
final class FollowedModels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FollowedModels.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final Duration WAIT_STEP = Duration.ofMillis(200);

    private final ModelRouter router;
    private final ModelFollower follower;
    private final KafkaProducer<String, ModelError> errors;

    private FollowedModels(
            ModelRouter router, ModelFollower follower, KafkaProducer<String, ModelError> errors) {
        this.router = router;
        this.follower = follower;
        this.errors = errors;
    }

    /**
     * Why this instance no longer follows the registry, if it does not.
     *
     * @return one sentence, or empty while it follows (or was not asked to)
     */
    Optional<String> stoppedBecause() {
        return follower == null ? Optional.empty() : follower.stoppedBecause();
    }

    /**
     * Since when this instance has been failing to read the registry, and on what, if it is.
     *
     * @return the failures going on now, or empty while it reads (or was not asked to follow)
     */
    Optional<ModelFollower.Failing> failing() {
        return follower == null ? Optional.empty() : follower.failing();
    }

    /** The router the topology segments with. */
    ModelRouter router() {
        return router;
    }

    /**
     * Reads the registry to its end, loads the fallback and the assigned models, and goes on
     * following.
     *
     * @param config the settings
     * @param fallback the model of cameras nothing assigns, or null
     * @param owned whether closing these models closes the fallback
     * @return the models
     * @throws ModelLoadException when {@code model.dir} is bad, or when there is no model at all
     */
    static FollowedModels start(CanvasFlowConfig config, ModelSource fallback, boolean owned)
            throws InterruptedException {
        if (!config.modelsFollow()) {
            if (fallback == null) {
                throw noModel(config);
            }
            return new FollowedModels(
                    owned
                            ? ModelRouter.following(
                                    null, fallback, true, config.modelDevice(), 1, (v, r, m) -> {})
                            : ModelRouter.fixed(fallback),
                    null,
                    null);
        }
        Map<String, Object> kafka = clientProperties(config);
        KafkaProducer<String, ModelError> errors = null;
        ModelFollower follower = null;
        ModelRouter router = null;
        try {
            // CanvasFlowApp checked the registry's topics (and made them) before anything else
            errors = errorProducer(kafka);
            follower =
                    new ModelFollower(
                            kafka,
                            config.modelsTopic(),
                            config.modelAssignmentsTopic(),
                            config.modelsCacheDir());
            router =
                    ModelRouter.following(
                            follower.catalog(),
                            fallback,
                            owned,
                            dir -> ModelSource.load(dir, config.modelDevice()),
                            config.modelsCacheSize(),
                            // a canvas kept is seeded by the model that made it
                            IdleCanvases.retentionMs(config),
                            reporter(errors, config, instanceId(config)));
            follower.start(router);
            if (!follower.awaitCaughtUp(CATCH_UP)) {
                LOG.warn(
                        "did not read topics {} and {} to their end within {}; going on",
                        config.modelsTopic(),
                        config.modelAssignmentsTopic(),
                        CATCH_UP);
            }
            follower.stoppedBecause()
                    .ifPresent(
                            why -> {
                                throw new IllegalStateException(why);
                            });
            router.preloadAssigned(CATCH_UP);
            sayIfTheDefaultWins(config, fallback, follower);
            if (!router.hasModel() && !awaitDefault(config, follower, router)) {
                throw noModel(config);
            }
            return new FollowedModels(router, follower, errors);
        } catch (RuntimeException | InterruptedException e) {
            if (follower != null) {
                follower.close();
            }
            if (errors != null) {
                errors.close(Duration.ofSeconds(5));
            }
            if (router != null) {
                router.close(); // closes the fallback when it owns it
            } else if (owned && fallback != null) {
                fallback.close();
            }
            throw e;
        }
    }

    /**
     * Says when a model directory the user named serves no camera: a default assignment on the
     * topic wins over it for every camera without one of its own (README "Models through Kafka").
     */
    private static void sayIfTheDefaultWins(
            CanvasFlowConfig config, ModelSource fallback, ModelFollower follower) {
        if (fallback == null || config.modelDirIsDefault()) {
            return;
        }
        String version = fallback.spec().version();
        follower.catalog()
                .defaultVersion()
                .flatMap(
                        assigned ->
                                defaultWins(
                                        config.modelDir(),
                                        version,
                                        follower.catalog().isPublished(version),
                                        assigned,
                                        config.modelAssignmentsTopic()))
                .ifPresent(LOG::warn);
    }

    /**
     * The sentence for a model directory that the default assignment overrules, if it does: not
     * when the default is the directory's own version; what to do next depends on whether that
     * version is published.
     *
     * @param dir the model directory named
     * @param version its model's version
     * @param published whether that version is on the models topic
     * @param assigned the version the default assignment names
     * @param topic the assignments topic
     * @return the sentence, or empty when the directory's model is the default
     */
    static Optional<String> defaultWins(
            Path dir, String version, boolean published, String assigned, String topic) {
        if (assigned.equals(version)) {
            return Optional.empty();
        }
        String todo =
                published
                        ? "assign its version "
                                + version
                                + ", published already (canvasflow models assign --camera ID"
                                + " --model "
                                + version
                                + ")"
                        : "publish and assign this model (canvasflow models publish DIR, then"
                                + " models assign)";
        return Optional.of(
                CanvasFlowConfig.MODEL_DIR
                        + " "
                        + dir
                        + " serves no camera: topic "
                        + topic
                        + " assigns "
                        + assigned
                        + " as the default, which every camera without an assignment of its own"
                        + " gets; "
                        + todo
                        + ", or unassign the default (canvasflow models unassign --default)");
    }

    /**
     * Loads serve's model directory, the model of cameras nothing assigns: before anything touches
     * Kafka, so that a bad model is the first thing said. A directory the user named must load; the
     * shipped default may be absent (an image without model files, served from the models topic).
     *
     * @param config the settings
     * @return the model, or null when there is no directory to load
     * @throws ModelLoadException with one sentence when the directory is bad
     */
    static ModelSource loadFallback(CanvasFlowConfig config) {
        boolean load =
                config.modelDir() != null
                        && (!config.modelDirIsDefault() || Files.exists(config.modelDir()));
        if (!load && !config.modelsFollow()) {
            throw noModel(config);
        }
        return load ? ModelSource.load(config.modelDir(), config.modelDevice()) : null;
    }

    /**
     * Waits up to {@code models.wait.ms} for a model to be assigned and loaded, as when a
     * deployment's job publishes the first model while its instances start.
     *
     * @return whether a model is loaded
     * @throws IllegalStateException when the follower stopped meanwhile
     */
    private static boolean awaitDefault(
            CanvasFlowConfig config, ModelFollower follower, ModelRouter router)
            throws InterruptedException {
        if (config.modelsWaitMs() <= 0) {
            return false;
        }
        LOG.info(
                "no model yet: waiting up to {} ms ({}) for one to be published and assigned as"
                        + " the default on topic {}",
                config.modelsWaitMs(),
                CanvasFlowConfig.MODELS_WAIT_MS,
                config.modelAssignmentsTopic());
        long deadline = System.nanoTime() + Duration.ofMillis(config.modelsWaitMs()).toNanos();
        while (!router.hasModel() && System.nanoTime() < deadline) {
            follower.stoppedBecause()
                    .ifPresent(
                            why -> {
                                throw new IllegalStateException(why);
                            });
            Thread.sleep(WAIT_STEP.toMillis());
        }
        return router.hasModel();
    }

    /** The sentence for an instance with no model at all: what would give it one. */
    private static ModelLoadException noModel(CanvasFlowConfig config) {
        if (config.modelDir() != null) {
            try {
                // The same sentence as for a bad model directory, with what else would do.
                ModelSource.load(config.modelDir(), config.modelDevice()).close();
            } catch (ModelLoadException e) {
                return new ModelLoadException(
                        e.getMessage()
                                + (config.modelDirIsDefault() ? defaultModelDir(config) : "")
                                + "; or publish a model and assign it to every camera with"
                                + " `canvasflow models assign --default --model VERSION`",
                        e);
            }
        }
        return new ModelLoadException(
                "no model to serve: "
                        + CanvasFlowConfig.MODEL_DIR
                        + " is blank and topic "
                        + config.modelAssignmentsTopic()
                        + (config.modelsFollow()
                                ? " assigns no loadable default"
                                        + (config.modelsWaitMs() > 0
                                                ? " after waiting "
                                                        + config.modelsWaitMs()
                                                        + " ms ("
                                                        + CanvasFlowConfig.MODELS_WAIT_MS
                                                        + ")"
                                                : "")
                                        + "; publish a model and run"
                                        + " `canvasflow models assign --default --model VERSION`,"
                                        + " or pass --model DIR"
                                : " is not followed (models.follow=false); pass --model DIR"));
    }

    /**
     * Where the default model directory is looked for: a program that embeds CanvasFlow runs
     * without the launcher, which names the CanvasFlow home, and its Maven artifacts ship no model.
     */
    private static String defaultModelDir(CanvasFlowConfig config) {
        return "; "
                + config.modelDir()
                + " is "
                + CanvasFlowConfig.MODEL_DIR
                + "'s default, looked for under the CanvasFlow home (the system property"
                + " canvasflow.home or CANVASFLOW_HOME, which the ./canvasflow launcher sets)"
                + (config.modelDir().isAbsolute() ? "" : ", else under the working directory")
                + ": set "
                + CanvasFlowConfig.MODEL_DIR
                + " to a model's directory";
    }

    static ModelRegistryClient.RegistryTopics registryTopics(CanvasFlowConfig config) {
        return new ModelRegistryClient.RegistryTopics(
                config.modelsTopic(), config.modelAssignmentsTopic(), config.modelErrorsTopic());
    }

    /** Bootstrap servers and the passed-through properties a plain client understands. */
    static Map<String, Object> clientProperties(CanvasFlowConfig config) {
        Map<String, Object> kafka = new HashMap<>();
        config.kafkaProperties()
                .forEach(
                        (k, v) -> {
                            if (ConsumerConfig.configNames().contains(k)
                                    || ProducerConfig.configNames().contains(k)) {
                                kafka.put(k, v);
                            }
                        });
        kafka.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        kafka.remove(ConsumerConfig.GROUP_ID_CONFIG);
        kafka.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        kafka.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return kafka;
    }

    private static KafkaProducer<String, ModelError> errorProducer(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.keySet().retainAll(ProducerConfig.configNames());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // A refusal is reported from the follower's or the loader's thread: never hold it up for
        // long when the topic is missing or the cluster slow (the refusal is logged regardless).
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        return new KafkaProducer<>(
                config, new StringSerializer(), AvroSerdes.modelError().serializer());
    }

    private static ModelRouter.ErrorSink reporter(
            KafkaProducer<String, ModelError> errors, CanvasFlowConfig config, String instance) {
        return (version, reason, message) -> {
            ModelError event =
                    ModelError.newBuilder()
                            .setModelVersion(version)
                            .setInstance(instance)
                            .setReason(reason == null ? ModelErrorReason.OTHER : reason)
                            .setMessage(message)
                            .setTimestamp(Instant.now())
                            .build();
            errors.send(
                    new ProducerRecord<>(config.modelErrorsTopic(), version, event),
                    (metadata, e) -> {
                        if (e != null) {
                            LOG.warn(
                                    "could not report to topic {}: {}",
                                    config.modelErrorsTopic(),
                                    e.getMessage());
                        }
                    });
        };
    }

    /**
     * {@code application.id@host/} and 8 random hex digits, drawn at each start: two instances on
     * one host are told apart, and a restarted one is a new instance to {@code models list}.
     */
    private static String instanceId(CanvasFlowConfig config) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return config.applicationId()
                + "@"
                + host
                + "/"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stops following, then closes the models it loaded. Call after Kafka Streams stopped. */
    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        router.close();
        if (errors != null) {
            errors.close(Duration.ofSeconds(5));
        }
    }
}
