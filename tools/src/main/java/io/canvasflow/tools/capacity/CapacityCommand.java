package io.canvasflow.tools.capacity;

import io.canvasflow.cli.options.BaseCommand;
import io.canvasflow.cli.options.JsonOptions;
import io.canvasflow.clients.FramePublisher;
import io.canvasflow.tools.common.BenchRun;
import io.canvasflow.tools.common.Json;
import io.canvasflow.tools.common.Stats;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code canvasflow capacity}: cores, instances, Kafka traffic, partitions, state and restore time
 * for a number of cameras, from the per-frame figures {@code bench scale} measured ({@link
 * CapacityModel} has the formulas; docs/capacity.md explains them).
 */
@Command(
        name = "capacity",
        sortOptions = false,
        description = {
            "Sizes a deployment from measured per-frame figures: CPU cores and serve instances,"
                    + " bytes/s written into Kafka (the cameras' frames, serve's masks and"
                    + " changelog), partitions, canvas-store bytes, restore time,"
                    + " resident set, and GPUs (an estimate: not measured on a GPU). The figures"
                    + " are the ones docs/capacity.md was written from, or your own `bench scale"
                    + " --json` file. Prints a table and JSON."
        })
public final class CapacityCommand extends BaseCommand {

    /** The {@code bench scale} JSON the shipped figures come from. */
    static final String SHIPPED = "measured-scale.json";

    @Option(
            names = "--cameras",
            split = ",",
            defaultValue = "100,1000,10000",
            description = "Camera counts (default ${DEFAULT-VALUE}).")
    List<Long> cameras;

    @Option(
            names = "--fps",
            defaultValue = "10",
            description = "Frames per second per camera (default ${DEFAULT-VALUE}).")
    double fps;

    @Option(
            names = "--cores-per-instance",
            defaultValue = "8",
            description = "Cores of each serve instance (default ${DEFAULT-VALUE}).")
    int coresPerInstance;

    @Option(
            names = "--utilisation",
            defaultValue = "0.7",
            description =
                    "Share of each core to plan for, leaving room for bursts and rebalances"
                            + " (default ${DEFAULT-VALUE}).")
    double utilisation;

    @Option(
            names = "--frame-bytes",
            description =
                    "Bytes of one frame's image as your cameras send it (default: the measured"
                            + " synthetic 256x192 JPEG's).")
    Double frameBytes;

    @Option(
            names = "--gpu-ms-per-frame",
            defaultValue = "2.0",
            description =
                    "Assumed GPU milliseconds of one frame's model, for the GPU estimate (default"
                            + " ${DEFAULT-VALUE}; not measured: no GPU was available).")
    double gpuMsPerFrame;

    @Option(
            names = "--partitions",
            description =
                    "Partitions of the frames topic (default: planned, one per stream thread in"
                            + " steps of 12); with many per stream thread each exactly-once commit"
                            + " takes longer, and the plan adds threads for it.")
    Integer partitions;

    @Option(
            names = "--measured",
            paramLabel = "FILE",
            description = "The JSON of your own `canvasflow bench scale --json FILE` run.")
    Path measured;

    @Mixin JsonOptions jsonOptions;

    @Override
    public Integer call() {
        require(
                !cameras.isEmpty() && cameras.stream().allMatch(c -> c >= 1),
                "--cameras",
                "counts >= 1",
                cameras);
        require(fps > 0, "--fps", "> 0", fps);
        require(coresPerInstance >= 1, "--cores-per-instance", ">= 1", coresPerInstance);
        require(utilisation > 0 && utilisation <= 1, "--utilisation", "in (0, 1]", utilisation);
        require(gpuMsPerFrame > 0, "--gpu-ms-per-frame", "> 0", gpuMsPerFrame);
        require(
                frameBytes == null
                        || (frameBytes > 0 && frameBytes <= FramePublisher.MAX_REQUEST_BYTES),
                "--frame-bytes",
                "> 0 and at most " + FramePublisher.MAX_REQUEST_BYTES + " (a frame's record limit)",
                frameBytes);
        // 0 was taken as "plan them", which only leaving the option out says
        require(
                partitions == null || partitions >= 1,
                "--partitions",
                ">= 1 (leave it out to have them planned)",
                partitions);
        if (measured != null && !Files.isRegularFile(measured)) {
            throw usage("no file at " + measured + " (--measured takes bench scale's JSON)");
        }
        PrintWriter out = out();
        return BenchRun.exitCode(
                "canvasflow capacity",
                jsonOptions.json(),
                out,
                err(),
                () -> {
                    // BenchRun says an IllegalArgumentException in one line, status 2
                    Map<String, Object> source = load();
                    Measured m;
                    try {
                        m = Measured.fit(source, measured == null ? SHIPPED : measured.toString());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                (measured == null
                                                ? "the shipped figures " + SHIPPED
                                                : "--measured " + measured)
                                        + " is not bench scale's JSON: "
                                        + e.getMessage(),
                                e);
                    }
                    if (frameBytes != null) {
                        m = m.withFrameBytes(frameBytes);
                    }
                    Map<String, Object> result = result(m, source);
                    BenchRun.print(
                            out,
                            CapacityTable.table(result),
                            Json.pretty(result),
                            jsonOptions.json());
                    return 0;
                });
    }

    /** The measured figures: the user's file, read and parsed now, or the shipped ones. */
    private Map<String, Object> load() {
        if (measured != null) {
            String text;
            try {
                text = Files.readString(measured);
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(
                        "--measured " + measured + " is not UTF-8 text; give bench scale's JSON",
                        e);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read --measured " + measured + ": " + e.getMessage(), e);
            }
            try {
                return Json.parseObject(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--measured " + measured + " is not bench scale's JSON: " + e.getMessage(),
                        e);
            }
        }
        try (InputStream in = CapacityCommand.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("the shipped figures " + SHIPPED + " are missing");
            }
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped figures " + SHIPPED, e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> result(Measured m, Map<String, Object> source) {
        Map<String, Object> r = new LinkedHashMap<>();
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("source", m.source());
        fit.put("cpuMsPerFrame", Stats.finite(m.cpuMsPerFrame()));
        fit.put("cpuMsPerPartitionSecond", Stats.finite(m.cpuMsPerPartitionSecond()));
        fit.put("modelMsPerFrame", Stats.finite(m.modelMsPerFrame()));
        fit.put("frameBytes", Stats.finite(m.sizes().frameBytes()));
        fit.put("maskBytes", Stats.finite(m.sizes().maskBytes()));
        fit.put("canvasBytes", Stats.finite(m.sizes().canvasBytes()));
        fit.put("restoreBytesPerSecond", Stats.finite(m.restoreBytesPerSecond()));
        fit.put("rssBytesBase", Stats.finite(m.memory().base()));
        fit.put("rssBytesPerPartition", Stats.finite(m.memory().perPartition()));
        fit.put("rssBytesPerCamera", Stats.finite(m.memory().perCamera()));
        fit.put("commitsPerSecond", Stats.finite(m.commits().perSecond()));
        fit.put("msPerCommitBase", Stats.finite(m.commits().msBase()));
        fit.put("msPerCommitPerPartition", Stats.finite(m.commits().msPerPartition()));
        r.put("measured", fit);
        List<Map<String, Object>> check = new ArrayList<>();
        for (Map<String, Object> run : (List<Map<String, Object>>) source.get("runs")) {
            double rate = ((Number) run.get("rateFps")).doubleValue();
            int partitions = ((Number) run.get("partitions")).intValue();
            double measuredCores = ((Number) run.get("coresBusy")).doubleValue();
            double predicted = CapacityModel.coresBusy(m, rate, partitions);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("cameras", ((Number) run.get("cameras")).intValue());
            o.put("partitions", partitions);
            o.put("rateFps", rate);
            o.put("measuredCores", Stats.finite(measuredCores));
            o.put("predictedCores", Stats.finite(predicted));
            o.put("error", Stats.finite(predicted / measuredCores - 1));
            double measuredRss = ((Number) run.get("rssBytes")).doubleValue();
            double predictedRss =
                    m.memory().bytes(partitions, ((Number) run.get("cameras")).doubleValue());
            o.put("measuredRssBytes", Stats.finite(measuredRss));
            o.put("predictedRssBytes", Stats.finite(predictedRss));
            o.put("rssError", Stats.finite(predictedRss / measuredRss - 1));
            if (run.get("msPerCommit") instanceof Number ms) {
                double predictedMs =
                        m.commits().msBase() + m.commits().msPerPartition() * partitions;
                o.put("measuredMsPerCommit", Stats.finite(ms.doubleValue()));
                o.put("predictedMsPerCommit", Stats.finite(predictedMs));
            }
            check.add(o);
        }
        r.put("fitAgainstMeasured", check);
        List<Map<String, Object>> estimates = new ArrayList<>();
        for (long c : cameras) {
            CapacityModel.Deployment d =
                    new CapacityModel.Deployment(
                            c,
                            fps,
                            coresPerInstance,
                            utilisation,
                            gpuMsPerFrame,
                            partitions == null ? 0 : partitions);
            CapacityModel.Estimate e = CapacityModel.estimate(m, d);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("cameras", c);
            o.put("fps", fps);
            o.put("framesPerSecond", d.framesPerSecond());
            o.put("partitions", e.partitions());
            o.put("cores", Stats.finite(e.cpu().cores()));
            o.put("streamThreads", e.cpu().streamThreads());
            o.put("commitShare", Stats.finite(e.cpu().commitShare()));
            o.put("instances", e.cpu().instances());
            o.put("coresPerInstance", coresPerInstance);
            o.put("rssBytesPerInstance", Stats.finite(e.cpu().rssBytesPerInstance()));
            o.put("framesBytesPerSecond", Stats.finite(e.kafka().framesBytesPerSecond()));
            o.put("serveWritesBytesPerSecond", Stats.finite(e.kafka().serveWritesBytesPerSecond()));
            o.put("brokerInBytesPerSecond", Stats.finite(e.kafka().brokerInBytesPerSecond()));
            o.put("stateBytes", Stats.finite(e.state().bytes()));
            o.put("restoreSecondsPerInstance", Stats.finite(e.state().restoreSecondsPerInstance()));
            o.put("gpusEstimate", Stats.finite(e.gpu().gpus()));
            o.put("cpuCoresBesideGpus", Stats.finite(e.gpu().cpuCores()));
            estimates.add(o);
        }
        r.put("estimates", estimates);
        // the figures' units and scope, beside names that files already use
        Map<String, Object> units = new LinkedHashMap<>();
        units.put("fps", "frames per second of one camera");
        units.put("framesPerSecond", "frames per second of all the cameras together");
        units.put("error", "formula / measured - 1 of the cores, a fraction (0.05 is 5 %)");
        units.put("rssError", "formula / measured - 1 of the resident set, a fraction");
        units.put("commitShare", "a share of a stream thread's time, a fraction");
        units.put("bytes", "in bytes; the table's MB are 10^6 bytes");
        units.put(
                "framesBytesPerSecond",
                "bytes per second the cameras write into Kafka (the frames topic)");
        units.put(
                "serveWritesBytesPerSecond",
                "bytes per second serve writes into Kafka (masks and the canvas changelog):"
                        + " broker ingress like the frames, not egress; every-frame mode, the"
                        + " changelog at min(1, "
                        + BigDecimal.valueOf(CapacityModel.CHANGELOG_COMMITS_PER_SECOND)
                                .stripTrailingZeros()
                                .toPlainString()
                        + " / fps) canvases a frame (one per commit at most)");
        units.put(
                "brokerInBytesPerSecond",
                "the two together: bytes per second the brokers take in, before replication"
                        + " (reads out of Kafka are not counted: serve's of the frames,"
                        + " viewers' of the masks)");
        r.put("units", units);
        r.put(
                "note",
                String.format(
                        Locale.ROOT,
                        "GPU figures assume %.1f ms per frame on a GPU: an estimate, not measured",
                        gpuMsPerFrame));
        return r;
    }
}
