package io.canvasflow.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.TestModels;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.tools.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelBenchCommandTest {

    @Test
    void shouldRefuseMoreIntraOpThreadsThanCoresBeforeLoadingAModel() {
        // Given more PyTorch threads than this machine has cores (999 was taken and run)
        int cores = Runtime.getRuntime().availableProcessors();

        // When bench model is given them
        List<Object> run = exitAndErr("--threads", Integer.toString(cores + 1));

        // Then it is refused in one sentence
        assertEquals(
                List.of(
                        2,
                        "canvasflow bench model: expected --threads from 1 to "
                                + cores
                                + " but found "
                                + (cores + 1)
                                + ": PyTorch's intra-op threads beyond this machine's "
                                + cores
                                + " cores only compete for them"),
                run);
    }

    @Test
    void shouldRefuseASizeWhoseImagesAndCanvasesDoNotFitTheHeapBeforeLoadingAModel() {
        // Given the shipped model's classes, and at 8192x8192 a pixel's 8 test images' ints, 3
        // input floats and two canvases of a float a class (it rendered the images, then ran out
        // of memory)
        Path rnn = io.canvasflow.tools.ShippedModels.rnn();
        int classes = SegmentationModel.readSpec(rnn).classNames().size();
        long pixels = 8192L * 8192;
        long bytes = 8 * 4 + 3 * 4 + 2 * 4L * classes;
        long most = Runtime.getRuntime().maxMemory() / 2 / bytes;

        // When bench model is asked to measure it after a size that fits
        List<Object> run =
                exitAndErr(
                        "--model",
                        rnn.toString(),
                        "--baseline",
                        "none",
                        "--sizes",
                        "64x48,8192x8192");

        // Then it is refused in one sentence with the most this heap holds
        assertEquals(
                List.of(
                        2,
                        String.format(
                                java.util.Locale.ROOT,
                                "canvasflow bench model: --sizes 8192x8192 would hold %d pixels"
                                        + " of test images and canvases at once, %.1f GiB, but"
                                        + " half of this JVM's heap of %s holds at most %d of"
                                        + " them; give sizes of at most %d pixels (width times"
                                        + " height), or more heap (CANVASFLOW_HEAP)",
                                pixels,
                                pixels * (double) bytes / (1L << 30),
                                io.canvasflow.cli.options.CommandFailures.heap(),
                                most,
                                most)),
                run);
    }

    @Test
    void shouldRefuseAFeedForwardModelAsTheModelToMeasureInOneSentence() {
        // Given the shipped feed-forward model, which runs one pass whatever it is asked
        Path ff = io.canvasflow.tools.ShippedModels.feedForward();

        // When bench model is given it as --model
        List<Object> run = exitAndErr("--model", ff.toString(), "--baseline", "none");

        // Then it is refused in one sentence, rather than rows of one pass named zero-k
        assertEquals(
                List.of(
                        2,
                        "canvasflow bench model: --model "
                                + ff
                                + " is a feed-forward model, which runs one pass a frame and has no"
                                + " iterations to measure; give a recurrent model as --model, and"
                                + " this one as --baseline to measure it beside it"),
                run);
        // and so is a recurrent model as --baseline, whose one pass would be the ff row
        Path rnn = io.canvasflow.tools.ShippedModels.rnn();
        assertEquals(
                List.of(
                        2,
                        "canvasflow bench model: --baseline "
                                + rnn
                                + " is a recurrent model; give a feed-forward model as --baseline"
                                + " (the shipped models/ff by default), or none"),
                exitAndErr("--model", rnn.toString(), "--baseline", rnn.toString()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldTakeTheSeededRatioAgainstTheZeroCanvasRunOfTheModelsFullCount(@TempDir Path dir)
            throws Exception {
        // Given a tiny model whose model.json says it was trained for 3 iterations, which serve
        // then runs from a zero canvas
        Path modelDir = dir.resolve("model");
        ModelSpec saved;
        ModelSpec spec = TestModels.spec(ModelType.RECURRENT, Architecture.tiny(), 64, 48);
        try (SegmentationModel model =
                SegmentationModel.initialize(TestModels.trainedFor(spec, 3), DeviceChoice.CPU)) {
            saved = model.save(modelDir);
        }
        Path json = dir.resolve("bench.json");

        // When bench model runs it with no --max-iterations
        CommandRun run =
                CommandRun.of(
                        new ModelBenchCommand(),
                        "--model",
                        modelDir.toString(),
                        "--baseline",
                        "none",
                        "--sizes",
                        "64x48",
                        "--frames",
                        "1",
                        "--json",
                        json.toString());

        // Then it measures zero-1 to zero-3, divides the seeded frame by zero-3 and says so, and
        // the JSON names the reference, the model, the (absent) baseline and the load average
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("64x48: seeded-2 / zero-3 = "), run.out());
        Map<String, Object> out = Json.parseObject(Files.readString(json));
        List<Map<String, Object>> rows = (List<Map<String, Object>>) out.get("rows");
        Map<String, Object> ratio = ((List<Map<String, Object>>) out.get("seededOverZero")).get(0);
        assertEquals(
                List.of(
                        saved.version(),
                        "null",
                        3.0,
                        List.of("zero-1", "zero-2", "zero-3", "seeded-2"),
                        List.of("64x48", 2.0, 3.0),
                        true,
                        List.of(
                                "model",
                                "baseline",
                                "fullIterations",
                                "threads",
                                "availableProcessors",
                                "loadAverage",
                                "rows",
                                "seededOverZero")),
                List.of(
                        out.get("model"),
                        String.valueOf(out.get("baseline")),
                        out.get("fullIterations"),
                        rows.stream().map(r -> r.get("mode")).toList(),
                        List.of(
                                ratio.get("size"),
                                ratio.get("seededIterations"),
                                ratio.get("zeroIterations")),
                        ratio.containsKey("msRatio") && ratio.containsKey("gflopsRatio"),
                        List.copyOf(out.keySet())));
    }

    /** Runs bench model, and gives its exit status and what it wrote to stderr, stripped. */
    private static List<Object> exitAndErr(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream testErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new ModelBenchCommand()).execute(args);
            return List.of(exit, err.toString(StandardCharsets.UTF_8).strip());
        } finally {
            System.setErr(testErr);
        }
    }
}
