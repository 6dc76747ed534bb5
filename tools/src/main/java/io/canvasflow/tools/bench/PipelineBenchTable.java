package io.canvasflow.tools.bench;

import static io.canvasflow.tools.bench.PipelineBenchmark.MIN_END_TO_END_OVER_BARE;
import static io.canvasflow.tools.bench.PipelineBenchmark.MIN_PINNED_END_TO_END_OVER_BARE;
import static io.canvasflow.tools.bench.PipelineBenchmark.MIN_TWO_THREADS_OVER_ONE;

import io.canvasflow.tools.bench.PipelineBenchmark.Phase;
import io.canvasflow.tools.bench.PipelineBenchmark.Result;
import io.canvasflow.tools.common.CpuUse;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.tools.replay.StageTimes;
import io.canvasflow.topology.CanvasFlowMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What {@code bench pipeline} prints: the phases, the ratios and where the cores went. */
final class PipelineBenchTable {

    private PipelineBenchTable() {}

    /** A readable table of the phases and the ratios. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%d frames of %d camera(s); model %s; %d core(s) (the machine's, before"
                                + " pinning); PyTorch intra-op threads by default: %d%n%n",
                        r.frames(),
                        r.cameras(),
                        r.model(),
                        r.processors(),
                        r.engineIntraOpThreads()));
        sb.append("Placement: ").append(r.placement().describe()).append("\n\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%5s %-12s %7s %8s %7s %9s %9s %9s %9s %9s %9s %6s%n",
                        "round",
                        "run",
                        "threads",
                        "intra-op",
                        "frames",
                        "frames/s",
                        "ms/frame",
                        "model ms",
                        "probe f/s",
                        "p50 ms",
                        "p99 ms",
                        "load"));
        for (Phase p : r.phases()) {
            sb.append(phase(p));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            " %7d %9.1f %9.1f %9.1f %9s %9s %9s %6s%s%n",
                            p.throughput().frames(),
                            p.throughput().fps(),
                            1000 / p.throughput().fps(),
                            p.throughput().meanModelMs(),
                            num(p.latency().rateFps(), 1),
                            num(p.latency().p50Ms(), 0),
                            num(p.latency().p99Ms(), 0),
                            num(p.loadAverage(), 1),
                            (p.throughput().complete() ? "" : "  (incomplete)")
                                    + (p.latency().complete()
                                            ? ""
                                            : "  (probe incomplete: "
                                                    + p.latency().received()
                                                    + " of "
                                                    + p.latency().frames()
                                                    + ")")));
        }
        sb.append(
                "(load: the machine's one-minute load average at the end of the run; above the"
                        + " processor count, other work shared the cores)\n");
        sb.append('\n');
        sb.append(cpuTable(r));
        sb.append('\n');
        sb.append(stagesTable(r));
        sb.append('\n');
        String commits = commitLines(r);
        if (!commits.isEmpty()) {
            sb.append(commits).append('\n');
        }
        List<Double> byRound = r.endToEndOverBareByRound();
        if (byRound.size() > 1) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "end-to-end/bare, 1 x 1, within each round: %s (median %s)%n",
                            String.join(", ", byRound.stream().map(v -> num(v, 3)).toList()),
                            num(Stats.percentile(byRound, 50), 3)));
        }
        if (r.placement().pinned()) {
            sb.append(
                    ratioLine(
                            "broker on its own core: end-to-end, 1 stream thread x 1 intra-op /"
                                    + " bare model, same core",
                            r.oneThreadAt(1, 1),
                            r.oneThreadAt(0, 1),
                            r.endToEndOverBareAt(1),
                            MIN_PINNED_END_TO_END_OVER_BARE));
        }
        sb.append(
                ratioLine(
                        "end-to-end, 1 stream thread / bare model",
                        r.best(1),
                        r.bestBare(1),
                        r.endToEndOverBare(),
                        MIN_END_TO_END_OVER_BARE));
        sb.append(
                ratioLine(
                        "2 stream threads / 1 stream thread",
                        r.best(2),
                        r.best(1),
                        r.twoThreadsOverOne(),
                        MIN_TWO_THREADS_OVER_ONE));
        sb.append(
                "(each side at its fastest round and at the intra-op thread count that was fastest"
                        + " for it)\n");
        sb.append(
                comparisonLine(
                        "bare model, 2 threads / 1 thread",
                        r.bestBare(2),
                        r.bestBare(1),
                        r.bareTwoThreadsOverOne()));
        sb.append(
                comparisonLine(
                        "end-to-end, 2 stream threads / bare model, 2 threads",
                        r.best(2),
                        r.bestBare(2),
                        r.endToEndOverBareTwoThreads()));
        for (int intraOp : r.bareIntraOpCounts()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "end-to-end, 1 stream thread / bare model, both at %d intra-op: %s%n",
                            intraOp,
                            num(r.endToEndOverBareAt(intraOp), 3)));
        }
        return sb.toString();
    }

    /**
     * What {@code bench pipeline} prints after an end-to-end run: its frames/s and its latency
     * probe's figures ({@code -} for a percentile an incomplete probe does not give), or that no
     * probe ran.
     *
     * @param p the run
     * @param latencyFrames the frames the probe was to send ({@code --latency-frames})
     * @return the line, indented, with its line break
     */
    static String endToEndLine(Phase p, int latencyFrames) {
        String latency =
                p.latency().frames() == 0
                        ? "latency not measured"
                                + (latencyFrames == 0 ? " (--latency-frames 0)" : "")
                        : String.format(
                                Locale.ROOT,
                                "latency p50 %s ms, p99 %s ms at %s frames/s",
                                num(p.latency().p50Ms(), 0),
                                num(p.latency().p99Ms(), 0),
                                num(p.latency().rateFps(), 1));
        return String.format(
                Locale.ROOT, "  %s frames/s; %s%n", num(p.throughput().fps(), 1), latency);
    }

    /**
     * Where the cores went in each run, in cores busy on average: the model's threads (the stream
     * threads, the whole topology), PyTorch's intra-op workers with the GC and JIT, the Kafka
     * clients, the other Java threads (the embedded broker), other processes, and idle.
     */
    static String cpuTable(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%5s %-12s %7s %8s | %7s %7s %7s %7s %7s %7s%n",
                        "round",
                        "run",
                        "threads",
                        "intra-op",
                        "model",
                        "native",
                        "clients",
                        "broker",
                        "others",
                        "idle"));
        for (Phase p : r.phases()) {
            CpuUse.Usage u = p.cpu();
            if (u == null) {
                continue;
            }
            double idle = (1 - u.machineBusyShare()) * u.cores();
            sb.append(phase(p));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            " | %7s %7s %7s %7s %7s %7s%n",
                            num(u.busyCores(u.ms(CpuUse.Group.MODEL_THREADS)), 2),
                            num(u.busyCores(u.nativeMs()), 2),
                            num(u.busyCores(u.ms(CpuUse.Group.KAFKA_CLIENTS)), 2),
                            num(u.busyCores(u.ms(CpuUse.Group.OTHER_JAVA)), 2),
                            num(u.busyCores(u.otherProcessesMs()), 2),
                            num(idle, 2)));
        }
        sb.append(
                "(cores busy on average while the frames ran: model = the thread(s) running the"
                        + " model, for end-to-end the stream threads with all of the topology's"
                        + " work; native = PyTorch's other intra-op threads, GC and JIT; clients ="
                        + " Kafka client I/O threads and the mask reader; broker = the other Java"
                        + " threads, mostly the embedded broker; others = other processes; every"
                        + " column is of the machine's cores, which a row adds up to)\n");
        return sb.toString();
    }

    /**
     * The exactly-once commit: what the probe's commit with no model cost in each round, how often
     * the 1 x 1 stream thread committed and what each commit cost it, and the ceiling its commit
     * waits put on the end-to-end/bare ratio: a stream thread waits for its commit with its core
     * idle.
     */
    static String commitLines(Result r) {
        Optional<Phase> e2e = r.oneThreadAt(1, 1);
        Optional<Phase> bare = r.oneThreadAt(0, 1);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, CommitProbe.Result> round : r.commitProbes().entrySet()) {
            CommitProbe.Result probe = round.getValue();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "commit probe, round %d (no model): produce round trip p50 %s ms, p90 %s"
                                    + " ms; one exactly-once commit %s ms (flush %s, offsets %s,"
                                    + " end %s)%n",
                            round.getKey(),
                            num(probe.roundTripP50Ms(), 2),
                            num(probe.roundTripP90Ms(), 2),
                            num(probe.commitMs(), 2),
                            num(probe.flushMs(), 2),
                            num(probe.offsetsMs(), 2),
                            num(probe.endMs(), 2)));
        }
        if (e2e.isEmpty() || !e2e.get().stagesMs().containsKey(StageTimes.COMMITS)) {
            return sb.toString();
        }
        Phase p = e2e.get();
        double perFrame = p.stagesMs().get(StageTimes.COMMITS);
        double waitMs = p.stagesMs().getOrDefault(StageTimes.COMMIT_WAIT, Double.NaN);
        if (perFrame > 0) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "end-to-end 1x1 (round %d): a commit every %s frames, %s ms each%s%n",
                            p.round(),
                            num(1 / perFrame, 1),
                            num(waitMs / perFrame, 2),
                            r.commitProbes().containsKey(p.round())
                                    ? " (the probe's that round: "
                                            + num(r.commitProbes().get(p.round()).commitMs(), 2)
                                            + " ms)"
                                    : ""));
        }
        if (bare.isPresent()) {
            double bareMs = 1000 / bare.get().throughput().fps();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "commit waits alone: %s ms a frame; with no other cost of Kafka's,"
                                    + " end-to-end/bare could reach %s (bare frame %s ms)%n",
                            num(waitMs, 2),
                            num(bareMs / (bareMs + waitMs), 3),
                            num(bareMs, 2)));
            double kafkaMs = r.kafkaMsPerFrame();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "Kafka's cost: %s ms a frame (commit waits %s, the rest %s: the stages"
                                    + " and waits the bare thread does not have, and its other"
                                    + " beyond bare); had the model run as fast as bare,"
                                    + " end-to-end/bare would be %s%n",
                            num(kafkaMs, 2),
                            num(waitMs, 2),
                            num(kafkaMs - waitMs, 2),
                            num(r.endToEndOverBareModelAlike(), 3)));
        }
        return sb.toString();
    }

    /**
     * Where a model thread's time per frame went, for the bare model and one stream thread at one
     * intra-op thread (and at the fastest count, when that differs): the frame stages, then end to
     * end Kafka's commit and poll waits, and the rest.
     */
    /** The stage table's footnote: what each row times. */
    static final String STAGES_NOTE =
            "(a model thread's wall time per frame: the frame stages as canvasflow_frame_stage_seconds"
                    + " times them; resize = the segmenter's work around the network, mostly the"
                    + " upsample and argmax of its logits to the class map, and the input tensor;"
                    + " encode = the mask event (PNG, class fractions) and the new canvas (float16"
                    + " logits, its CanvasState); a GC pause counts in the stage it stops (one an"
                    + " allocation starts mostly in resize, which allocates the most); end to end,"
                    + " commit wait = the exactly-once commit (producer flush and transaction"
                    + " calls; commit flush = the part of it waiting until the transaction's"
                    + " records are sent and acknowledged), poll wait = the rest of Kafka Streams'"
                    + " blocked-time-ns-total; other = what is left: the stream thread's own loop,"
                    + " punctuation, the canvas policy, the stored canvas's decode and the scene-cut"
                    + " check; ~0 where the stages came to a little more than the wall time)\n";

    static String stagesTable(Result r) {
        List<String> names = new ArrayList<>();
        List<Phase> columns = new ArrayList<>();
        for (int intraOp : new int[] {1, r.engineIntraOpThreads()}) {
            for (int streamThreads : new int[] {0, 1}) {
                Optional<Phase> p = r.oneThreadAt(streamThreads, intraOp);
                if (p.isPresent() && !columns.contains(p.get())) {
                    columns.add(p.get());
                    names.add(
                            (streamThreads == 0 ? "bare" : "end-to-end")
                                    + " 1x"
                                    + p.get().threads().intraOpThreads());
                }
            }
        }
        if (columns.isEmpty()) {
            return "";
        }
        List<String> rows = new ArrayList<>(CanvasFlowMetrics.STAGES);
        rows.addAll(
                List.of(
                        StageTimes.COMMIT_WAIT,
                        StageTimes.COMMIT_FLUSH,
                        StageTimes.POLL_WAIT,
                        StageTimes.OTHER));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-14s", "ms per frame"));
        names.forEach(n -> sb.append(String.format(Locale.ROOT, " %15s", n)));
        sb.append('\n');
        for (String row : rows) {
            if (columns.stream().noneMatch(p -> p.stagesMs().containsKey(row))) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-14s", row));
            for (Phase p : columns) {
                double ms = p.stagesMs().getOrDefault(row, Double.NaN);
                // other is not timed but what the stages leave of the wall time, and they are
                // timed apart from it (end to end, a stage under way when the span began counts
                // in full when it ends): a little below 0 is about none left. The JSON keeps the
                // figure as measured.
                boolean belowZero = row.equals(StageTimes.OTHER) && ms < 0;
                sb.append(String.format(Locale.ROOT, " %15s", belowZero ? "~0" : num(ms, 2)));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%-14s", "total"));
        for (Phase p : columns) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            " %15s",
                            num(1000 * p.threads().modelThreads() / p.throughput().fps(), 2)));
        }
        sb.append('\n');
        // What each timer spans, not what its name suggests: a reader who sees resize grow takes
        // it for the input resize, and a collector's pause is charged where it stops the thread.
        sb.append(STAGES_NOTE);
        return sb.toString();
    }

    private static String ratioLine(
            String what, Optional<Phase> a, Optional<Phase> b, double ratio, double bar) {
        return String.format(
                Locale.ROOT,
                "%s: %s   (bar: >= %s, %s)   [%s / %s]%n",
                what,
                num(ratio, 3),
                bar,
                !Double.isFinite(ratio) ? "not measured" : ratio >= bar ? "met" : "NOT met",
                describe(a),
                describe(b));
    }

    /** A ratio shown for insight, with no bar. */
    private static String comparisonLine(
            String what, Optional<Phase> a, Optional<Phase> b, double ratio) {
        return String.format(
                Locale.ROOT, "%s: %s   [%s / %s]%n", what, num(ratio, 3), describe(a), describe(b));
    }

    /** For example {@code 37.3 f/s at 1 intra-op}. */
    static String describe(Optional<Phase> p) {
        return p.map(
                        x ->
                                String.format(
                                        Locale.ROOT,
                                        "%.1f f/s at %d intra-op",
                                        x.throughput().fps(),
                                        x.threads().intraOpThreads()))
                .orElse("-");
    }

    static String num(double v, int decimals) {
        return Stats.format(v, decimals);
    }

    /** The columns that name a phase: round, name, model threads and intra-op threads. */
    private static String phase(Phase p) {
        return String.format(
                Locale.ROOT,
                "%5d %-12s %7s %8d",
                p.round(),
                p.name(),
                Integer.toString(p.threads().modelThreads()),
                p.threads().intraOpThreads());
    }
}
