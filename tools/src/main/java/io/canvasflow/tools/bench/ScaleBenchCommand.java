package io.canvasflow.tools.bench;

import io.canvasflow.tools.common.BenchRun;
import io.canvasflow.tools.common.CorePlacement;
import io.canvasflow.tools.common.Json;
import io.canvasflow.tools.replay.OwnedSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.errors.InterruptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canvasflow bench scale}: what a frame costs as the number of cameras grows at the same
 * total frame rate, what the canvas store costs to restore, and how long a second instance takes to
 * take over half the partitions.
 */
@Command(
        name = "scale",
        // -D's text: the settings each serve sets itself are refused (OwnedSettings)
        resourceBundle = "io.canvasflow.tools.bench.ScaleHelp",
        sortOptions = false,
        description = {
            "The same total frame rate spread over 4, 64 and 512 cameras (as many partitions,"
                    + " up to --max-partitions), each run a fresh `serve` in a child JVM: its CPU"
                    + " ms per frame (all its threads), model ms, capture-to-mask latency p50/p99,"
                    + " canvas-store bytes per camera and resident set.",
            "Then the canvas store restored from its changelog into a serve with an empty state"
                    + " directory, for 1,000 and 10,000 cameras, and a second serve taking over"
                    + " half the partitions. Prints a table and JSON (the input of `canvasflow"
                    + " capacity --measured`)."
        })
public final class ScaleBenchCommand extends KafkaBenchCommand {

    @Option(
            names = "--cameras",
            split = ",",
            defaultValue = "4,64,512",
            description = "Camera counts (default ${DEFAULT-VALUE}).")
    List<Integer> cameras;

    @Option(
            names = "--rate",
            defaultValue = "20",
            description =
                    "Total frames per second, spread over the cameras (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            description = "Measured seconds per camera count (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--max-partitions",
            defaultValue = "512",
            description =
                    "At most this many partitions; a run has one per camera up to it (default"
                            + " ${DEFAULT-VALUE}).")
    int maxPartitions;

    @Option(
            names = "--partitions",
            description =
                    "The same partition count for every camera count (what one deployment sees as"
                            + " cameras are added), instead of one per camera up to"
                            + " --max-partitions.")
    Integer partitions;

    @Option(
            names = "--restore",
            split = ",",
            defaultValue = "1000,10000",
            description =
                    "Camera counts of the restore runs, each once; they run in increasing order"
                            + " (default ${DEFAULT-VALUE}).")
    List<Integer> restore;

    @Option(names = "--no-restore", description = "Skip the restore runs.")
    boolean noRestore;

    @Option(
            names = "--restore-partitions",
            defaultValue = "12",
            description =
                    "Partitions of the restore runs, as serve creates them by default (default"
                            + " ${DEFAULT-VALUE}).")
    int restorePartitions;

    @Option(
            names = "--no-takeover",
            description = "Skip the second instance's take-over after the largest restore.")
    boolean noTakeover;

    @Option(
            names = "--no-pin",
            description =
                    "Leave the broker and serve on every core instead of the broker on the last"
                            + " core and serve on the rest.")
    boolean noPin;

    @Override
    public Integer call() {
        PrintWriter out = out();
        require(
                !cameras.isEmpty() && cameras.stream().allMatch(c -> c >= 1),
                "--cameras",
                "counts >= 1",
                cameras);
        require(rate > 0, "--rate", "> 0", rate);
        require(seconds > 0, "--seconds", "> 0", seconds);
        int most = cameras.stream().max(Integer::compare).orElse(1);
        long measured = ScaleBenchmark.measuredFrames(rate, seconds);
        if (measured < most) {
            throw usage(
                    String.format(
                            Locale.ROOT,
                            "expected --rate x --seconds of at least a frame per camera (%d) but"
                                    + " found %s x %s = %d frames",
                            most,
                            rate,
                            seconds,
                            measured));
        }
        require(maxPartitions >= 1, "--max-partitions", ">= 1", maxPartitions);
        require(partitions == null || partitions >= 1, "--partitions", ">= 1", partitions);
        require(restore.stream().allMatch(c -> c >= 1), "--restore", "counts >= 1", restore);
        require(
                restore.stream().distinct().count() == restore.size(),
                "--restore",
                "each camera count once (the resident set per camera is the line through"
                        + " different counts)",
                restore);
        require(restorePartitions >= 1, "--restore-partitions", ">= 1", restorePartitions);
        require(
                noRestore || noTakeover || restore.isEmpty() || restorePartitions >= 2,
                "--restore-partitions",
                ">= 2 for the take-over, in which a second serve takes half of them (or"
                        + " --no-takeover)",
                restorePartitions);
        refuseIf(
                OwnedSettings.problem(
                        "canvasflow bench scale",
                        overrideOptions.overrides(),
                        OwnedSettings.runOwners(ScaleBenchmark.RUN_SETTINGS)));
        return checkAndRun(
                "canvasflow bench scale",
                () -> {
                    Map<String, Object> result = run(out);
                    BenchRun.print(
                            out,
                            ScaleReport.table(result),
                            Json.pretty(result),
                            jsonOptions.json());
                    return exitStatus(result, err());
                });
    }

    /** Each serve's: no variable serve would read as a setting ({@link ServeProcess}). */
    @Override
    Map<String, String> runEnvironment() {
        return ServeProcess.environment(System.getenv());
    }

    /**
     * The exit status of a finished run: 0, or 1 when the take-over did not complete before its
     * deadline (a figure not measured, as the other benchmarks' incomplete runs), with a line on
     * standard error.
     *
     * @param result the figures as {@link ScaleReport#json} made them
     * @param err where the line goes
     * @return 0 or 1
     */
    @SuppressWarnings("unchecked")
    static int exitStatus(Map<String, Object> result, PrintWriter err) {
        int status = 0;
        for (Map<String, Object> r : (List<Map<String, Object>>) result.get("restores")) {
            if (r.get("takeover") instanceof Map<?, ?> t
                    && Boolean.FALSE.equals(t.get("complete"))) {
                err.println(
                        "canvasflow bench scale: the second serve had not taken over half of "
                                + r.get("partitions")
                                + " partitions, restored, within "
                                + RestoreBenchmark.TAKEOVER_DEADLINE.toSeconds()
                                + " s; no take-over time is given");
                status = 1;
            }
        }
        return status;
    }

    private Map<String, Object> run(PrintWriter out) throws InterruptedException {
        Path work = tempDir();
        // kept, with serve's logs, only when the run failed: they say why
        boolean keep = true;
        try {
            Map<String, Object> result = runIn(work, out);
            keep = false;
            return result;
        } catch (InterruptedException | InterruptException e) {
            // stopped by the user (Ctrl-C, SIGTERM): nothing to look into
            keep = false;
            throw e;
        } finally {
            if (keep) {
                out.println("The serve logs are kept in " + work);
            } else {
                ScaleBenchmark.deleteTree(work);
            }
        }
    }

    private Map<String, Object> runIn(Path work, PrintWriter out) throws InterruptedException {
        if (kafkaOptions.bootstrapServers() != null) {
            out.println("Using the Kafka cluster at " + kafkaOptions.bootstrapServers());
            return measure(
                    new ScaleBenchmark.Common(
                            kafkaOptions.bootstrapServers(),
                            CorePlacement.shared(
                                    "a Kafka cluster at " + kafkaOptions.bootstrapServers()),
                            modelOptions.model(),
                            overrideOptions.overrides(),
                            work),
                    out);
        }
        CorePlacement placement =
                noPin
                        ? CorePlacement.shared("broker in a child JVM, both on every core")
                        : CorePlacement.separate();
        out.println("Starting a Kafka broker in a child JVM (" + placement.describe() + ")...");
        out.flush();
        try (ChildBroker broker =
                ChildBroker.start("2g", Duration.ofMinutes(2), placement.brokerPrefix())) {
            return measure(
                    new ScaleBenchmark.Common(
                            broker.bootstrapServers(),
                            placement,
                            modelOptions.model(),
                            overrideOptions.overrides(),
                            work),
                    out);
        }
    }

    private Map<String, Object> measure(ScaleBenchmark.Common common, PrintWriter out)
            throws InterruptedException {
        List<ScaleBenchmark.Run> runs = new ArrayList<>();
        for (int c : cameras) {
            int p = partitions != null ? partitions : Math.min(c, maxPartitions);
            runs.add(ScaleBenchmark.run(common, c, p, rate, seconds, out));
        }
        byte[] canvas = runs.get(0).memory().canvasValue();
        List<RestoreBenchmark.Run> restores = new ArrayList<>();
        // in increasing camera count, so that the take-over follows the largest restore
        List<Integer> restore = noRestore ? List.of() : this.restore.stream().sorted().toList();
        for (int i = 0; i < restore.size(); i++) {
            boolean last = i == restore.size() - 1;
            restores.add(
                    RestoreBenchmark.run(
                            common,
                            restore.get(i),
                            restorePartitions,
                            canvas,
                            last && !noTakeover,
                            out));
        }
        return ScaleReport.json(common.placement(), runs, restores);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("canvasflow-bench-scale-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
