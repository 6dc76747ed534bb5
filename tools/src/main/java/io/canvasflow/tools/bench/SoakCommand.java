package io.canvasflow.tools.bench;

import io.canvasflow.cli.options.CameraLoadOptions;
import io.canvasflow.cli.options.DurationConverter;
import io.canvasflow.cli.options.IdleTimeoutOptions;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.tools.common.BenchRun;
import io.canvasflow.tools.common.ServedModel;
import io.canvasflow.tools.replay.OwnedSettings;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code canvasflow bench soak}: publishes and segments N frames through the topology and reports
 * how heap, resident set and DJL's live NDArrays drift. The embedded broker runs in a child JVM by
 * default, so that the resident set is the topology's process alone, as it would be in production.
 */
@Command(
        name = "soak",
        // -D's text: the settings the run sets itself are refused (OwnedSettings)
        resourceBundle = "io.canvasflow.tools.bench.SoakHelp",
        sortOptions = false,
        description = {
            "Publishes and segments N frames of synthetic cameras through the topology on an"
                    + " embedded broker (in a child JVM, so that only the topology's process is"
                    + " measured), samples heap, RSS (/proc/self/status VmRSS) and DJL's"
                    + " live NDArrays every few seconds, and reports their drift from after"
                    + " warm-up to the end. Prints a table and JSON."
        })
public final class SoakCommand extends KafkaBenchCommand {

    @Option(
            names = "--in-process-broker",
            description =
                    "Run the embedded broker in this JVM instead of a child JVM (its memory then"
                            + " counts in the RSS measured).")
    boolean inProcessBroker;

    @Option(
            names = "--frames",
            defaultValue = "20000",
            description = "Frames to publish and segment (default ${DEFAULT-VALUE}).")
    long frames;

    @Mixin CameraLoadOptions cameraLoad;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "Kafka Streams threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--clip-frames",
            defaultValue = "50",
            description =
                    "Frames rendered per camera, replayed back and forth (default"
                            + " ${DEFAULT-VALUE}).")
    int clipFrames;

    @Option(
            names = "--warm-up-frames",
            description = "Frames before the warm-up checkpoint (default: 10%% of --frames).")
    Long warmUpFrames;

    @Option(
            names = "--sample-interval",
            defaultValue = "5s",
            paramLabel = "TIME",
            converter = DurationConverter.Positive.class,
            description =
                    "Time between samples, for example 5s or PT5S (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
            names = "--backlog",
            defaultValue = "64",
            description = "Most frames published and not yet segmented (default ${DEFAULT-VALUE}).")
    int backlog;

    @Option(
            names = "--rate",
            paramLabel = "FPS",
            description = "Publish at this rate instead of as fast as the backlog allows.")
    Double rate;

    @Mixin IdleTimeoutOptions idleTimeoutOptions;

    @Override
    public Integer call() {
        PrintWriter out = out();
        Soak.Settings settings;
        long defaultWarmUp = Math.max(1, frames / 10);
        if (warmUpFrames == null && frames >= 1 && frames <= defaultWarmUp) {
            // not in terms of --warm-up-frames, which was not given
            throw usage(
                    "expected --frames above the warm-up frames ("
                            + defaultWarmUp
                            + " by default: 10% of --frames, at least 1) but found "
                            + frames
                            + "; give more --frames, or --warm-up-frames below them");
        }
        try {
            settings =
                    new Soak.Settings(
                            frames,
                            cameraLoad.cameras(),
                            cameraLoad.partitions(),
                            threads,
                            clipFrames,
                            warmUpFrames != null ? warmUpFrames : defaultWarmUp,
                            new Soak.Pacing(
                                    interval, backlog, rate, idleTimeoutOptions.idleTimeout()));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        // no mode: the run keeps the canvas settings it is given
        refuseIf(
                OwnedSettings.problem(
                        "canvasflow bench soak",
                        overrideOptions.overrides(),
                        List.of(),
                        "--threads sets it"));
        return checkAndRun(
                "canvasflow bench soak",
                () -> {
                    BrokerPlacement placement =
                            kafkaOptions.bootstrapServers() != null
                                    ? BrokerPlacement.CLUSTER
                                    : inProcessBroker
                                            ? BrokerPlacement.IN_PROCESS
                                            : BrokerPlacement.CHILD_JVM;
                    Soak.Result result;
                    try {
                        result =
                                run(
                                        settings,
                                        placement,
                                        kafkaOptions.bootstrapServers(),
                                        modelOptions.model(),
                                        overrideOptions.overrides(),
                                        out);
                    } catch (TopologyStoppedException e) {
                        // a run that failed, as serve's status 1, with no figures to print
                        err().println("canvasflow bench soak: " + e.getMessage());
                        return 1;
                    }
                    BenchRun.print(
                            out,
                            SoakReport.table(result),
                            SoakReport.json(result),
                            jsonOptions.json());
                    return result.throughput().complete() ? 0 : 1;
                });
    }

    /**
     * Where the soak's broker runs.
     *
     * <ul>
     *   <li>{@code CHILD_JVM}: an embedded broker in a child JVM, so that the resident set measured
     *       is the topology's process alone, as in production (the default);
     *   <li>{@code IN_PROCESS}: an embedded broker in this JVM (starts faster; its memory counts);
     *   <li>{@code CLUSTER}: the cluster given by bootstrap servers.
     * </ul>
     */
    public enum BrokerPlacement {
        CHILD_JVM,
        IN_PROCESS,
        CLUSTER
    }

    /**
     * Starts the broker where asked and the model, and soaks.
     *
     * @param settings what to run
     * @param placement where the broker runs
     * @param bootstrapServers the cluster for {@link BrokerPlacement#CLUSTER}, else ignored
     * @param model the recurrent model, or null for the configured one
     * @param overrides settings for the topology
     * @param out where to print a line per sample
     * @return the figures
     * @throws InterruptedException when interrupted
     * @throws TopologyStoppedException when its Kafka Streams stopped before every frame was
     *     segmented
     */
    public static Soak.Result run(
            Soak.Settings settings,
            BrokerPlacement placement,
            String bootstrapServers,
            Path model,
            Map<String, String> overrides,
            PrintWriter out)
            throws InterruptedException {
        switch (placement) {
            case CLUSTER:
                return soak(
                        settings,
                        bootstrapServers,
                        "at " + bootstrapServers,
                        model,
                        overrides,
                        out);
            case IN_PROCESS:
                out.println("Starting an embedded Kafka broker in this JVM...");
                out.flush();
                try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
                    return soak(
                            settings,
                            broker.bootstrapServers(),
                            "in this JVM (its memory counts)",
                            model,
                            overrides,
                            out);
                }
            default:
                out.println("Starting an embedded Kafka broker in a child JVM...");
                out.flush();
                try (ChildBroker broker = ChildBroker.start("1g", Duration.ofMinutes(2))) {
                    return soak(
                            settings,
                            broker.bootstrapServers(),
                            "in a child JVM (pid " + broker.pid() + ", not counted)",
                            model,
                            overrides,
                            out);
                }
        }
    }

    private static Soak.Result soak(
            Soak.Settings settings,
            String bootstrapServers,
            String brokerDescription,
            Path model,
            Map<String, String> overrides,
            PrintWriter out)
            throws InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>(overrides);
        flags.put(CanvasFlowConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        if (model != null) {
            flags.put(CanvasFlowConfig.MODEL_DIR, model.toString());
        }
        CanvasFlowConfig config =
                CanvasFlowConfig.builder().optEnvironment(System.getenv()).opt(flags).build();
        try (SegmentationModel rnn =
                ServedModel.load(config.modelDir(), config, settings.streamThreads())) {
            out.printf(
                    "Soaking %d frames of %d camera(s), a sample every %d s...%n",
                    settings.frames(),
                    settings.cameras(),
                    settings.pacing().interval().toSeconds());
            out.flush();
            return Soak.run(config, rnn, settings, brokerDescription, out);
        }
    }
}
