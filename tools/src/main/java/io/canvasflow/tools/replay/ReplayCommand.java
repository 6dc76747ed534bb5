package io.canvasflow.tools.replay;

import io.canvasflow.cli.options.ConfigOptions;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.cli.options.ModelOptions;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.ModelLoadException;
import io.canvasflow.tools.common.CameraIds;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code canvasflow replay}: replays a frames topic through the topology once per mode (seeded 2
 * iterations, zero canvas 2 and 6, feed-forward baseline) and writes their quality and cost side by
 * side. Without {@code --bootstrap-servers} it is self-contained: an embedded broker, synthetic
 * cameras with ground truth (and/or {@code --video}) published first, then the replay.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
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
public final class ReplayCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafkaOptions;

    @Mixin ModelOptions modelOptions;

    @Mixin ConfigOptions configOptions;

    @Spec private CommandSpec spec;

    @Option(
            names = "--topic",
            defaultValue = "frames",
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

    @Option(
            names = "--video",
            paramLabel = "FILE",
            description = "A video file to publish first as one camera (no ground truth).")
    Path video;

    @Option(
            names = "--video-frames",
            defaultValue = "0",
            description = "At most this many video frames; 0: all (default ${DEFAULT-VALUE}).")
    long videoFrames;

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

    @Option(
            names = "--latency-frames",
            defaultValue = "100",
            description =
                    "Frames of the paced latency probe per mode; 0 skips it (default"
                            + " ${DEFAULT-VALUE}).")
    int latencyFrames;

    @Option(
            names = "--latency-load",
            defaultValue = "0.8",
            description =
                    "The probe's rate as a share of the mode's measured frames/s (default"
                            + " ${DEFAULT-VALUE}).")
    double latencyLoad;

    @Option(
            names = "--idle-timeout",
            defaultValue = "PT2M",
            description =
                    "Give a mode up after this long without a mask (ISO-8601, default"
                            + " ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(
            names = "--report",
            defaultValue = "reports/replay",
            description =
                    "Folder for replay.json, replay.md and the PNG plots (default"
                            + " ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--keep-topics", description = "Keep each mode's topics on the cluster.")
    boolean keepTopics;

    /**
     * Everything a replay needs, as the command line gives it.
     *
     * @param bootstrapServers the cluster, or null for an embedded broker
     * @param topic the frames topic
     * @param range the records to replay
     * @param cameras synthetic cameras to publish first
     * @param frames frames per synthetic camera
     * @param video a video to publish first, or null
     * @param videoFrames at most this many video frames, 0 for all
     * @param partitions partitions of the topic when created here
     * @param modes the modes, in order
     * @param model the recurrent model, or null for the configured one
     * @param baseline the feed-forward model, or null for the shipped one
     * @param threads Kafka Streams threads per run
     * @param latencyFrames frames of the latency probe, 0 for none
     * @param latencyLoad the probe's rate as a share of the measured rate
     * @param idleTimeout how long a mode may make no progress
     * @param report the report folder
     * @param keepTopics whether to keep the modes' topics
     * @param configFile a properties file, or null
     * @param overrides settings for every mode
     */
    public record Settings(
            String bootstrapServers,
            String topic,
            FrameRange range,
            int cameras,
            int frames,
            Path video,
            long videoFrames,
            int partitions,
            List<ReplayMode> modes,
            Path model,
            Path baseline,
            int threads,
            int latencyFrames,
            double latencyLoad,
            Duration idleTimeout,
            Path report,
            boolean keepTopics,
            Path configFile,
            Map<String, String> overrides) {}

    /**
     * What a replay produced.
     *
     * @param result the figures
     * @param files the report files written
     */
    public record Outcome(ReplayResult result, List<Path> files) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings = settings();
        try {
            Outcome outcome = replay(settings, out);
            boolean complete = outcome.result().modes().stream().allMatch(ModeResult::complete);
            if (!complete) {
                err.println(
                        "canvasflow replay: a mode did not get a mask for every frame before the"
                                + " idle timeout; its figures cover what arrived");
            }
            return complete ? 0 : 1;
        } catch (ModelLoadException | IllegalArgumentException | IllegalStateException e) {
            err.println("canvasflow replay: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("canvasflow replay: cannot write the report: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("canvasflow replay: interrupted");
            return 130;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private Settings settings() {
        if (video != null && !Files.isRegularFile(video)) {
            throw new ParameterException(spec.commandLine(), "no video file at " + video);
        }
        int synthetic =
                cameras != null
                        ? cameras
                        : (kafkaOptions.bootstrapServers() == null && video == null ? 4 : 0);
        if (synthetic < 0 || frames < 1 || partitions < 1 || videoFrames < 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "expected --cameras >= 0, --frames >= 1, --partitions >= 1 and --video-frames"
                            + " >= 0");
        }
        if (kafkaOptions.bootstrapServers() == null && synthetic == 0 && video == null) {
            throw new ParameterException(
                    spec.commandLine(),
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
            return new Settings(
                    kafkaOptions.bootstrapServers(),
                    topic,
                    new FrameRange(fromOffset, toOffset, fromTime, toTime),
                    synthetic,
                    frames,
                    video,
                    videoFrames,
                    partitions,
                    chosen,
                    modelOptions.model(),
                    baseline,
                    threads,
                    latencyFrames,
                    latencyLoad,
                    idleTimeout,
                    report,
                    keepTopics,
                    configOptions.configFile(),
                    configOptions.overrides());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
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
            String bootstrap = s.bootstrapServers();
            if (bootstrap == null) {
                out.println("Starting an embedded Kafka broker...");
                out.flush();
                broker = EmbeddedKafkaBroker.builder().build().start();
                bootstrap = broker.bootstrapServers();
            }
            Map<String, String> flags = new LinkedHashMap<>(s.overrides());
            flags.put(CanvasFlowConfig.BOOTSTRAP_SERVERS, bootstrap);
            if (s.model() != null) {
                flags.put(CanvasFlowConfig.MODEL_DIR, s.model().toString());
            }
            CanvasFlowConfig config = CanvasFlowConfig.load(s.configFile(), System.getenv(), flags);
            String source = publish(s, config, out);
            ReplayResult result =
                    Replay.builder()
                            .setConfig(config)
                            .setTopic(s.topic())
                            .optSourceDescription(source)
                            .optRange(s.range())
                            .optModes(s.modes())
                            .optFeedForwardModel(s.baseline())
                            .optStreamThreads(s.threads())
                            .optLatencyFrames(s.latencyFrames())
                            .optLatencyLoad(s.latencyLoad())
                            .optIdleTimeout(s.idleTimeout())
                            .optKeepTopics(s.keepTopics())
                            .optProgress(out)
                            .build()
                            .run();
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

    /** Publishes the synthetic cameras and video asked for; returns a description of the source. */
    private static String publish(Settings s, CanvasFlowConfig config, PrintWriter out)
            throws InterruptedException {
        List<String> parts = new ArrayList<>();
        if (s.cameras() == 0 && s.video() == null) {
            return s.topic();
        }
        KafkaClients.createTopic(config, s.topic(), s.partitions());
        if (s.cameras() > 0) {
            List<String> ids = CameraIds.spread("cam-", s.cameras(), s.partitions());
            out.printf(
                    Locale.ROOT,
                    "Publishing %d synthetic camera(s) x %d frames with ground truth to %s...%n",
                    s.cameras(),
                    s.frames(),
                    s.topic());
            out.flush();
            ReplayFootage.publishSynthetic(
                    config.bootstrapServers(), s.topic(), ids, s.frames(), out);
            parts.add(s.cameras() + " synthetic camera(s) x " + s.frames() + " frames");
        }
        if (s.video() != null) {
            out.printf(Locale.ROOT, "Publishing %s to %s...%n", s.video(), s.topic());
            out.flush();
            var published =
                    ReplayFootage.publishVideo(
                            config.bootstrapServers(),
                            s.topic(),
                            ReplayFootage.videoCameraId(s.video()),
                            s.video(),
                            s.videoFrames(),
                            out);
            parts.add(
                    "video "
                            + s.video().getFileName()
                            + " ("
                            + published.totalFrames()
                            + " frames)");
        }
        return s.topic()
                + " <- "
                + String.join(" + ", parts)
                + (s.bootstrapServers() == null ? ", embedded broker" : "");
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
