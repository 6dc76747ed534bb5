package io.canvasflow.tools.bench;

import io.canvasflow.cli.options.CameraLoadOptions;
import io.canvasflow.cli.options.IdleTimeoutOptions;
import io.canvasflow.cli.options.VideoOptions;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.tools.common.BenchRun;
import io.canvasflow.tools.common.CameraIds;
import io.canvasflow.tools.common.CorePlacement;
import io.canvasflow.tools.common.CpuUse;
import io.canvasflow.tools.common.Footage;
import io.canvasflow.tools.common.Json;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.tools.common.LatencyProbeOptions;
import io.canvasflow.tools.common.StartChecks;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.tools.replay.OwnedSettings;
import io.canvasflow.tools.replay.ReplayFootage;
import io.canvasflow.tools.replay.StageTimes;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code canvasflow bench pipeline}: on the same frames and machine, in one run, the bare model's
 * frames per second against the topology's end to end through an embedded broker with one and two
 * stream threads, plus latency at about 80% of each measured rate.
 */
@Command(
        name = "pipeline",
        // -D's text: the settings the runs set themselves are refused (OwnedSettings)
        resourceBundle = "io.canvasflow.tools.replay.OwnedSettingsHelp",
        sortOptions = false,
        description = {
            "Bare frame core frames/s (no Kafka: the topology's own decode, canvas policy, model"
                    + " and mask encoding, under the same settings) vs end-to-end"
                    + " frames/s through a broker with 1 and 2 stream threads (frames"
                    + " pre-published, consumed to completion), and latency p50/p99 at about 80%%"
                    + " of each measured rate. Prints a table and JSON.",
            "The broker runs in a child JVM pinned to the last core, the model and the stream"
                    + " threads (with their Kafka clients) to the others, and this benchmark's own"
                    + " frame publisher and mask reader beside the broker (taskset), so that the"
                    + " end-to-end/bare ratio is what Kafka costs the stream thread rather than core"
                    + " sharing; on 2 cores that leaves 1 for the model, and only the 1-thread runs. The table says which placement ran, and"
                    + " where a model thread's milliseconds went per frame (stage timers, commit and"
                    + " poll waits).",
            "PyTorch's intra-op thread count matters on a machine that also runs the broker: the"
                    + " bare model and 1 stream thread run at the default count and at 1, 2 stream"
                    + " threads at their share of the cores and at the default; the ratios compare"
                    + " each side at its fastest count, and the table lists every run.",
            "Each round also probes the broker with no model: one acknowledged send and one"
                    + " exactly-once commit (flush, offsets, end), timed from the processor's"
                    + " cores; the table sets them beside the stream thread's own commits, and says"
                    + " what Kafka costs a frame (commit waits and the stages the bare model does"
                    + " not have) and the end-to-end/bare ratio within each round.",
            "The bare model also runs on 2 threads (the cameras split between them), for what"
                    + " Kafka costs 2 stream threads; and a second table shows where the cores went"
                    + " in every run: model threads, PyTorch's other threads, Kafka clients, the"
                    + " broker, other processes, idle."
        })
public final class PipelineBenchCommand extends KafkaBenchCommand {

    @Mixin CameraLoadOptions cameraLoad;

    @Option(
            names = "--frames",
            defaultValue = "150",
            description =
                    "Frames per synthetic camera (default ${DEFAULT-VALUE}: about 15 s per run;"
                            + " shorter runs swing more with a shared machine's load).")
    int frames;

    @Mixin VideoOptions videoOptions;

    @Option(
            names = "--warm-up",
            defaultValue = "10",
            description =
                    "Frames the bare model runs before it is timed (default ${DEFAULT-VALUE}).")
    int warmUp;

    @Mixin LatencyProbeOptions latencyOptions;

    @Option(
            names = "--no-default-intra-op-run",
            description =
                    "Skip the 2-stream-thread run at the default intra-op thread count (each stream"
                            + " thread's pool as large as the machine).")
    boolean skipDefaultIntraOp;

    @Option(
            names = "--rounds",
            defaultValue = "2",
            description =
                    "Run every configuration this many times, alternating, and compare each at its"
                            + " fastest round (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--in-process-broker",
            description =
                    "Run the embedded broker in this JVM, on the same cores as the model, instead"
                            + " of a child JVM on a core of its own.")
    boolean inProcessBroker;

    @Option(
            names = "--no-pin",
            description =
                    "Leave the broker's child JVM and this process on every core instead of"
                            + " pinning the broker to the last core and the processor to the rest"
                            + " (taskset; on a machine without it nothing is pinned).")
    boolean noPin;

    @Mixin IdleTimeoutOptions idleTimeoutOptions;

    /**
     * The benchmark's settings.
     *
     * @param footage what is published to the frames topic first
     * @param partitions partitions of the frames topic
     * @param model the recurrent model, or null for the configured one
     * @param measure how the phases are measured
     * @param overrides settings for the topology runs
     * @param bootstrapServers a Kafka cluster to run against, or null for an embedded broker
     * @param broker where an embedded broker runs: {@code child} (pinned to a core of its own where
     *     the machine allows), {@code child-shared} or {@code in-process}
     */
    public record Settings(
            Footage footage,
            int partitions,
            Path model,
            PipelineBenchmark.Measure measure,
            Map<String, String> overrides,
            String bootstrapServers,
            String broker) {}

    @Override
    public Integer call() {
        PrintWriter out = out();
        int cameras = cameraLoad.cameras();
        int partitions = cameraLoad.partitions();
        require(
                cameras >= 1 || (cameras == 0 && videoOptions.video() != null),
                "--cameras",
                ">= 1 (or 0 with a --video)",
                cameras);
        require(frames >= 1, "--frames", ">= 1", frames);
        require(partitions >= 1, "--partitions", ">= 1", partitions);
        require(warmUp >= 0, "--warm-up", ">= 0", warmUp);
        refuseIf(latencyOptions.problem());
        require(rounds >= 1, "--rounds", ">= 1", rounds);
        refuseIf(videoOptions.problem());
        refuseIf(
                OwnedSettings.problem(
                        "canvasflow bench pipeline",
                        overrideOptions.overrides(),
                        List.of(PipelineBenchmark.END_TO_END_MODE),
                        "each end-to-end run sets its own (1 and 2 stream threads)"));
        refuseIf(StartChecks.videoProblem(videoOptions.video()));
        return checkAndRun(
                "canvasflow bench pipeline",
                List.of(PipelineBenchmark.END_TO_END_MODE),
                () -> {
                    PipelineBenchmark.Result result =
                            run(
                                    new Settings(
                                            new Footage(
                                                    cameras,
                                                    frames,
                                                    videoOptions.video(),
                                                    videoOptions.videoFrames()),
                                            partitions,
                                            modelOptions.model(),
                                            new PipelineBenchmark.Measure(
                                                    warmUp,
                                                    latencyOptions.probe(),
                                                    !skipDefaultIntraOp,
                                                    idleTimeoutOptions.idleTimeout(),
                                                    rounds,
                                                    CorePlacement.shared("not yet placed"),
                                                    0),
                                            overrideOptions.overrides(),
                                            kafkaOptions.bootstrapServers(),
                                            inProcessBroker
                                                    ? "in-process"
                                                    : noPin ? "child-shared" : "child"),
                                    out);
                    BenchRun.print(
                            out,
                            PipelineBenchTable.table(result),
                            json(result),
                            jsonOptions.json());
                    return exitStatus(result, err());
                });
    }

    /**
     * The exit status of a finished run: 0 when every run got a mask for every frame and every
     * latency probe frame, else 1, as for any figure that is not fully measured (a script that
     * checks the status then does not take it as one), with a line on standard error for each
     * incomplete probe.
     *
     * @param r the figures
     * @param err where the lines go
     * @return 0 or 1
     */
    static int exitStatus(PipelineBenchmark.Result r, PrintWriter err) {
        boolean complete = true;
        for (PipelineBenchmark.Phase p : r.phases()) {
            complete &= p.throughput().complete();
            if (!p.latency().complete()) {
                complete = false;
                err.printf(
                        "canvasflow bench pipeline: round %d, %d stream thread(s) x %d intra-op:"
                                + " %s%n",
                        p.round(),
                        p.threads().streamThreads(),
                        p.threads().intraOpThreads(),
                        p.latency().incompleteLine());
            }
        }
        return complete ? 0 : 1;
    }

    /**
     * Publishes the frames once, to an embedded broker unless the settings name a cluster, and runs
     * every phase on them.
     *
     * @param s the settings
     * @param out where to print progress
     * @return the figures
     * @throws InterruptedException when interrupted
     */
    public static PipelineBenchmark.Result run(Settings s, PrintWriter out)
            throws InterruptedException {
        // Before anything is pinned: PyTorch sizes its default pool from the cores this process
        // has when the engine loads (reading the count loads it), and a pinned JVM counts only the
        // broker's core. The placements below are made before the pinning too.
        int engineThreads = Math.max(1, TorchThreads.forNewThreads());
        if (s.bootstrapServers() != null) {
            out.println("Using the Kafka cluster at " + s.bootstrapServers());
            out.flush();
            String topic = "frames-bench-" + Long.toString(System.currentTimeMillis(), 36);
            return run(
                    placed(
                            s,
                            CorePlacement.shared("a Kafka cluster at " + s.bootstrapServers()),
                            engineThreads),
                    s.bootstrapServers(),
                    topic,
                    out);
        }
        if (s.broker().equals("in-process")) {
            out.println("Starting an embedded Kafka broker in this JVM...");
            out.flush();
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
                return run(
                        placed(
                                s,
                                CorePlacement.shared("broker in this JVM, on every core"),
                                engineThreads),
                        broker.bootstrapServers(),
                        "frames-bench",
                        out);
            }
        }
        CorePlacement placement =
                s.broker().equals("child")
                        ? CorePlacement.separate()
                        : CorePlacement.shared("broker in a child JVM, both on every core");
        out.println("Starting a Kafka broker in a child JVM (" + placement.describe() + ")...");
        out.flush();
        try (ChildBroker broker =
                ChildBroker.start("1g", Duration.ofMinutes(2), placement.brokerPrefix())) {
            placement.pinThisProcessBesideTheBroker();
            return run(
                    placed(s, placement, engineThreads),
                    broker.bootstrapServers(),
                    "frames-bench",
                    out);
        }
    }

    private static Settings placed(Settings s, CorePlacement placement, int engineThreads) {
        PipelineBenchmark.Measure m = s.measure();
        return new Settings(
                s.footage(),
                s.partitions(),
                s.model(),
                new PipelineBenchmark.Measure(
                        m.warmUp(),
                        m.latency(),
                        m.compareDefaultIntraOp(),
                        m.idleTimeout(),
                        m.rounds(),
                        placement,
                        engineThreads),
                s.overrides(),
                s.bootstrapServers(),
                s.broker());
    }

    private static PipelineBenchmark.Result run(
            Settings s, String bootstrapServers, String topic, PrintWriter out)
            throws InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>(s.overrides());
        flags.put(CanvasFlowConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        if (s.model() != null) {
            flags.put(CanvasFlowConfig.MODEL_DIR, s.model().toString());
        }
        CanvasFlowConfig config =
                CanvasFlowConfig.builder().optEnvironment(System.getenv()).opt(flags).build();
        KafkaClients.createTopic(config, topic, s.partitions());
        if (s.footage().cameras() > 0) {
            out.printf(
                    "Publishing %d synthetic camera(s) x %d frames...%n",
                    s.footage().cameras(), s.footage().frames());
            out.flush();
            ReplayFootage.publishSynthetic(
                    bootstrapServers,
                    topic,
                    CameraIds.spread("cam-", s.footage().cameras(), s.partitions()),
                    s.footage().frames(),
                    out);
        }
        if (s.footage().video() != null) {
            out.printf("Publishing %s...%n", s.footage().video());
            out.flush();
            ReplayFootage.publishVideo(
                    bootstrapServers,
                    topic,
                    ReplayFootage.videoCameraId(s.footage().video()),
                    s.footage().video(),
                    s.footage().videoFrames(),
                    out);
        }
        try (SegmentationModel rnn =
                SegmentationModel.load(config.modelDir(), config.modelDevice())) {
            return PipelineBenchmark.run(config, topic, rnn, s.measure(), out);
        }
    }

    /** Cores busy on average, by group, while a run's frames were measured. */
    private static Map<String, Object> cpu(CpuUse.Usage u) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("wallMs", u.wallMs());
        o.put("modelThreadsCores", Stats.finite(u.busyCores(u.ms(CpuUse.Group.MODEL_THREADS))));
        o.put("nativeCores", Stats.finite(u.busyCores(u.nativeMs())));
        o.put("kafkaClientCores", Stats.finite(u.busyCores(u.ms(CpuUse.Group.KAFKA_CLIENTS))));
        o.put("otherJavaCores", Stats.finite(u.busyCores(u.ms(CpuUse.Group.OTHER_JAVA))));
        o.put("otherProcessesCores", Stats.finite(u.busyCores(u.otherProcessesMs())));
        o.put("machineBusyShare", Stats.finite(u.machineBusyShare()));
        o.put("cores", u.cores());
        return o;
    }

    /** The figures as pretty-printed JSON; unmeasured figures are null. */
    public static String json(PipelineBenchmark.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", r.frames());
        m.put("cameras", r.cameras());
        m.put("model", r.model());
        // the machine's cores, counted before the benchmark pinned itself to the broker's
        m.put("availableProcessors", r.processors());
        m.put("engineIntraOpThreads", r.engineIntraOpThreads());
        m.put("placement", r.placement().json());
        List<Map<String, Object>> phases = new ArrayList<>();
        for (PipelineBenchmark.Phase p : r.phases()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("round", p.round());
            o.put("name", p.name());
            o.put("streamThreads", p.threads().streamThreads());
            o.put("modelThreads", p.threads().modelThreads());
            o.put("intraOpThreads", p.threads().intraOpThreads());
            o.put("frames", p.throughput().frames());
            o.put("fps", Stats.finite(p.throughput().fps()));
            o.put("meanModelMs", Stats.finite(p.throughput().meanModelMs()));
            p.latency().putInto(o);
            o.put("complete", p.throughput().complete());
            o.put("loadAverage", Stats.finite(p.loadAverage()));
            if (p.cpu() != null) {
                o.put("cpu", cpu(p.cpu()));
            }
            Map<String, Object> stages = new LinkedHashMap<>();
            p.stagesMs().forEach((k, v) -> stages.put(k, Stats.finite(v)));
            Object commits = stages.remove(StageTimes.COMMITS);
            if (commits != null) {
                o.put("commitsPerFrame", commits);
            }
            o.put("stagesMsPerFrame", stages);
            phases.add(o);
        }
        m.put("phases", phases);
        List<Map<String, Object>> probes = new ArrayList<>();
        for (Map.Entry<Integer, CommitProbe.Result> round : r.commitProbes().entrySet()) {
            CommitProbe.Result probe = round.getValue();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("round", round.getKey());
            o.put("roundTripP50Ms", Stats.finite(probe.roundTripP50Ms()));
            o.put("roundTripP90Ms", Stats.finite(probe.roundTripP90Ms()));
            o.put("commitMs", Stats.finite(probe.commitMs()));
            o.put("flushMs", Stats.finite(probe.flushMs()));
            o.put("offsetsMs", Stats.finite(probe.offsetsMs()));
            o.put("endMs", Stats.finite(probe.endMs()));
            probes.add(o);
        }
        m.put("commitProbes", probes);
        m.put("kafkaMsPerFrame", Stats.finite(r.kafkaMsPerFrame()));
        Map<String, Object> best = new LinkedHashMap<>();
        best.put("bareModel", best(r.bestBare(1)));
        best.put("oneStreamThread", best(r.best(1)));
        best.put("twoStreamThreads", best(r.best(2)));
        m.put("best", best);
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("endToEndOneThreadOverBare", Stats.finite(r.endToEndOverBare()));
        ratios.put("twoThreadsOverOne", Stats.finite(r.twoThreadsOverOne()));
        ratios.put("bareTwoThreadsOverOne", Stats.finite(r.bareTwoThreadsOverOne()));
        ratios.put(
                "endToEndTwoThreadsOverBareTwoThreads",
                Stats.finite(r.endToEndOverBareTwoThreads()));
        Map<String, Object> sameIntraOp = new LinkedHashMap<>();
        for (int intraOp : r.bareIntraOpCounts()) {
            sameIntraOp.put(Integer.toString(intraOp), Stats.finite(r.endToEndOverBareAt(intraOp)));
        }
        ratios.put("endToEndOneThreadOverBareAtSameIntraOp", sameIntraOp);
        ratios.put(
                "endToEndOneThreadOverBareByRound",
                r.endToEndOverBareByRound().stream().map(Stats::finite).toList());
        ratios.put(
                "endToEndOneThreadOverBareModelAlike",
                Stats.finite(r.endToEndOverBareModelAlike()));
        m.put("ratios", ratios);
        List<Map<String, Object>> checks = new ArrayList<>();
        if (r.placement().pinned()) {
            checks.add(
                    check(
                            "broker on its own core: end-to-end frames/s, 1 stream thread x 1"
                                    + " intra-op / bare model on the same core",
                            r.endToEndOverBareAt(1),
                            PipelineBenchmark.MIN_PINNED_END_TO_END_OVER_BARE));
        } else {
            checks.add(
                    check(
                            "end-to-end frames/s with 1 stream thread / bare model frames/s",
                            r.endToEndOverBare(),
                            PipelineBenchmark.MIN_END_TO_END_OVER_BARE));
        }
        if (r.best(2).isPresent()) {
            checks.add(
                    check(
                            "frames/s with 2 stream threads / with 1 stream thread",
                            r.twoThreadsOverOne(),
                            PipelineBenchmark.MIN_TWO_THREADS_OVER_ONE));
        }
        m.put("checks", checks);
        return Json.pretty(m);
    }

    /** A run's threads and frames/s as JSON, or null when there is none. */
    private static Map<String, Object> best(Optional<PipelineBenchmark.Phase> run) {
        return run.map(
                        p -> {
                            Map<String, Object> o = new LinkedHashMap<>();
                            o.put("streamThreads", p.threads().streamThreads());
                            o.put("intraOpThreads", p.threads().intraOpThreads());
                            o.put("fps", Stats.finite(p.throughput().fps()));
                            return o;
                        })
                .orElse(null);
    }

    private static Map<String, Object> check(String description, double value, double bar) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("description", description);
        o.put("value", Stats.finite(value));
        o.put("threshold", ">= " + bar);
        o.put("pass", Double.isFinite(value) && value >= bar);
        return o;
    }
}
