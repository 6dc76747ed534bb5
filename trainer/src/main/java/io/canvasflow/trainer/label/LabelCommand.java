package io.canvasflow.trainer.label;

import io.canvasflow.cli.options.CameraIds;
import io.canvasflow.cli.options.CommandConfigOptions;
import io.canvasflow.cli.options.FileConverters;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.clients.CliValues;
import io.canvasflow.clients.FramePublisher;
import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.FrameSourceException;
import io.canvasflow.clients.FrameSources;
import io.canvasflow.clients.GracefulStop;
import io.canvasflow.clients.UrlCredentials;
import io.canvasflow.schemas.KafkaClientFailure;
import io.canvasflow.schemas.KafkaTopics;
import io.canvasflow.schemas.TopicSnapshot;
import io.canvasflow.schemas.Topics;
import io.canvasflow.trainer.UnusedOptions;
import io.canvasflow.trainer.data.DatasetException;
import io.canvasflow.trainer.data.SequenceRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canvasflow label}: labels a camera's unlabelled footage with a teacher and writes the
 * labelled frames to a topic (default {@code frames-labelled}) or a VOC folder, for {@code train
 * --data} and {@code evaluate --data}.
 */
@Command(
        name = "label",
        description =
                "Label footage with a teacher (motion: OpenCV background subtraction for a static"
                        + " camera; onnx:FILE: your own segmentation model) and write labelled"
                        + " frames to a topic or a VOC folder.")
public final class LabelCommand implements Callable<Integer> {

    private static final String TOPIC_PREFIX = "topic:";

    /** What every label run's transactional id starts with (for a prefixed ACL). */
    static final String TRANSACTIONAL_ID_PREFIX = "canvasflow-label-";

    /**
     * The longest transactional id made: Kafka's own bound is a short string's 32767 bytes; this
     * keeps an id as short as a topic name may be, readable in any tool's listing.
     */
    private static final int MAX_TRANSACTIONAL_ID = 249;

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/-]+");

    @Option(
            names = "--source",
            required = true,
            description =
                    "A video file, RTSP/HTTP URL, image folder, or topic:NAME (a frames topic;"
                            + " with --camera).")
    String source;

    @Option(
            names = "--camera",
            description = "Camera id of the labelled frames (default: the file name's stem).")
    String camera;

    @Option(
            names = "--frames",
            description =
                    "Only frames FROM-TO of the source, counted from 0 (default: all; a live"
                            + " stream's until Ctrl-C).")
    String frames;

    @Option(
            names = "--teacher",
            defaultValue = "motion",
            description = "motion or onnx:FILE (default ${DEFAULT-VALUE}).")
    String teacher;

    /** The options only an onnx:FILE teacher reads. */
    @Mixin OnnxOptions onnxOptions;

    @Option(
            names = "--moving-class",
            defaultValue = "moving",
            description =
                    "motion: the name of the moving class, e.g. person on a pedestrian street"
                            + " (default ${DEFAULT-VALUE}).")
    String movingClass;

    @Option(
            names = "--motion-algorithm",
            defaultValue = "mog2",
            description = "motion: mog2 or knn (default ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(
            names = "--warm-up",
            defaultValue = "30",
            description =
                    "motion: frames that only teach the background model, unlabelled"
                            + " (default ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(
            names = "--min-area",
            defaultValue = "120",
            description =
                    "motion: smallest moving blob in pixels; smaller ones are ignored"
                            + " (default ${DEFAULT-VALUE}).")
    int minArea;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Destination destination;

    /** Where the labelled frames go: a topic (the default) or a VOC folder, not both. */
    static final class Destination {
        @Option(
                names = "--to-topic",
                converter = CliValues.TopicName.class,
                description = "Topic for the labelled frames (default " + DEFAULT_TOPIC + ").")
        String toTopic;

        @Option(
                names = "--voc",
                converter = FileConverters.OutputFolder.class,
                description = "Write a VOC-layout folder here instead of a topic.")
        Path voc;
    }

    static final String DEFAULT_TOPIC = "frames-labelled";

    /** The VOC folder to write, or null for a topic. */
    Path voc() {
        return destination == null ? null : destination.voc;
    }

    /** The topic to write when there is no VOC folder. */
    String toTopic() {
        return destination == null || destination.toTopic == null
                ? DEFAULT_TOPIC
                : destination.toTopic;
    }

    @Mixin KafkaOptions kafka;

    @Mixin CommandConfigOptions commandConfig;

    @Spec CommandSpec spec;

    /** The options only the motion teacher reads. */
    private static final List<String> MOTION_ONLY =
            List.of("--moving-class", "--motion-algorithm", "--warm-up", "--min-area");

    /**
     * How long Ctrl-C or SIGTERM holds the JVM for the run to finish: the frame being labelled (an
     * ONNX teacher on a CPU takes seconds), the commit, and a created topic's deletion (up to 20
     * s).
     */
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    /** The topic this run created, if it did: deleted again when the run refuses. */
    private List<String> createdTopics = List.of();

    /** Where this run writes, once opened: what it committed before a failure stays. */
    private LabelJob.Sink sink;

    /** Set by Ctrl-C or SIGTERM: read no further frame and write what was labelled. */
    final AtomicBoolean stopRequested = new AtomicBoolean();

    @Override
    public Integer call() throws Exception {
        // (the catches are inside the hook's block: its close lets the JVM go, after the message)
        try (GracefulStop stop =
                new GracefulStop("label-shutdown", () -> stopRequested.set(true), STOP_GRACE)) {
            try {
                LabelJob.Result r = run();
                System.out.printf(
                        Locale.ROOT,
                        "Labelled %d of %d frames with %s: %s%n",
                        r.framesLabelled(),
                        r.framesRead(),
                        r.teacher(),
                        shares(r));
                if (r.framesWritten() > 0) {
                    System.out.println(
                            voc() != null
                                    ? "Wrote " + voc()
                                    : "Wrote topic " + toTopic() + " (committed)");
                }
                if (r.skipped() != null && !r.stopped()) {
                    System.err.println(
                            "canvasflow label: "
                                    + r.skipped()
                                    + (r.framesWritten() > 0
                                            ? "; every other frame is labelled and written"
                                            : ""));
                    return 1;
                }
                if (!r.stopped()) {
                    return 0;
                }
                if (r.framesWritten() == 0) {
                    dropCreatedTopic();
                }
                System.err.println(
                        "canvasflow label: stopped by Ctrl-C or SIGTERM after "
                                + r.framesRead()
                                + " frames read; "
                                + stopped(r));
                return 130;
            } catch (TeacherException
                    | DatasetException
                    | FrameSourceException
                    | IllegalArgumentException
                    | KafkaException e) {
                // A Kafka failure mid-run too (a second run for this camera fenced this one, a
                // record over the topic's limit, a timeout): one sentence, and what stays.
                dropCreatedTopic();
                long kept = sink == null ? 0 : sink.checkpointed();
                System.err.println(
                        "canvasflow label: "
                                + (e instanceof KafkaException k
                                        ? "Kafka failed: " + KafkaClientFailure.describe(k)
                                        : e.getMessage())
                                + (kept > 0
                                        ? "; the "
                                                + kept
                                                + " frames committed before it stay in topic "
                                                + toTopic()
                                        : ""));
                return e instanceof KafkaException ? 1 : 2;
            }
        }
    }

    /** What a stopped run wrote. */
    private String stopped(LabelJob.Result r) {
        if (r.framesWritten() > 0) {
            return "the "
                    + r.framesWritten()
                    + " frames labelled are written"
                    + (voc() != null ? " to " + voc() : " to topic " + toTopic());
        }
        return r.framesLabelled() == 0
                ? "nothing was written"
                : "nothing was written, as the teacher had labelled nothing but "
                        + r.classes().name(0);
    }

    /**
     * The topic this run created and, refusing, left empty: it goes, as if never made. Only when a
     * committed read finds nothing in it and no transaction is open on it: another camera's
     * labelling run may have committed into it meanwhile, or be writing its first transaction, and
     * a commit that timed out may still have landed.
     */
    private void dropCreatedTopic() {
        if (createdTopics.isEmpty()) {
            return;
        }
        Map<String, Object> client = adminClient();
        if (KafkaTopics.hasOpenTransaction(client, toTopic(), Duration.ofSeconds(5))) {
            return;
        }
        try {
            Map<String, Object> config = TopicSnapshot.consumerConfig(client);
            if (!TopicSnapshot.take(config, toTopic(), TopicSnapshot.WHOLE)
                    .head(config, 1, Duration.ofSeconds(5))
                    .isEmpty()) {
                return;
            }
        } catch (RuntimeException e) {
            return; // cannot tell whether it is empty: it stays
        }
        KafkaTopics.deleteCreated(client, createdTopics, Duration.ofSeconds(15))
                .forEach(name -> System.out.println("Deleted topic " + name + ", left empty"));
    }

    /** Validates everything, then labels. */
    LabelJob.Result run() throws java.io.IOException {
        // first: an option the teacher does not read is refused as such, whatever its value
        refuseOtherTeachersOptions();
        onnxOptions.check();
        SequenceRange range =
                frames == null ? SequenceRange.ALL : SequenceRange.parse(frames, "--frames");
        String cameraId = camera != null ? camera : stem(source);
        checkCameraId(cameraId);
        // the teacher's settings, its class names among them, before a cluster or file is touched
        MotionTeacher.Settings motion = motionSettings();
        OnnxTeacher.Settings onnx =
                teacher.startsWith(Teachers.ONNX_PREFIX)
                        ? onnxOptions.settings(
                                Path.of(teacher.substring(Teachers.ONNX_PREFIX.length())))
                        : null;
        if (voc() == null && (servers() == null || servers().isBlank())) {
            throw new IllegalArgumentException(
                    "give --bootstrap-servers HOST:PORT to write topic "
                            + toTopic()
                            + ", or --voc DIR to write a folder");
        }
        // The cluster first, when one is used, before the teacher loads or a topic is read
        if (voc() == null || source.startsWith(TOPIC_PREFIX)) {
            String unreachable = commandConfig.unreachable(servers());
            if (unreachable != null) {
                throw new IllegalArgumentException(unreachable);
            }
        }
        try (Teacher t = Teachers.open(teacher, motion, onnx);
                FrameSource frameSource = open(cameraId, range);
                LabelJob.Sink opened = sink(t, cameraId)) {
            this.sink = opened;
            return LabelJob.run(
                    frameSource, cameraId, range, t, opened, System.out, stopRequested::get);
        }
    }

    private FrameSource open(String cameraId, SequenceRange range) {
        if (!source.startsWith(TOPIC_PREFIX)) {
            // a lost stream ends the labelling, which then commits what it read
            return FrameSources.open(source, false);
        }
        if (camera == null) {
            throw new IllegalArgumentException(
                    "--source " + source + " needs --camera ID: a topic holds many cameras");
        }
        if (servers() == null || servers().isBlank()) {
            throw new IllegalArgumentException(
                    "--source " + source + " needs --bootstrap-servers HOST:PORT");
        }
        return new TopicFrameSource(
                commandConfig.client(servers()),
                source.substring(TOPIC_PREFIX.length()),
                cameraId,
                range);
    }

    /** Options given for the teacher this run does not use: refused, not ignored. */
    private void refuseOtherTeachersOptions() {
        boolean onnx =
                teacher.startsWith(Teachers.ONNX_PREFIX)
                        && teacher.length() > Teachers.ONNX_PREFIX.length();
        if (!onnx && !"motion".equals(teacher)) {
            return; // an unknown teacher: Teachers.open says so
        }
        UnusedOptions unused = new UnusedOptions();
        for (String name : onnx ? MOTION_ONLY : OnnxOptions.NAMES) {
            unused.add(
                    spec != null && spec.commandLine().getParseResult().hasMatchedOption(name),
                    name);
        }
        unused.refuseWith(
                onnx ? "the motion teacher" : "an onnx:FILE teacher", "--teacher " + teacher);
    }

    /**
     * The camera id names the frames in a topic and the files of a VOC folder alike: not blank, and
     * for a folder a file name, not a path (FramePublisher refuses a blank one too, but only at the
     * first frame, after the teacher loaded and the topic was made).
     */
    private void checkCameraId(String cameraId) {
        // the ids publish and models assign take (not blank, serve's length, on one line)
        // named after --source where --camera is not given: the sentence says where it came from
        String whose =
                camera != null
                        ? "--camera: the id '"
                        : "the camera id taken from --source (give --camera ID), '";
        String problem = CameraIds.problem(cameraId);
        if (problem != null) {
            throw new IllegalArgumentException(whose + CameraIds.shown(cameraId) + "' " + problem);
        }
        if (voc() != null && (cameraId.contains("/") || cameraId.contains("\\"))) {
            throw new IllegalArgumentException(
                    whose
                            + CameraIds.shown(cameraId)
                            + "' names the files of the --voc folder and cannot hold / or \\; give"
                            + " an id without them");
        }
    }

    private MotionTeacher.Settings motionSettings() {
        MotionTeacher.Settings d = MotionTeacher.Settings.defaults();
        return new MotionTeacher.Settings(
                algorithm, d.history(), warmUp, minArea, d.border(), movingClass);
    }

    private LabelJob.Sink sink(Teacher t, String cameraId) throws java.io.IOException {
        if (voc() != null) {
            return LabelJob.vocSink(voc(), t.classes());
        }
        // described once the teacher has seen the first frame (how an ONNX output is read)
        String hidden = UrlCredentials.hide(source);
        Supplier<Map<String, String>> metadata =
                () -> LabelJob.metadata(t.classes(), t.description(), hidden);
        // the producer next: a property Kafka refuses is said before any topic is made (the
        // preflight checks only the admin client's)
        FramePublisher publisher;
        try {
            publisher =
                    FramePublisher.builder()
                            .setBootstrapServers(servers())
                            .optProducerProperties(commandConfig.properties())
                            .optTopic(Topics.FRAMES_LABELLED.withName(toTopic()))
                            .optTransactionalId(transactionalId(toTopic(), cameraId))
                            // ensureTopic makes it next, unlike publish's frames topic
                            .optCheckTopic(false)
                            .build();
        } catch (KafkaException e) {
            throw new IllegalArgumentException(KafkaClientFailure.describe(e), e);
        }
        try {
            ensureTopic();
            return new TopicSink(
                    publisher, metadata, LabelJob.Batching.within(transactionTimeout()));
        } catch (RuntimeException e) {
            publisher.close(); // the sink that would close it is not made
            throw e;
        }
    }

    /**
     * How long a transaction may stay open: the producer's {@code transaction.timeout.ms} where
     * {@code --command-config} sets it, else FramePublisher's 15 minutes.
     */
    private Duration transactionTimeout() {
        String set =
                String.valueOf(
                        commandConfig
                                .properties()
                                .getOrDefault(
                                        org.apache.kafka.clients.producer.ProducerConfig
                                                .TRANSACTION_TIMEOUT_CONFIG,
                                        ""));
        try {
            return set.isBlank()
                    ? FramePublisher.TRANSACTION_TIMEOUT
                    : Duration.ofMillis(Long.parseLong(set.trim()));
        } catch (NumberFormatException e) {
            return FramePublisher.TRANSACTION_TIMEOUT; // the producer refused it already
        }
    }

    /** The cluster's client settings, for the admin calls that make and delete the topic. */
    private Map<String, Object> adminClient() {
        return new HashMap<>(commandConfig.client(servers()));
    }

    /** Creates the topic when it is missing (one partition: labelled data is small). */
    private void ensureTopic() {
        NewTopic topic =
                new NewTopic(toTopic(), Optional.of(1), Optional.empty())
                        .configs(
                                Map.of(
                                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                        String.valueOf(FramePublisher.MAX_REQUEST_BYTES)));
        try {
            createdTopics =
                    KafkaTopics.createIfAbsent(
                            adminClient(), List.of(topic), Duration.ofSeconds(15));
            createdTopics.forEach(name -> System.out.println("Created topic " + name));
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String shares(LabelJob.Result r) {
        long total = 0;
        for (long p : r.pixelsPerClass()) {
            total += p;
        }
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < r.classes().size(); c++) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%s %.2f%%, ",
                            r.classes().name(c),
                            100.0 * r.pixelsPerClass()[c] / Math.max(1, total)));
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        "ignored %.2f%% of pixels",
                        100.0 * r.pixelsPerClass()[255] / Math.max(1, total)));
        return out.toString();
    }

    /**
     * The producer's transactional id: one per topic and camera, so that runs for two cameras write
     * side by side (an id shared with a run that began later fences the earlier one, which then
     * fails at its commit after all its work), while a second run for the same camera fences the
     * first. A camera id with characters outside {@code [A-Za-z0-9._/-]}, or too long, is replaced
     * and cut, with a digest of the exact topic and camera added so that two such ids stay apart.
     */
    static String transactionalId(String topic, String cameraId) {
        // '/' cannot be in a topic's name: topic "a-b" with camera "c" and topic "a" with camera
        // "b-c" get ids of their own
        String plain = TRANSACTIONAL_ID_PREFIX + topic + "/" + cameraId;
        if (plain.length() <= MAX_TRANSACTIONAL_ID && SAFE.matcher(plain).matches()) {
            return plain;
        }
        String digest;
        try {
            byte[] sha =
                    MessageDigest.getInstance("SHA-256")
                            .digest((topic + "\n" + cameraId).getBytes(StandardCharsets.UTF_8));
            digest = HexFormat.of().formatHex(sha, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        String safe = plain.replaceAll("[^A-Za-z0-9._/-]", "-");
        return safe.substring(0, Math.min(safe.length(), MAX_TRANSACTIONAL_ID - 13)) + "-" + digest;
    }

    static String stem(String source) {
        // a stream's user and password are not part of its name (rtsp://admin:pw@cam is "cam")
        String named = source.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\\s]*@", "$1");
        String name = Path.of(named.replaceAll("[/\\\\]+$", "")).getFileName().toString();
        int dot = name.lastIndexOf('.');
        String s = dot > 0 ? name.substring(0, dot) : name;
        return s.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    /** The cluster: {@code --bootstrap-servers}, else {@value KafkaOptions#BOOTSTRAP_ENV}. */
    private String servers() {
        return kafka.bootstrapServersOr(System.getenv());
    }
}
