package io.canvasflow.tools.replay;

import io.canvasflow.cli.options.BaseCommand;
import io.canvasflow.cli.options.ConfigOptions;
import io.canvasflow.cli.options.FileConverters;
import io.canvasflow.cli.options.IdleTimeoutOptions;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.cli.options.ModelOptions;
import io.canvasflow.cli.options.VideoOptions;
import io.canvasflow.clients.CliValues;
import io.canvasflow.clients.GracefulStop;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.tools.common.BenchRun;
import io.canvasflow.tools.common.CameraIds;
import io.canvasflow.tools.common.Footage;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.tools.common.LatencyProbe;
import io.canvasflow.tools.common.LatencyProbeOptions;
import io.canvasflow.tools.common.StartChecks;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code canvasflow replay}: replays a frames topic through the topology once per mode (seeded 2
 * iterations, zero canvas 2 and 6, feed-forward baseline) and writes their quality and cost side by
 * side. Without {@code --bootstrap-servers} it is self-contained: an embedded broker, synthetic
 * cameras with ground truth (and/or {@code --video}) published first, then the replay.
 */
@Command(
        name = "replay",
        // -D's text: the settings the runs set themselves are refused (OwnedSettings)
        resourceBundle = "io.canvasflow.tools.replay.OwnedSettingsHelp",
        sortOptions = false,
        description = {
            "Replays a frames topic (whole, or an offset/time range) through the topology under a"
                    + " fresh application id, once per mode: seeded-2, zero-2, zero-6,"
                    + " feed-forward. Reports mIoU against the ground truth published with the"
                    + " frames, temporal flicker, model ms and GFLOPs per frame, end-to-end"
                    + " frames/s and latency p50/p99, as JSON, Markdown and PNG plots.",
            "Without --bootstrap-servers: starts an embedded broker and publishes --cameras"
                    + " synthetic cameras with ground truth (and --video, if given) first."
        })
public final class ReplayCommand extends BaseCommand {

    @Mixin KafkaOptions kafkaOptions;

    @Mixin ModelOptions modelOptions;

    @Mixin ConfigOptions configOptions;

    @Option(
            names = "--topic",
            defaultValue = "frames",
            converter = CliValues.TopicName.class,
            description = "Frames topic to replay (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(
            names = "--from-offset",
            paramLabel = "N",
            description = "First offset to replay, on every partition.")
    Long fromOffset;

    @Option(
            names = "--to-offset",
            paramLabel = "N",
            description = "Offset to stop before, on every partition.")
    Long toOffset;

    @Option(
            names = "--from-time",
            paramLabel = "TIME",
            converter = InstantConverter.class,
            description = "Replay records from this time (ISO-8601 instant or epoch ms).")
    Instant fromTime;

    @Option(
            names = "--to-time",
            paramLabel = "TIME",
            converter = InstantConverter.class,
            description = "Replay records before this time (ISO-8601 instant or epoch ms).")
    Instant toTime;

    @Option(
            names = "--cameras",
            paramLabel = "N",
            description =
                    "Synthetic cameras (with ground truth) to publish first. Default: 4 when"
                            + " self-contained without --video, else 0.")
    Integer cameras;

    @Option(
            names = "--frames",
            defaultValue = "60",
            description = "Frames per synthetic camera (default ${DEFAULT-VALUE}).")
    int frames;

    @Mixin VideoOptions videoOptions;

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description =
                    "Partitions of the topic when this command creates it (default"
                            + " ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--modes",
            split = ",",
            paramLabel = "MODE",
            description = "Modes to run, in order (default: seeded-2,zero-2,zero-6,feed-forward).")
    List<String> modes;

    @Option(
            names = "--baseline",
            paramLabel = "DIR",
            description = "Feed-forward baseline (default: the shipped models/ff).")
    Path baseline;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "Kafka Streams threads per run (default ${DEFAULT-VALUE}).")
    int threads;

    @Mixin LatencyProbeOptions latencyOptions;

    @Mixin IdleTimeoutOptions idleTimeoutOptions;

    @Option(
            names = "--report",
            defaultValue = "reports/replay",
            converter = FileConverters.DefaultedOutputFolder.class,
            description =
                    "Folder for replay.json, replay.md and the PNG plots (default"
                            + " ${DEFAULT-VALUE}).")
    Path report;

    @Option(
            names = "--keep-topics",
            description =
                    "With --bootstrap-servers, keep each mode's topics on the cluster (they are"
                            + " deleted at the end by default).")
    boolean keepTopics;

    /**
     * Everything a replay needs, as the command line gives it.
     *
     * @param cluster where the frames are and the modes run
     * @param footage what is published to the topic first
     * @param run the modes and how each runs
     * @param latency the latency probe after each mode
     * @param report the report folder
     * @param configFile a properties file, or null
     * @param overrides settings for every mode
     */
    public record Settings(
            Cluster cluster,
            Footage footage,
            Run run,
            LatencyProbe latency,
            Path report,
            Path configFile,
            Map<String, String> overrides) {}

    /**
     * The cluster and the frames topic.
     *
     * @param bootstrapServers the cluster, or null for an embedded broker
     * @param topic the frames topic
     * @param range the records to replay
     * @param partitions partitions of the topic when created here
     * @param keepTopics whether to keep the modes' topics
     */
    public record Cluster(
            String bootstrapServers,
            String topic,
            FrameRange range,
            int partitions,
            boolean keepTopics) {}

    /**
     * The modes replayed and how each runs.
     *
     * @param modes the modes, in order
     * @param model the recurrent model, or null for the configured one
     * @param baseline the feed-forward model, or null for the shipped one
     * @param threads Kafka Streams threads per run
     * @param idleTimeout how long a mode may make no progress
     */
    public record Run(
            List<ReplayMode> modes, Path model, Path baseline, int threads, Duration idleTimeout) {}

    /**
     * What a replay produced.
     *
     * @param result the figures
     * @param files the report files written
     */
    public record Outcome(ReplayResult result, List<Path> files) {}

    /**
     * The exit status of a finished replay: 0 when every mode got a mask for every frame and for
     * every latency probe frame, and every check passed, else 1 (as for any figure that is not
     * fully measured: a script that checks the status then does not take it as one), with one line
     * on standard error for each reason.
     *
     * @param modes the modes' figures
     * @param checks the report's checks
     * @param err where the reasons go
     * @return 0 or 1
     */
    static int exitStatus(
            List<ModeResult> modes, List<ReplayResult.Check> checks, PrintWriter err) {
        boolean complete = modes.stream().allMatch(m -> m.counts().complete());
        if (!complete) {
            err.println(
                    "canvasflow replay: a mode did not get a mask for every frame before the"
                            + " idle timeout; its figures cover what arrived");
        }
        boolean probed = true;
        for (ModeResult m : modes) {
            if (!m.latency().complete()) {
                probed = false;
                err.println("canvasflow replay: " + m.mode() + ": " + m.latency().incompleteLine());
            }
        }
        List<String> failed =
                checks.stream()
                        .filter(c -> !c.pass())
                        .map(ReplayResult.Check::description)
                        .toList();
        if (!failed.isEmpty()) {
            err.println("canvasflow replay: check(s) failed: " + String.join("; ", failed));
        }
        return complete && probed && failed.isEmpty() ? 0 : 1;
    }

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        Settings settings = settings();
        // On Ctrl-C or SIGTERM: interrupt the replay, so that it stops its topology and broker and
        // deletes their temporary folders (tens of MB) before the JVM goes.
        Thread replaying = Thread.currentThread();
        try (GracefulStop stop =
                new GracefulStop("replay-shutdown", replaying::interrupt, Duration.ofSeconds(60))) {
            return BenchRun.exitCode(
                    "canvasflow replay",
                    "the report",
                    out,
                    err,
                    () -> {
                        Outcome outcome = replay(settings, out);
                        return exitStatus(outcome.result().modes(), outcome.result().checks(), err);
                    });
        }
    }

    private Settings settings() {
        FrameRange range;
        try {
            range = new FrameRange(fromOffset, toOffset, fromTime, toTime);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        refuseIf(StartChecks.keepTopicsProblem(keepTopics, kafkaOptions.bootstrapServers()));
        refuseIf(videoOptions.problem());
        refuseIf(StartChecks.videoProblem(videoOptions.video()));
        require(threads >= 1, "--threads", ">= 1", threads);
        refuseIf(latencyOptions.problem());
        int synthetic =
                cameras != null
                        ? cameras
                        : (kafkaOptions.bootstrapServers() == null && videoOptions.video() == null
                                ? 4
                                : 0);
        if (synthetic < 0 || frames < 1 || partitions < 1 || videoOptions.videoFrames() < 0) {
            throw usage(
                    "expected --cameras >= 0, --frames >= 1, --partitions >= 1 and --video-frames"
                            + " >= 0");
        }
        if (kafkaOptions.bootstrapServers() == null) {
            // an embedded broker's topic is made here; a cluster's may be there already, with
            // other partitions: checked against it before anything is made or published
            refuseIf(StartChecks.threadsProblem(threads, partitions, topic));
        }
        if (kafkaOptions.bootstrapServers() == null
                && synthetic == 0
                && videoOptions.video() == null) {
            throw usage(
                    "an embedded broker starts empty: give --cameras N or --video FILE, or"
                            + " --bootstrap-servers of a cluster that holds the frames");
        }
        List<ReplayMode> chosen = new ArrayList<>();
        try {
            if (modes == null) {
                chosen.addAll(ReplayMode.standard());
            } else {
                modes.forEach(m -> chosen.add(ReplayMode.named(m)));
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        // each mode's runs, topics and plot series are named after it: a second run of one mode
        // would share its application id and fail the report at its plots
        for (int i = 0; i < chosen.size(); i++) {
            if (chosen.indexOf(chosen.get(i)) < i) {
                throw usage(
                        "--modes names " + chosen.get(i).name() + " twice; name each mode once");
            }
        }
        for (String problem :
                Arrays.asList(
                        OwnedSettings.problem(
                                "canvasflow replay",
                                configOptions.overrides(),
                                chosen,
                                "--threads sets it"),
                        StartChecks.modelSettingProblem(
                                modelOptions.model(), configOptions.overrides()),
                        StartChecks.modelProblem(modelOptions.model(), "--model"),
                        StartChecks.modelProblem(baseline, "--baseline"),
                        FileConverters.folderProblem(report, "--report"),
                        StartChecks.settingsProblem(
                                configOptions.configFile(), configOptions.overrides()))) {
            if (problem != null) {
                throw usage(problem);
            }
        }
        // the settings built above without a problem (settingsProblem), so this builds too: with
        // the -D settings, which may mend a bad file or variable value
        CanvasFlowConfig config =
                CanvasFlowConfig.builder()
                        .optFile(configOptions.configFile())
                        .optEnvironment(System.getenv())
                        .opt(configOptions.overrides())
                        .build();
        ReplacedSettings.say("canvasflow replay", ReplacedSettings.byModes(config, chosen), err());
        if (kafkaOptions.bootstrapServers() != null) {
            // With the security settings of --config and -D: a secured cluster answers only to
            // them.
            String unreachable =
                    KafkaOptions.preflight(
                            kafkaOptions.bootstrapServers(),
                            config.kafkaProperties(),
                            List.of(),
                            "");
            if (unreachable != null) {
                throw usage(unreachable);
            }
        }
        try {
            return new Settings(
                    new Cluster(
                            kafkaOptions.bootstrapServers(), topic, range, partitions, keepTopics),
                    new Footage(
                            synthetic, frames, videoOptions.video(), videoOptions.videoFrames()),
                    new Run(
                            chosen,
                            modelOptions.model(),
                            baseline,
                            threads,
                            idleTimeoutOptions.idleTimeout()),
                    latencyOptions.probe(),
                    report,
                    configOptions.configFile(),
                    configOptions.overrides());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * Runs a replay: starts an embedded broker when no cluster is given, publishes the requested
     * footage, replays every mode, writes the report and prints the table.
     *
     * @param s the settings
     * @param out where to print progress and the table
     * @return the figures and the files written
     * @throws IllegalArgumentException on a bad setting, a missing topic or an empty range
     * @throws IOException when the report cannot be written
     * @throws InterruptedException when interrupted
     */
    public static Outcome replay(Settings s, PrintWriter out)
            throws IOException, InterruptedException {
        EmbeddedKafkaBroker broker = null;
        try {
            String bootstrap = s.cluster().bootstrapServers();
            if (bootstrap == null) {
                out.println("Starting an embedded Kafka broker...");
                out.flush();
                broker = EmbeddedKafkaBroker.builder().build().start();
                bootstrap = broker.bootstrapServers();
            }
            Map<String, String> flags = new LinkedHashMap<>(s.overrides());
            flags.put(CanvasFlowConfig.BOOTSTRAP_SERVERS, bootstrap);
            if (s.run().model() != null) {
                flags.put(CanvasFlowConfig.MODEL_DIR, s.run().model().toString());
            }
            CanvasFlowConfig config =
                    CanvasFlowConfig.builder()
                            .optFile(s.configFile())
                            .optEnvironment(System.getenv())
                            .opt(flags)
                            .build();
            String source = publish(s, config, out);
            ReplayResult result =
                    new Replay(config, s.cluster(), source, s.run(), s.latency(), out).run();
            List<Path> files = ReplayReport.write(result, s.report());
            out.println();
            out.print(ReplayReport.table(result));
            out.println();
            out.print(ReplayReport.summary(result));
            out.println("Report: " + s.report().toAbsolutePath().normalize());
            out.flush();
            return new Outcome(result, files);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /**
     * The partitions of a topic on the cluster, from its full metadata; 0 where it does not exist.
     *
     * @throws IllegalArgumentException with one sentence where the cluster does not answer
     */
    private static int existingPartitions(CanvasFlowConfig config, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        KafkaClients.consumer(config, "canvasflow-replay-partitions"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            return consumer.listTopics(Duration.ofSeconds(30))
                    .getOrDefault(topic, List.of())
                    .size();
        } catch (KafkaException e) {
            throw new IllegalArgumentException(
                    "could not list the topics at "
                            + config.bootstrapServers()
                            + ": "
                            + e.getMessage());
        }
    }

    /** Publishes the synthetic cameras and video asked for; returns a description of the source. */
    private static String publish(Settings s, CanvasFlowConfig config, PrintWriter out)
            throws InterruptedException {
        List<String> parts = new ArrayList<>();
        if (s.footage().cameras() == 0 && s.footage().video() == null) {
            return s.cluster().topic();
        }
        // the topic as it is on the cluster, else as this command will make it: the threads are
        // checked against it before anything is made or sent
        int partitions = existingPartitions(config, s.cluster().topic());
        if (partitions == 0) {
            partitions = s.cluster().partitions();
        }
        String threads =
                StartChecks.threadsProblem(s.run().threads(), partitions, s.cluster().topic());
        if (threads != null) {
            throw new IllegalArgumentException(threads);
        }
        KafkaClients.createTopic(config, s.cluster().topic(), partitions);
        if (s.footage().cameras() > 0) {
            List<String> ids = CameraIds.spread("cam-", s.footage().cameras(), partitions);
            out.printf(
                    Locale.ROOT,
                    "Publishing %d synthetic camera(s) x %d frames with ground truth to %s...%n",
                    s.footage().cameras(),
                    s.footage().frames(),
                    s.cluster().topic());
            out.flush();
            ReplayFootage.publishSynthetic(
                    config.bootstrapServers(), s.cluster().topic(), ids, s.footage().frames(), out);
            parts.add(
                    s.footage().cameras()
                            + " synthetic camera(s) x "
                            + s.footage().frames()
                            + " frames");
        }
        if (s.footage().video() != null) {
            out.printf(
                    Locale.ROOT,
                    "Publishing %s to %s...%n",
                    s.footage().video(),
                    s.cluster().topic());
            out.flush();
            var published =
                    ReplayFootage.publishVideo(
                            config.bootstrapServers(),
                            s.cluster().topic(),
                            ReplayFootage.videoCameraId(s.footage().video()),
                            s.footage().video(),
                            s.footage().videoFrames(),
                            out);
            parts.add(
                    "video "
                            + s.footage().video().getFileName()
                            + " ("
                            + published.totalFrames()
                            + " frames)");
        }
        return s.cluster().topic()
                + " <- "
                + String.join(" + ", parts)
                + (s.cluster().bootstrapServers() == null ? ", embedded broker" : "");
    }

    /** Parses an ISO-8601 instant or epoch milliseconds. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                try {
                    return Instant.parse(value.trim());
                } catch (DateTimeParseException p) {
                    throw new TypeConversionException(
                            "expected an ISO-8601 instant (2026-01-31T12:00:00Z) or epoch"
                                    + " milliseconds but found '"
                                    + value
                                    + "'");
                }
            }
        }
    }
}
