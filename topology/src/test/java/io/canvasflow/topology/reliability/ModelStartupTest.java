package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.topology.ServeCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code canvasflow serve} with a corrupt or mismatched model directory: exit status 2 and one
 * sentence on standard error that says what is wrong and names the file, before any Kafka
 * connection (the bootstrap server, 127.0.0.1:1, never answers: a serve that went on to Kafka would
 * not return at all, and is stopped after {@link #SERVE_LIMIT_SECONDS} seconds).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModelStartupTest {

    /** How long one serve may take to refuse; loading the tiny model takes about a second. */
    private static final long SERVE_LIMIT_SECONDS = 60;

    /** Any text on the one line, but no line break. */
    private static final String ANY = "[^\\n]*";

    @TempDir Path dir;

    /** A broken model directory and the one line serve must print for it. */
    private record Case(Path model, Pattern expected) {}

    /** What serve did: its exit status and everything it wrote to standard error. */
    private record Outcome(int status, String stderr) {}

    @Test
    void shouldRefuseACorruptOrMismatchedModelWithOneSentenceAndStatus2() throws Exception {
        // Given model directories broken in every way a copy, a disk or a person can break them
        Path good = Fixtures.modelDir();
        String json = Files.readString(good.resolve(ModelSpec.FILE_NAME));
        long size = Files.size(good.resolve(SegmentationModel.PARAMETERS_FILE));
        String sha = sha256(good.resolve(SegmentationModel.PARAMETERS_FILE));
        Map<String, Case> cases = new LinkedHashMap<>();
        Path notJson = brokenJson("not-json", "{\"formatVersion\": 1,");
        cases.put(
                "model.json is not JSON",
                new Case(notJson, line(quote(json(notJson)) + " is not valid JSON: " + ANY)));
        Path empty = brokenJson("empty-json", "");
        cases.put("model.json is empty", new Case(empty, line(quote(json(empty)) + " is empty")));
        Path future =
                broken(
                        "future-format",
                        m ->
                                write(
                                        m,
                                        replace(
                                                json,
                                                "\"formatVersion\": 1",
                                                "\"formatVersion\": 99")));
        cases.put(
                "model.json has a format version from the future",
                new Case(
                        future,
                        line(
                                quote(json(future))
                                        + quote(
                                                " has format version 99 but this runtime reads"
                                                        + " version 1"))));
        Path noArchitecture =
                brokenJson("no-architecture", replace(json, "\"architecture\"", "\"architectur\""));
        cases.put(
                "model.json lacks the architecture",
                new Case(
                        noArchitecture,
                        line(
                                quote(json(noArchitecture))
                                        + quote(
                                                " lacks a required field (modelId, modelType,"
                                                        + " architecture, classes, input,"
                                                        + " parameters, version)"))));
        Path badStride =
                brokenJson(
                        "bad-stride", replace(json, "\"outputStride\": 8", "\"outputStride\": 7"));
        cases.put(
                "model.json describes an impossible network",
                new Case(
                        badStride,
                        line(
                                quote(json(badStride))
                                        + quote(
                                                " describes an invalid network: outputStride must"
                                                        + " be 8 or 16, got 7"))));
        Path badColour = brokenJson("bad-colour", replace(json, "#87ceeb", "sky blue"));
        cases.put(
                "model.json gives a class colour that is not #rrggbb",
                new Case(
                        badColour,
                        line(
                                quote(json(badColour))
                                        + quote(
                                                " gives class sky the colour \"sky blue\":"
                                                        + " expected #rrggbb"))));
        Path noInput =
                brokenJson("zero-input", json.replaceFirst("\"width\": \\d+", "\"width\": 0"));
        cases.put(
                "model.json gives an input width of zero",
                new Case(
                        noInput,
                        line(
                                quote(json(noInput))
                                        + quote(
                                                " gives an input width and height of 0x"
                                                        + Fixtures.H
                                                        + ": expected 1 to 8192 pixels a"
                                                        + " side"))));
        Path escaping =
                brokenJson(
                        "escaping-file",
                        replace(json, "\"parameters.bin\"", "\"../parameters.bin\""));
        cases.put(
                "model.json names a parameter file outside its folder",
                new Case(
                        escaping,
                        line(
                                quote(json(escaping))
                                        + quote(
                                                " names the parameter file \"../parameters.bin\":"
                                                        + " expected a plain file name beside"
                                                        + " model.json"))));
        Path noParameters =
                broken(
                        "no-parameters",
                        m -> Files.delete(m.resolveSibling(SegmentationModel.PARAMETERS_FILE)));
        cases.put(
                "the parameter file is missing",
                new Case(
                        noParameters,
                        line(
                                quote(
                                        "missing parameter file "
                                                + params(noParameters)
                                                + " named by model.json"))));
        Path truncated = brokenParameters("truncated", bytes -> Arrays.copyOf(bytes, 1000));
        cases.put(
                "the parameter file is truncated",
                new Case(
                        truncated,
                        line(
                                quote(
                                        "parameter file "
                                                + params(truncated)
                                                + " is 1000 bytes but model.json says "
                                                + size
                                                + ": it is truncated or from another model"))));
        Path flipped =
                brokenParameters(
                        "flipped",
                        bytes -> {
                            bytes[bytes.length / 2] ^= 0x10;
                            return bytes;
                        });
        cases.put(
                "the parameter file has a flipped byte",
                new Case(
                        flipped,
                        line(
                                quote(
                                        "parameter file "
                                                + params(flipped)
                                                + " has SHA-256 "
                                                + sha256(params(flipped))
                                                + " but model.json says "
                                                + sha
                                                + ": it is corrupt or from another model"))));
        Path extraClass =
                broken(
                        "extra-class",
                        m ->
                                write(
                                        m,
                                        replace(
                                                json,
                                                "\"classes\": [",
                                                "\"classes\": [\n    {\"name\": \"car\","
                                                        + " \"color\": \"#0000ff\"},")));
        cases.put(
                "model.json names one more class than the parameters have",
                new Case(extraClass, line(mismatch(extraClass) + ANY)));
        Path otherNetwork = broken("other-network", m -> otherNetwork(m, json, size, sha));
        cases.put(
                "the parameters of another network, with their size and digest",
                new Case(otherNetwork, line(mismatch(otherNetwork) + ANY)));
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        cases.put(
                "the model directory is a file",
                new Case(
                        file,
                        line(
                                quote(
                                        file
                                                + " is a file, not a model directory: expected a"
                                                + " directory holding model.json"))));
        Path missing = dir.resolve("no-such-model");
        cases.put(
                "the model directory does not exist",
                new Case(
                        missing,
                        line(
                                quote(
                                        "no model.json in "
                                                + missing
                                                + ": expected a CanvasFlow model directory"))));

        // When serve starts with each, against a broker address where nothing listens
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, Case> c : cases.entrySet()) {
            outcomes.put(c.getKey(), serve(c.getValue().model()));
        }
        outcomes.forEach(
                (what, o) ->
                        System.out.printf("%s: %d %s%n", what, o.status(), o.stderr().strip()));

        // Then each exits with status 2 and one line that says what is wrong with which file,
        // with no stack trace and no exception class names
        List<String> wrong = new ArrayList<>();
        cases.forEach(
                (what, c) -> {
                    Outcome o = outcomes.get(what);
                    if (o.status() != 2
                            || !c.expected().matcher(o.stderr()).matches()
                            || o.stderr().contains("Exception")) {
                        wrong.add(
                                what
                                        + ": status "
                                        + o.status()
                                        + ", stderr <"
                                        + o.stderr()
                                        + ">, expected status 2 and <"
                                        + c.expected()
                                        + ">");
                    }
                });
        assertEquals(List.of(), wrong);
    }

    /**
     * Runs serve on another thread against an unreachable broker, waiting at most {@link
     * #SERVE_LIMIT_SECONDS}; returns its status and standard error.
     */
    private static Outcome serve(Path model) throws Exception {
        StringWriter err = new StringWriter();
        ExecutorService executor =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "serve-" + model.getFileName());
                            t.setDaemon(true);
                            return t;
                        });
        try {
            Future<Integer> status =
                    executor.submit(
                            () ->
                                    new CommandLine(new ServeCommand())
                                            .setErr(new PrintWriter(err, true))
                                            .execute(
                                                    "--bootstrap-servers",
                                                    "127.0.0.1:1",
                                                    "--model",
                                                    model.toString(),
                                                    "-D",
                                                    "http.port=0"));
            try {
                return new Outcome(
                        status.get(SERVE_LIMIT_SECONDS, TimeUnit.SECONDS), err.toString());
            } catch (TimeoutException e) {
                // Interrupting serve makes it close the application it started.
                status.cancel(true);
                return new Outcome(
                        -1,
                        "(still running after "
                                + SERVE_LIMIT_SECONDS
                                + " s: it accepted the model) "
                                + err);
            }
        } finally {
            executor.shutdownNow();
            executor.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    /** The whole of standard error: one line saying what is wrong. */
    private static Pattern line(String message) {
        return Pattern.compile("canvasflow serve: " + message + "\\R");
    }

    /** The start of the sentence for parameters that do not fit the network model.json builds. */
    private static String mismatch(Path model) {
        return quote("parameter file " + params(model) + " does not fit the RECURRENT network");
    }

    private static String quote(Object text) {
        return Pattern.quote(text.toString());
    }

    private static Path json(Path model) {
        return model.resolve(ModelSpec.FILE_NAME);
    }

    private static Path params(Path model) {
        return model.resolve(SegmentationModel.PARAMETERS_FILE);
    }

    private interface Breakage {
        void apply(Path modelJson) throws IOException;
    }

    /** A copy of the tiny model, broken; the breakage gets the path of its model.json. */
    /** A copy of the model whose parameter file holds what {@code change} makes of its bytes. */
    private Path brokenParameters(String name, UnaryOperator<byte[]> change) throws IOException {
        return broken(
                name,
                m -> {
                    Path p = m.resolveSibling(SegmentationModel.PARAMETERS_FILE);
                    Files.write(p, change.apply(Files.readAllBytes(p)));
                });
    }

    /** A copy of the model whose model.json reads {@code text}. */
    private Path brokenJson(String name, String text) throws IOException {
        return broken(name, m -> write(m, text));
    }

    private Path broken(String name, Breakage breakage) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target);
        for (String file : new String[] {ModelSpec.FILE_NAME, SegmentationModel.PARAMETERS_FILE}) {
            Files.copy(Fixtures.modelDir().resolve(file), target.resolve(file));
        }
        breakage.apply(target.resolve(ModelSpec.FILE_NAME));
        return target;
    }

    /**
     * Puts the parameters of a network with a wider second ConvLSTM in place, with a model.json
     * whose size and digest are theirs: only the shapes can tell.
     */
    private void otherNetwork(Path modelJson, String json, long size, String sha)
            throws IOException {
        Path other = dir.resolve("other-network-source");
        ModelSpec spec =
                Fixtures.saveTinyModel(
                        other,
                        new Architecture(
                                8, new int[] {8, 16, 16}, 1, 8, new int[] {16, 12}, 16, 4f));
        Files.copy(
                other.resolve(SegmentationModel.PARAMETERS_FILE),
                modelJson.resolveSibling(SegmentationModel.PARAMETERS_FILE),
                StandardCopyOption.REPLACE_EXISTING);
        write(
                modelJson,
                replace(
                        replace(
                                json,
                                "\"bytes\": " + size,
                                "\"bytes\": " + spec.parameters().bytes()),
                        sha,
                        spec.parameters().sha256()));
    }

    /** Replaces text that must be there, so that a change of model.json's layout fails loudly. */
    private static String replace(String text, String target, String replacement) {
        if (!text.contains(target)) {
            throw new IllegalStateException("model.json no longer contains " + target);
        }
        return text.replace(target, replacement);
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
