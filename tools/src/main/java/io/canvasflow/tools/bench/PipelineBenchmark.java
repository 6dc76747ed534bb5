package io.canvasflow.tools.bench;

import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.TopicSnapshot;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.tools.common.CorePlacement;
import io.canvasflow.tools.common.CpuUse;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.tools.common.Latency;
import io.canvasflow.tools.common.LatencyProbe;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.tools.replay.ModeOutcome;
import io.canvasflow.tools.replay.ModeRunner;
import io.canvasflow.tools.replay.ReplayMode;
import io.canvasflow.tools.replay.StageTimes;
import io.canvasflow.tools.replay.StreamThreads;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.CanvasSegmenter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The pipeline benchmark: on the same frames, in one run, the bare frame core's frames per second
 * (the topology's own Kafka-free {@link CanvasSegmenter} on one thread: {@code FrameDecoder}, the
 * canvas policy with its iterations, scene cuts and keyframes from the same settings as the
 * end-to-end runs, the model, and the {@code MaskEncoder}'s PNG class map; each camera's canvas
 * kept in a map instead of a state store) against the topology end to end through Kafka with one
 * and with two stream threads: frames pre-published, consumed to completion, then a latency probe
 * paced at a share of the measured rate. The bare model also runs on two threads, each with half of
 * the cameras, so that two stream threads can be set against the model with the same cores; and
 * every run records where the processor time went ({@link CpuUse}).
 *
 * <p>PyTorch runs each operator on an OpenMP pool of intra-op threads, by default one per core.
 * Which count is fastest depends on the work beside the model: the bare model has the cores to
 * itself, while a stream thread shares them with the broker, the clients and, with two stream
 * threads, the other stream thread's pool; an OpenMP team that cannot get all its cores waits at
 * every operator's barrier. So each configuration runs at more than one count: the bare model and
 * one stream thread at the default and at one intra-op thread, two stream threads at their share of
 * the cores and (unless turned off) at the default. The ratios compare each side at the count that
 * was fastest for it; every run is in the table.
 */
public final class PipelineBenchmark {

    /** The topology's default policy, which both the bare and the end-to-end runs use. */
    static final ReplayMode END_TO_END_MODE = ReplayMode.SEEDED_2;

    /** In {@link Result}'s look-ups: a run at whatever intra-op count was fastest. */
    private static final int ANY_INTRA_OP = 0;

    /**
     * How the benchmark measures.
     *
     * @param warmUp frames before the bare model is timed
     * @param latency the latency probe after each end-to-end run
     * @param compareDefaultIntraOp whether to run 2 threads at the default intra-op count too
     * @param idleTimeout how long a run may make no progress
     * @param rounds times each configuration runs
     * @param placement which cores the broker and the processor run on; with one processor core,
     *     every run is 1 thread x 1 intra-op thread
     * @param engineIntraOpThreads PyTorch's default intra-op threads, read before the placement
     *     pinned this process (the engine sizes its pool from the cores the process has when it
     *     loads); 1 where the engine is not PyTorch
     */
    public record Measure(
            int warmUp,
            LatencyProbe latency,
            boolean compareDefaultIntraOp,
            Duration idleTimeout,
            int rounds,
            CorePlacement placement,
            int engineIntraOpThreads) {

        /** The cores the model may use. */
        int cores() {
            return placement.processorCores().size();
        }
    }

    /**
     * One measured configuration.
     *
     * @param name what ran: {@code bare}, {@code end-to-end}
     * @param threads the threads that ran it
     * @param throughput frames, rate and model time
     * @param latency the latency probe (NaN figures for the bare model)
     * @param loadAverage the machine's one-minute load average when the phase ended, NaN if unknown
     * @param round which round of the benchmark it ran in, from 1
     * @param cpu where the processor time went while the frames were measured
     * @param stagesMs where a model thread's time went, milliseconds per frame: the frame stages
     *     and, end to end, Kafka's commit and poll waits and the rest ({@link StageTimes})
     */
    public record Phase(
            String name,
            Threads threads,
            Throughput throughput,
            Latency latency,
            double loadAverage,
            int round,
            CpuUse.Usage cpu,
            Map<String, Double> stagesMs) {

        /** Copies the stages. */
        public Phase {
            stagesMs = Collections.unmodifiableMap(new LinkedHashMap<>(stagesMs));
        }
    }

    /**
     * The threads of a phase.
     *
     * @param streamThreads Kafka Streams threads (0 for the bare model)
     * @param modelThreads threads that ran the model: the stream threads end to end, the bare
     *     model's own threads (each with its share of the cameras) without Kafka
     * @param intraOpThreads PyTorch intra-op threads per model thread
     */
    public record Threads(int streamThreads, int modelThreads, int intraOpThreads) {}

    /**
     * What a phase got through.
     *
     * @param frames frames measured
     * @param fps frames per second
     * @param meanModelMs mean model milliseconds per frame
     * @param complete whether every frame got its mask
     */
    public record Throughput(long frames, double fps, double meanModelMs, boolean complete) {}

    /**
     * End-to-end frames/s with one stream thread must be at least this share of the bare model's.
     */
    public static final double MIN_END_TO_END_OVER_BARE = 0.9;

    /**
     * With the broker on a core of its own: end-to-end frames/s, 1 stream thread x 1 intra-op
     * thread, must be at least this share of the bare model's on the same core.
     */
    public static final double MIN_PINNED_END_TO_END_OVER_BARE = 0.95;

    /** Two stream threads must reach at least this multiple of one stream thread's frames/s. */
    public static final double MIN_TWO_THREADS_OVER_ONE = 1.6;

    /**
     * The benchmark's figures.
     *
     * @param frames frames in the run
     * @param cameras cameras
     * @param processors the machine's cores: those this process could use before it was pinned
     * @param engineIntraOpThreads PyTorch's default intra-op threads, before the process was pinned
     * @param phases every measured configuration, in the order run
     * @param model the version of the model that ran
     * @param placement which cores the broker and the processor ran on
     * @param commitProbes per round, what one exactly-once commit cost against the broker with no
     *     model, before the round's end-to-end runs ({@link CommitProbe}); a round the broker
     *     refused the probe in has none
     */
    public record Result(
            long frames,
            int cameras,
            int processors,
            int engineIntraOpThreads,
            List<Phase> phases,
            String model,
            CorePlacement placement,
            SortedMap<Integer, CommitProbe.Result> commitProbes) {

        /** Copies the phases and probes. */
        public Result {
            phases = List.copyOf(phases);
            commitProbes = Collections.unmodifiableSortedMap(new TreeMap<>(commitProbes));
        }

        /**
         * The fastest complete end-to-end run with this many stream threads (each runs the model).
         *
         * @param streamThreads stream threads, 1 or more
         * @return the run, empty when none completed
         */
        public Optional<Phase> best(int streamThreads) {
            return fastest(streamThreads, streamThreads, ANY_INTRA_OP);
        }

        /**
         * The fastest complete run of the bare model on this many threads.
         *
         * @param threads model threads
         * @return the run, empty when none completed
         */
        public Optional<Phase> bestBare(int threads) {
            return fastest(0, threads, ANY_INTRA_OP);
        }

        /** End-to-end frames/s with one stream thread / bare model frames/s, each at its best. */
        public double endToEndOverBare() {
            return fpsRatio(best(1), bestBare(1));
        }

        /** Two stream threads' frames/s / one stream thread's, each at its best. */
        public double twoThreadsOverOne() {
            return fpsRatio(best(2), best(1));
        }

        /**
         * End-to-end frames/s with two stream threads / the bare model's on two threads, each at
         * its best: what Kafka costs once the model has the machine's cores.
         */
        public double endToEndOverBareTwoThreads() {
            return fpsRatio(best(2), bestBare(2));
        }

        /** The bare model's frames/s on two threads / on one, each at its best. */
        public double bareTwoThreadsOverOne() {
            return fpsRatio(bestBare(2), bestBare(1));
        }

        /**
         * What Kafka costs the 1 x 1 stream thread per frame, from the stage timers: the stages and
         * waits the bare thread does not have (commit wait, deserialise, store, produce, poll
         * wait), and its "other" beyond the bare thread's. The model's own speed, which swings from
         * one phase to the next, is not in it.
         *
         * @return milliseconds per frame, NaN when either side did not run or was not timed
         */
        public double kafkaMsPerFrame() {
            Optional<Phase> e2e = oneThreadAt(1, 1);
            Optional<Phase> bare = oneThreadAt(0, 1);
            if (e2e.isEmpty() || bare.isEmpty() || e2e.get().stagesMs().isEmpty()) {
                return Double.NaN;
            }
            Map<String, Double> e = e2e.get().stagesMs();
            Map<String, Double> b = bare.get().stagesMs();
            double ms = 0;
            for (Map.Entry<String, Double> stage : e.entrySet()) {
                String name = stage.getKey();
                // the flush is part of the commit wait, and the commit count is not a time
                if (!b.containsKey(name)
                        && !name.equals(StageTimes.COMMIT_FLUSH)
                        && !name.equals(StageTimes.COMMITS)) {
                    ms += stage.getValue();
                }
            }
            return ms
                    + Math.max(
                            0,
                            e.getOrDefault(StageTimes.OTHER, 0.0)
                                    - b.getOrDefault(StageTimes.OTHER, 0.0));
        }

        /**
         * End-to-end/bare, 1 x 1, had the model run as fast in the stream thread as on the bare
         * thread: bare ms / (bare ms + {@link #kafkaMsPerFrame()}).
         */
        public double endToEndOverBareModelAlike() {
            Optional<Phase> bare = oneThreadAt(0, 1);
            if (bare.isEmpty()) {
                return Double.NaN;
            }
            double bareMs = 1000 / bare.get().throughput().fps();
            return bareMs / (bareMs + kafkaMsPerFrame());
        }

        /**
         * End-to-end frames/s with one stream thread / bare model frames/s, both at the same
         * intra-op thread count.
         *
         * @param intraOp the count
         * @return the ratio, NaN when either did not run or did not complete
         */
        public double endToEndOverBareAt(int intraOp) {
            return fpsRatio(fastest(1, 1, intraOp), fastest(0, 1, intraOp));
        }

        /**
         * End-to-end/bare, 1 stream thread x 1 intra-op thread against the bare model on one thread
         * at one, within each round: the model's speed swings from one phase to the next, and these
         * show by how much.
         *
         * @return one ratio per round, in order; NaN for a round where either did not complete
         */
        public List<Double> endToEndOverBareByRound() {
            int rounds = phases.stream().mapToInt(Phase::round).max().orElse(0);
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                ratios.add(fpsRatio(inRound(1, round), inRound(0, round)));
            }
            return ratios;
        }

        private Optional<Phase> inRound(int streamThreads, int round) {
            return phases.stream()
                    .filter(p -> p.round() == round)
                    .filter(p -> p.threads().streamThreads() == streamThreads)
                    .filter(p -> p.threads().modelThreads() == 1)
                    .filter(p -> p.threads().intraOpThreads() == 1)
                    .filter(p -> p.throughput().complete() && Double.isFinite(p.throughput().fps()))
                    .findFirst();
        }

        /**
         * The fastest complete run on one model thread at an intra-op count.
         *
         * @param streamThreads 1 for end to end, 0 for the bare model
         * @param intraOp the count
         * @return the run, empty when none completed
         */
        public Optional<Phase> oneThreadAt(int streamThreads, int intraOp) {
            return fastest(streamThreads, 1, intraOp);
        }

        /** The intra-op counts the bare model ran at on one thread, in the order run. */
        public List<Integer> bareIntraOpCounts() {
            return phases.stream()
                    .filter(
                            p ->
                                    p.threads().streamThreads() == 0
                                            && p.threads().modelThreads() == 1)
                    .map(p -> p.threads().intraOpThreads())
                    .distinct()
                    .toList();
        }

        private Optional<Phase> fastest(int streamThreads, int modelThreads, int intraOp) {
            return phases.stream()
                    .filter(p -> p.threads().streamThreads() == streamThreads)
                    .filter(p -> p.threads().modelThreads() == modelThreads)
                    .filter(p -> intraOp == ANY_INTRA_OP || p.threads().intraOpThreads() == intraOp)
                    .filter(p -> p.throughput().complete() && Double.isFinite(p.throughput().fps()))
                    .max(Comparator.comparingDouble(p -> p.throughput().fps()));
        }

        private static double fpsRatio(Optional<Phase> a, Optional<Phase> b) {
            return a.isEmpty() || b.isEmpty()
                    ? Double.NaN
                    : Stats.ratio(a.get().throughput().fps(), b.get().throughput().fps());
        }
    }

    private PipelineBenchmark() {}

    /**
     * Runs every phase on the frames of a topic.
     *
     * @param config settings with bootstrap servers (and any user overrides)
     * @param topic the pre-published frames topic
     * @param model the recurrent model
     * @param measure how to measure: warm-up frames, latency probes and their load, whether to
     *     compare the default intra-op count, the idle limit and the rounds
     * @param progress where to print a line per step, or null
     * @return the figures
     * @throws InterruptedException when interrupted
     */
    public static Result run(
            CanvasFlowConfig config,
            String topic,
            SegmentationModel model,
            Measure measure,
            PrintWriter progress)
            throws InterruptedException {
        int warmUp = measure.warmUp();
        boolean compareDefaultIntraOp = measure.compareDefaultIntraOp();
        Duration idle = measure.idleTimeout();
        int rounds = measure.rounds();
        Map<String, Object> consumer = KafkaClients.consumer(config, "canvasflow-bench-read");
        TopicSnapshot snapshot = TopicSnapshot.take(consumer, topic, TopicSnapshot.WHOLE);
        List<Frame> frames = new ArrayList<>();
        Deserializer<Frame> deserializer = AvroSerdes.frame().deserializer();
        snapshot.read(consumer, r -> frames.add(deserializer.deserialize(topic, r.value())), idle);
        long cameras = frames.stream().map(Frame::getCameraId).distinct().count();
        int engineThreads = Math.max(1, measure.engineIntraOpThreads());
        int usable = Math.max(1, Math.min(engineThreads, measure.cores()));
        int share = Math.max(1, usable / 2);
        List<Integer> single = usable > 1 ? List.of(usable, 1) : List.of(1);
        // Two model threads need two cores: on one they would only take turns.
        boolean twoThreads = measure.cores() >= 2;
        String runId = Long.toString(System.currentTimeMillis(), 36);
        // The bare core runs under the very settings the end-to-end runs get.
        CanvasFlowConfig bareConfig = END_TO_END_MODE.applyTo(config);
        List<Phase> phases = new ArrayList<>();
        SortedMap<Integer, CommitProbe.Result> probes = new TreeMap<>();
        try {
            for (int round = 1; round <= rounds; round++) {
                if (rounds > 1) {
                    say(progress, "Round %d of %d%n", round, rounds);
                }
                for (int intraOp : single) {
                    say(
                            progress,
                            "Bare model, %d intra-op thread(s), %d frames...%n",
                            intraOp,
                            frames.size());
                    Phase bare =
                            BareRun.run(
                                    bareConfig, model, frames, warmUp, intraOp, 1, round, measure);
                    phases.add(bare);
                    say(progress, "  %.1f frames/s%n", bare.throughput().fps());
                }
                if (twoThreads) {
                    say(
                            progress,
                            "Bare model, 2 threads x %d intra-op thread(s), the cameras split"
                                    + " between them...%n",
                            share);
                    Phase bareTwo =
                            BareRun.run(
                                    bareConfig, model, frames, warmUp, share, 2, round, measure);
                    phases.add(bareTwo);
                    say(progress, "  %.1f frames/s%n", bareTwo.throughput().fps());
                }
                List<int[]> runs = new ArrayList<>();
                single.forEach(intraOp -> runs.add(new int[] {1, intraOp}));
                if (twoThreads) {
                    runs.add(new int[] {2, share});
                    if (compareDefaultIntraOp && share != usable) {
                        runs.add(new int[] {2, usable});
                    }
                }
                int k = round;
                probe(config, measure.placement(), runId + "-" + round, progress)
                        .ifPresent(p -> probes.put(k, p));
                for (int[] r : runs) {
                    phases.add(
                            endToEnd(
                                    config,
                                    snapshot,
                                    runId,
                                    model,
                                    r[0],
                                    r[1],
                                    measure.latency(),
                                    idle,
                                    round,
                                    measure.placement(),
                                    progress));
                }
            }
        } finally {
            TorchThreads.set(engineThreads);
        }
        return new Result(
                frames.size(),
                (int) cameras,
                measure.placement().machineCores().size(),
                engineThreads,
                phases,
                model.spec().version(),
                measure.placement(),
                probes);
    }

    /**
     * The round's commit probe. It only explains the figures, so a cluster that refuses it (no
     * right to a transactional id, say) costs the benchmark that line and not its run.
     */
    private static Optional<CommitProbe.Result> probe(
            CanvasFlowConfig config, CorePlacement placement, String id, PrintWriter progress)
            throws InterruptedException {
        say(progress, "Commit probe: one exactly-once commit against the broker...%n");
        try {
            CommitProbe.Result probe = CommitProbe.run(config, placement, id);
            say(
                    progress,
                    "  round trip p50 %.2f ms; commit %.2f ms%n",
                    probe.roundTripP50Ms(),
                    probe.commitMs());
            return Optional.of(probe);
        } catch (IllegalStateException e) {
            say(progress, "  skipped: %s%n", e.getMessage());
            return Optional.empty();
        }
    }

    private static Phase endToEnd(
            CanvasFlowConfig config,
            TopicSnapshot snapshot,
            String runId,
            SegmentationModel model,
            int threads,
            int intraOp,
            LatencyProbe latency,
            Duration idle,
            int round,
            CorePlacement placement,
            PrintWriter progress)
            throws InterruptedException {
        say(
                progress,
                "End to end, %d stream thread(s) x %d intra-op thread(s)...%n",
                threads,
                intraOp);
        // Stream threads are created by the run and pick the count up on their first operator.
        TorchThreads.set(intraOp);
        ModeRunner runner =
                new ModeRunner(
                        config,
                        snapshot,
                        runId,
                        new StreamThreads(threads, placement),
                        latency,
                        idle,
                        false,
                        progress);
        ModeOutcome o =
                runner.run(
                        END_TO_END_MODE,
                        model,
                        "bench-"
                                + threads
                                + "t-"
                                + intraOp
                                + "i"
                                + (round > 1 ? "-r" + round : ""));
        double modelMs =
                Stats.mean(o.masks().stream().map(r -> r.mask().getModelMillis()).toList());
        Phase phase =
                new Phase(
                        "end-to-end",
                        new Threads(threads, threads, intraOp),
                        new Throughput(
                                o.masks().size(),
                                o.drain().fps(),
                                modelMs,
                                o.accounting().complete()),
                        o.probe().latency(),
                        o.drain().loadAverage(),
                        round,
                        o.drain().cpu(),
                        o.drain().stagesMs());
        say(progress, "%s", PipelineBenchTable.endToEndLine(phase, latency.frames()));
        return phase;
    }

    private static void say(PrintWriter out, String format, Object... args) {
        if (out != null) {
            out.printf(Locale.ROOT, format, args);
            out.flush();
        }
    }
}
