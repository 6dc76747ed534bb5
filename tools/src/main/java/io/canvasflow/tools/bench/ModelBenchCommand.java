package io.canvasflow.tools.bench;

import io.canvasflow.cli.options.JsonOptions;
import io.canvasflow.cli.options.ModelOptions;
import io.canvasflow.clients.CliValues;
import io.canvasflow.model.DefaultModels;
import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.tools.common.Json;
import io.canvasflow.tools.common.StartChecks;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.trainer.HeapRoom;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code canvasflow bench model}: per-frame cost of the network, no Kafka involved. */
@Command(
        name = "model",
        description =
                "Per-frame milliseconds (median, p90) and GFLOPs: 1..N iterations from a zero"
                        + " canvas, 2 iterations seeded, and the feed-forward baseline, per input"
                        + " size; the seeded frame over a zero-canvas one of the model's full count.")
public final class ModelBenchCommand implements Callable<Integer> {

    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--baseline",
            description = "Feed-forward model directory (default: the shipped ff; 'none' to skip).")
    String baseline;

    @Option(
            names = "--sizes",
            split = ",",
            defaultValue = "128x96,256x192,480x360",
            description = "Input sizes (default ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(
            names = "--max-iterations",
            paramLabel = "N",
            description =
                    "Longest zero-canvas run (default: the model's full count, its model.json's"
                            + " iterationsTrained: what serve runs from a zero canvas and the"
                            + " seeded ratio divides by).")
    Integer maxIterations;

    @Option(
            names = "--frames",
            defaultValue = "30",
            description = "Measured frames per configuration (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--threads",
            description = "PyTorch intra-op threads (default: the engine's choice).")
    Integer threads;

    @Mixin JsonOptions jsonOptions;

    @Override
    public Integer call() throws Exception {
        if (frames < 1
                || (maxIterations != null && maxIterations < 1)
                || (threads != null && threads < 1)) {
            return refuse(
                    frames < 1
                            ? "expected --frames >= 1 but found " + frames
                            : maxIterations != null && maxIterations < 1
                                    ? "expected --max-iterations >= 1 but found " + maxIterations
                                    : "expected --threads >= 1 but found " + threads);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads != null && threads > cores) {
            return refuse(
                    "expected --threads from 1 to "
                            + cores
                            + " but found "
                            + threads
                            + ": PyTorch's intra-op threads beyond this machine's "
                            + cores
                            + " cores only compete for them");
        }
        Path rnnDir =
                modelOptions.model() != null
                        ? modelOptions.model()
                        : DefaultModels.dir(DefaultModels.RNN);
        Path ffDir =
                "none".equals(baseline)
                        ? null
                        : baseline != null
                                ? Path.of(baseline)
                                : DefaultModels.dir(DefaultModels.FEED_FORWARD);
        int[][] parsed = new int[sizes.size()][];
        try {
            for (int i = 0; i < sizes.size(); i++) {
                parsed[i] = CliValues.size(sizes.get(i), "--sizes");
            }
        } catch (IllegalArgumentException e) {
            return refuse(e.getMessage());
        }
        for (String problem :
                Arrays.asList(
                        StartChecks.modelProblem(rnnDir, "--model"),
                        StartChecks.modelProblem(ffDir, "--baseline"))) {
            if (problem != null) {
                return refuse(problem);
            }
        }
        if (!SegmentationModel.readSpec(rnnDir).network().type().readsCanvas()) {
            // one pass whatever it is asked: zero-k and seeded rows would all be that pass
            return refuse(
                    "--model "
                            + rnnDir
                            + " is a feed-forward model, which runs one pass a frame and has no"
                            + " iterations to measure; give a recurrent model as --model, and this"
                            + " one as --baseline to measure it beside it");
        }
        if (ffDir != null && SegmentationModel.readSpec(ffDir).network().type().readsCanvas()) {
            // its one pass would be printed as the feed-forward row
            return refuse(
                    "--baseline "
                            + ffDir
                            + " is a recurrent model; give a feed-forward model as --baseline (the"
                            + " shipped models/ff by default), or none");
        }
        String tooLarge =
                sizeTooLarge(parsed, SegmentationModel.readSpec(rnnDir).classNames().size());
        if (tooLarge != null) {
            return refuse(tooLarge);
        }
        if (threads != null) {
            // read by the PyTorch engine when it loads, which has not happened yet
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        List<ModelBenchmark.Row> rows;
        Map<String, Object> out = new LinkedHashMap<>();
        int full;
        try (SegmentationModel rnn = SegmentationModel.load(rnnDir);
                SegmentationModel ff = ffDir == null ? null : SegmentationModel.load(ffDir)) {
            // what serve runs from a zero canvas with this model, so the ratio is serve's
            full = CanvasFlowConfig.defaults().fullIterations(rnn.spec());
            out.put("model", rnn.spec().version());
            out.put("baseline", ff == null ? null : ff.spec().version());
            System.out.println(
                    "Model "
                            + rnn.spec().version()
                            + ": "
                            + full
                            + " iterations from a zero canvas (what serve runs), "
                            + ModelBenchmark.SEEDED
                            + " seeded; baseline "
                            + (ff == null ? "none" : ff.spec().version()));
            int longest = maxIterations != null ? maxIterations : full;
            rows = ModelBenchmark.run(rnn, ff, parsed, longest, full, frames);
        } catch (ModelLoadException e) {
            // parameters whose checksum matches but which do not fit the network
            return refuse(e.getMessage());
        }
        List<ModelBenchmark.Ratio> ratios = ModelBenchmark.seededRatios(rows, full);
        System.out.print(ModelBenchmark.table(rows));
        System.out.println();
        if (maxIterations != null && maxIterations < full) {
            System.out.println(
                    "--max-iterations "
                            + maxIterations
                            + " stops below the "
                            + full
                            + " iterations the model runs from zero, so the reference (zero-"
                            + full
                            + ") and the seeded ratio are not measured");
        }
        ratios.forEach(
                r ->
                        System.out.printf(
                                Locale.ROOT,
                                "%s: seeded-%d / zero-%d = %.3f in ms, %.3f in GFLOPs%n",
                                r.size(),
                                r.seededIterations(),
                                r.zeroIterations(),
                                r.msRatio(),
                                r.gflopsRatio()));
        if (jsonOptions.json() != null) {
            out.put("fullIterations", full);
            out.put("threads", threads);
            out.put("availableProcessors", Runtime.getRuntime().availableProcessors());
            out.put("loadAverage", Stats.finite(Stats.loadAverage()));
            out.put("rows", rows);
            out.put("seededOverZero", ratios);
            Json.write(jsonOptions.json(), out);
            System.out.println("Wrote " + jsonOptions.json());
        }
        return 0;
    }

    /**
     * The first size whose images and canvases would not fit the heap ({@link HeapRoom}), said in
     * one sentence, or null. Measuring a size holds, a pixel, at least: its {@value
     * ModelBenchmark#IMAGES} test images' ints, a frame's 3 input floats, and two canvases of a
     * float a class (the seed the seeded rows start from and a result's).
     */
    private static String sizeTooLarge(int[][] sizes, int classes) {
        long bytesPerPixel = 4L * ModelBenchmark.IMAGES + 4 * 3 + 2 * 4L * classes;
        for (int i = 0; i < sizes.length; i++) {
            long pixels = (long) sizes[i][0] * sizes[i][1];
            String problem =
                    HeapRoom.problem(
                            "--sizes "
                                    + sizes[i][0]
                                    + "x"
                                    + sizes[i][1]
                                    + " would hold "
                                    + pixels
                                    + " pixels of test images and canvases",
                            pixels,
                            bytesPerPixel,
                            most ->
                                    "give sizes of at most "
                                            + most
                                            + " pixels (width times height)");
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** A bad option or model: one line on standard error and status 2. */
    private static int refuse(String sentence) {
        System.err.println("canvasflow bench model: " + sentence);
        return 2;
    }
}
