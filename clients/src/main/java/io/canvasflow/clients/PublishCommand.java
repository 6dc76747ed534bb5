package io.canvasflow.clients;

import io.canvasflow.cli.options.BaseCommand;
import io.canvasflow.cli.options.CameraIds;
import io.canvasflow.cli.options.CommandConfigOptions;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.cli.options.ServeSettingNames;
import io.canvasflow.cli.options.TopicChoice;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code canvasflow publish}: publishes one or more cameras' frames to the frames topic.
 *
 * <pre>
 * canvasflow publish --bootstrap-servers localhost:9092 \
 *     --camera lobby=lobby.mp4 --camera door=rtsp://10.0.0.7/stream \
 *     --camera street=synthetic:3:200 --camera stills=./images --realtime
 * </pre>
 */
@Command(
        name = "publish",
        description = {
            "Publish camera frames to Kafka: video files, RTSP/HTTP streams, image folders or"
                    + " synthetic cameras, one thread per camera.",
            "SOURCE is a video path or URL, a folder of .jpg/.png images (name order), or"
                    + " synthetic:SCENE[:FRAMES] (a synthetic test-split street scene with ground"
                    + " truth).",
            "A live stream (a URL of no known duration or size, such as a camera's RTSP stream,"
                    + " or live:URL for one FFmpeg gives a length) that is lost or ends is opened"
                    + " again, after 1 s and then up to every 30 s, until publish is stopped or"
                    + " reaches --limit; it is not paced, and at --fps N at most N of its frames a"
                    + " second are sent, the others dropped."
        })
public final class PublishCommand extends BaseCommand {

    /** How long Kafka gets to take a live camera's frame, in ms. */
    static final int LIVE_DELIVERY_MS = 15_000;

    /** How long closing the producer waits for frames still pending, after the job's own wait. */
    static final Duration CLOSE_WITHIN = Duration.ofSeconds(2);

    /**
     * How long the JVM waits after Ctrl-C or SIGTERM for publish to finish and print its summary:
     * the job's bounded stop ({@link PublishJob#CAMERAS_STOP_WITHIN}, then {@link
     * PublishJob#ACKNOWLEDGED_WITHIN}), then {@link #CLOSE_WITHIN}, and a second to print.
     */
    static final Duration STOP_GRACE =
            PublishJob.CAMERAS_STOP_WITHIN
                    .plus(PublishJob.ACKNOWLEDGED_WITHIN)
                    .plus(CLOSE_WITHIN)
                    .plusSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(PublishCommand.class);

    /** The model registry's topics by their default names: no frames belong there. */
    private static final Set<String> REGISTRY_TOPICS =
            Set.of(
                    Topics.MODELS.name(),
                    Topics.MODEL_ASSIGNMENTS.name(),
                    Topics.MODEL_ERRORS.name());

    /** The job running, for the stop hook; null before it is built. */
    private volatile PublishJob running;

    private volatile boolean stopAsked;

    @Mixin KafkaOptions kafkaOptions;

    @Mixin CommandConfigOptions commandConfig;

    /** The environment variable read when {@code --bootstrap-servers} is not given. */
    public static final String BOOTSTRAP_ENV = KafkaOptions.BOOTSTRAP_ENV;

    @Option(
            names = "--topic",
            paramLabel = "NAME",
            converter = CliValues.TopicName.class,
            description =
                    "Topic to publish to (default: serve's frames topic, as serve reads it:"
                            + " CANVASFLOW_TOPIC_FRAMES, else topic.frames in --command-config,"
                            + " else frames).")
    String topic;

    @Option(
            names = "--camera",
            required = true,
            paramLabel = "ID=SOURCE",
            description = "A camera and its source; repeat for more cameras.")
    List<String> cameraSpecs = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    RateOptions rate;

    @Option(names = "--resize", paramLabel = "WxH", description = "Scale every frame to this size.")
    String resize;

    @Option(
            names = "--jpeg-quality",
            defaultValue = "85",
            paramLabel = "1-100",
            description = "JPEG quality (default: ${DEFAULT-VALUE}).")
    int jpegQuality;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Stop each camera after N frames, at least 1 (default: no limit).")
    Long limit;

    @Option(
            names = "--producer-property",
            paramLabel = "KEY=VALUE",
            description =
                    "A Kafka producer property, for example compression.type=zstd; it wins over"
                            + " --command-config.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(
            names = "--no-progress",
            description =
                    "Do not show the progress line (it is shown only when the command runs on a"
                            + " terminal).")
    boolean noProgress;

    /** How fast to publish; real time unless one is chosen. */
    static final class RateOptions {
        @Option(
                names = "--fps",
                paramLabel = "N",
                description = "Publish each camera at N frames per second.")
        Double fps;

        @Option(
                names = "--realtime",
                description = "Publish at each source's own frame rate (the default).")
        boolean realtime;

        @Option(names = "--max-rate", description = "Publish as fast as possible.")
        boolean maxRate;
    }

    /**
     * Publishes and prints the summary. Ctrl-C or SIGTERM stops the cameras; the JVM is held until
     * the summary, which counts the frames Kafka had not acknowledged, is printed.
     */
    @Override
    public Integer call() throws InterruptedException {
        try (GracefulStop stop = new GracefulStop("publish-shutdown", this::stop, STOP_GRACE)) {
            // rewritten in place twice a second: on a terminal only, not into a log file
            PublishResult result = publish(PublishJob.progressOnTerminal(err()));
            out().print(result.summary());
            out().flush();
            return result.succeeded() ? 0 : 1;
        }
    }

    /** Stops the job, or the job about to run. Thread-safe. */
    void stop() {
        stopAsked = true;
        PublishJob job = running;
        if (job != null) {
            job.stop();
        }
    }

    /**
     * Opens the sources and the publisher and runs the job; {@link #call()} adds the stop hook.
     *
     * @param progressOut where the progress line goes, unless {@code --no-progress}; null for none
     * @return what was published
     * @throws ParameterException when an option is missing or malformed, or a source cannot be
     *     opened
     * @throws InterruptedException when interrupted while publishing
     */
    public PublishResult publish(PrintWriter progressOut) throws InterruptedException {
        TopicChoice frames = framesTopic();
        validate(frames);
        Map<String, String> producer = producerConfig();
        int[] size = resize == null ? null : size(resize);
        FrameRate frameRate = frameRate();
        // Sources first: a mistyped path is reported before any connection is made.
        Map<String, FrameSource> sources = new LinkedHashMap<>();
        boolean started = false;
        try {
            for (Map.Entry<String, String> camera : cameras().entrySet()) {
                sources.put(camera.getKey(), open(camera.getKey(), camera.getValue()));
            }
            if (sources.values().stream().anyMatch(FrameSource::isLive)) {
                producer = forLiveCameras(producer);
            }
            if (frames.fromSettings()) {
                // serve's settings chose it: say which, since a flag would have been seen
                LOG.info("publishing to {}", frames);
            }
            // the builder checks the cluster and the topic, and reads the topic's limit
            FramePublisher publisher = publisher(frames.name(), size, producer);
            try {
                PublishJob.Builder job =
                        PublishJob.builder()
                                .setPublisher(publisher)
                                .optRate(frameRate)
                                .optLimit(limit == null ? 0 : limit);
                if (!noProgress && progressOut != null) {
                    job.optProgress(progressOut);
                }
                sources.forEach(job::addCamera);
                PublishJob built = job.build();
                running = built;
                if (stopAsked) {
                    built.stop();
                }
                started = true;
                return built.run();
            } finally {
                // the job waited for Kafka (bounded after a stop); what is still pending fails
                publisher.close(CLOSE_WITHIN);
            }
        } catch (RuntimeException | InterruptedException e) {
            // Once the job runs, each camera's thread closes its source (a live camera's own
            // reading thread may still be reading it); before, they are closed here.
            if (!started) {
                sources.values().forEach(FrameSource::close);
            }
            throw e;
        }
    }

    /**
     * The rate the options choose.
     *
     * @return the frame rate
     */
    FrameRate frameRate() {
        if (rate == null || rate.realtime) {
            return FrameRate.realtime();
        }
        if (rate.maxRate) {
            return FrameRate.max();
        }
        try {
            return FrameRate.fixed(rate.fps);
        } catch (IllegalArgumentException e) {
            throw usage("--fps: " + e.getMessage());
        }
    }

    private void validate(TopicChoice frames) {
        if (bootstrapServers() == null || bootstrapServers().isBlank()) {
            throw usage(
                    "Missing Kafka bootstrap servers: give --bootstrap-servers HOST:PORT or set "
                            + BOOTSTRAP_ENV);
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw usage("--jpeg-quality must be between 1 and 100, not " + jpegQuality);
        }
        if (limit != null && limit < 1) {
            // 0 is no "no limit": for a live camera that would be publishing forever
            throw usage(
                    "--limit must be at least 1, not " + limit + " (leave it out for no limit)");
        }
        if (REGISTRY_TOPICS.contains(frames.name())) {
            // Kafka takes them, and every serve would read them as unreadable registry records,
            // again at each start: the topics are compacted, so they stay
            throw usage(
                    (frames.fromSettings()
                                    ? frames.origin() + " names " + frames.name() + ", which"
                                    : "--topic " + frames.name())
                            + " is a model registry topic, not a frames topic; publish frames to"
                            + " the frames topic (the default) or another topic of frames");
        }
        cameras();
    }

    /**
     * The cameras by id, in the order given.
     *
     * @return each camera's source
     * @throws ParameterException when one is not ID=SOURCE, an id is one serve would not take or
     *     has a control character ({@link CameraIds}), or an id comes twice (a map option would
     *     keep the last source of an id without a word)
     */
    Map<String, String> cameras() {
        Map<String, String> byId = new LinkedHashMap<>();
        for (String spec : cameraSpecs) {
            int eq = spec.indexOf('=');
            String id = eq < 0 ? spec.trim() : spec.substring(0, eq).trim();
            String source = eq < 0 ? "" : spec.substring(eq + 1).trim();
            if (id.isEmpty() || source.isEmpty()) {
                throw usage(
                        "--camera expects ID=SOURCE but found '" + UrlCredentials.hide(spec) + "'");
            }
            String problem = CameraIds.problem(id);
            if (problem != null) {
                throw usage("--camera: the id '" + CameraIds.shown(id) + "' " + problem);
            }
            if (byId.putIfAbsent(id, source) != null) {
                throw usage("--camera " + id + " is given twice; give each camera one source");
            }
        }
        return byId;
    }

    /**
     * A live camera's frame is worth little late: unless the user chose a delivery timeout, Kafka
     * gets {@value #LIVE_DELIVERY_MS} ms to take it (the request timeout 10 s and the wait for
     * buffer room or metadata 5 s, unless given), not the producer's default of 2 minutes, after
     * which a backlog of old frames would go out in a burst when Kafka came back. The producer's
     * own rule, delivery at least linger plus request, is kept.
     */
    static Map<String, String> forLiveCameras(Map<String, String> producer) {
        Map<String, String> live = new LinkedHashMap<>(producer);
        if (live.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            return live;
        }
        live.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        live.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        try {
            long linger =
                    Long.parseLong(
                            live.getOrDefault(
                                            ProducerConfig.LINGER_MS_CONFIG,
                                            Integer.toString(FramePublisher.LINGER_MS))
                                    .trim());
            long request =
                    Long.parseLong(live.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG).trim());
            live.put(
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    Long.toString(Math.max(LIVE_DELIVERY_MS, linger + request)));
        } catch (NumberFormatException e) {
            // Kafka says what is wrong with the value given
        }
        return live;
    }

    /**
     * The producer's properties. A transactional id is refused: publish sends each frame as it
     * comes and never begins a transaction, so a transactional producer would refuse its first
     * frame and the final flush would wait for ever. Running cameras in transactions is no fix: a
     * live camera's transaction would have to be cut every few minutes (the broker's {@code
     * transaction.max.timeout.ms}), and read_committed readers would see its frames only then.
     */
    private Map<String, String> producerConfig() {
        Map<String, String> producer;
        try {
            producer = commandConfig.properties(producerProperties);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (producer.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
            throw usage(
                    (producerProperties.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
                                    ? "--producer-property "
                                    : "--command-config's ")
                            + ProducerConfig.TRANSACTIONAL_ID_CONFIG
                            + " is not for publish, which sends frames as they come and never in"
                            + " a transaction; leave it out (its producer is idempotent already)");
        }
        return producer;
    }

    private FramePublisher publisher(String topicName, int[] size, Map<String, String> producer) {
        Topic<String, Frame> frames = Topics.FRAMES.withName(topicName);
        FramePublisher.Builder builder =
                FramePublisher.builder()
                        .setBootstrapServers(bootstrapServers())
                        .optTopic(frames)
                        .optJpegQuality(jpegQuality / 100f)
                        .optProducerProperties(producer);
        if (size != null) {
            builder.optResize(size[0], size[1]);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // no broker, a missing topic, or a producer property or address Kafka refuses, in the
            // builder's one sentence
            throw usage(e.getMessage(), e);
        }
    }

    private FrameSource open(String cameraId, String source) {
        try {
            return FrameSources.open(source);
        } catch (FrameSourceException | IllegalArgumentException e) {
            throw usage("--camera " + cameraId + ": " + e.getMessage(), e);
        }
    }

    private int[] size(String value) {
        try {
            return CliValues.size(value, "--resize");
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * The topic: {@code --topic}, else serve's frames topic as serve resolves it from the
     * environment and {@code --command-config}, else {@code frames}.
     */
    private TopicChoice framesTopic() {
        try {
            return commandConfig.topic(
                    "--topic",
                    topic,
                    ServeSettingNames.TOPIC_FRAMES,
                    Topics.FRAMES.name(),
                    System.getenv());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The flag, else the environment's KAFKA_BOOTSTRAP_SERVERS, else null. */
    private String bootstrapServers() {
        return kafkaOptions.bootstrapServersOr(System.getenv());
    }
}
