package io.canvasflow.topology.reliability;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.topology.ServeCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code canvasflow serve} with a corrupt or mismatched model directory: one sentence on standard
 * error that says what is wrong and where, and exit status 2, before any Kafka connection.
 */
class ModelStartupTest {

    @TempDir Path dir;

    @Test
    void shouldRefuseACorruptOrMismatchedModelWithOneSentence() throws Exception {
        // Given model directories broken in every way a copy, a disk or a person can break them
        Path good = Fixtures.modelDir();
        String json = Files.readString(good.resolve(ModelSpec.FILE_NAME));
        long size = Files.size(good.resolve("parameters.bin"));
        Map<String, Path> cases = new LinkedHashMap<>();
        cases.put(
                "model.json is not JSON",
                broken("not-json", m -> write(m, "{\"formatVersion\": 1,")));
        cases.put("model.json is empty", broken("empty-json", m -> write(m, "")));
        cases.put(
                "model.json has a format version from the future",
                broken(
                        "future-format",
                        m ->
                                write(
                                        m,
                                        json.replace(
                                                "\"formatVersion\": 1", "\"formatVersion\": 99"))));
        cases.put(
                "model.json lacks the architecture",
                broken(
                        "no-architecture",
                        m -> write(m, json.replace("\"architecture\"", "\"architectur\""))));
        cases.put(
                "model.json describes an impossible network",
                broken(
                        "bad-stride",
                        m -> write(m, json.replace("\"outputStride\": 8", "\"outputStride\": 7"))));
        cases.put(
                "the parameter file is missing",
                broken("no-parameters", m -> Files.delete(m.resolveSibling("parameters.bin"))));
        cases.put(
                "the parameter file is truncated",
                broken(
                        "truncated",
                        m -> {
                            Path p = m.resolveSibling("parameters.bin");
                            Files.write(p, java.util.Arrays.copyOf(Files.readAllBytes(p), 1000));
                        }));
        cases.put(
                "the parameter file has a flipped byte",
                broken(
                        "flipped",
                        m -> {
                            Path p = m.resolveSibling("parameters.bin");
                            byte[] bytes = Files.readAllBytes(p);
                            bytes[bytes.length / 2] ^= 0x10;
                            Files.write(p, bytes);
                        }));
        cases.put(
                "model.json names one more class than the parameters have",
                broken(
                        "extra-class",
                        m ->
                                write(
                                        m,
                                        json.replace(
                                                "\"classes\": [",
                                                "\"classes\": [\n    {\"name\": \"car\","
                                                        + " \"color\": \"#0000ff\"},"))));
        cases.put(
                "the parameters of another network, with their size and digest",
                broken(
                        "other-network",
                        m -> {
                            Path other = dir.resolve("other-network-source");
                            ModelSpec spec =
                                    Fixtures.saveTinyModel(
                                            other,
                                            new Architecture(
                                                    8,
                                                    new int[] {8, 16, 16},
                                                    1,
                                                    8,
                                                    new int[] {16, 8},
                                                    24,
                                                    4f));
                            Files.copy(
                                    other.resolve("parameters.bin"),
                                    m.resolveSibling("parameters.bin"),
                                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                            write(
                                    m,
                                    json.replace(
                                                    "\"bytes\": " + size,
                                                    "\"bytes\": " + spec.parameters().bytes())
                                            .replaceAll(
                                                    "\"sha256\": \"[0-9a-f]+\"",
                                                    "\"sha256\": \""
                                                            + spec.parameters().sha256()
                                                            + "\""));
                        }));
        cases.put("the model directory is a file", Files.writeString(dir.resolve("a-file"), "x"));

        // When serve starts with each
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, Path> c : cases.entrySet()) {
            outcomes.put(c.getKey(), serve(c.getValue()));
        }

        // Then each exits with status 2 and one line naming the broken file
        System.out.println(outcomes);
    }

    /** Runs serve against an unreachable broker; returns its status and standard error. */
    private static String serve(Path model) {
        StringWriter err = new StringWriter();
        int status =
                new CommandLine(new ServeCommand())
                        .setErr(new PrintWriter(err))
                        .execute(
                                "--bootstrap-servers",
                                "127.0.0.1:1",
                                "--model",
                                model.toString(),
                                "-D",
                                "http.port=0");
        return status + " " + err;
    }

    private interface Breakage {
        void apply(Path modelJson) throws IOException;
    }

    /** A copy of the tiny model, broken; the breakage gets the path of its model.json. */
    private Path broken(String name, Breakage breakage) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target);
        for (String file : new String[] {ModelSpec.FILE_NAME, "parameters.bin"}) {
            Files.copy(Fixtures.modelDir().resolve(file), target.resolve(file));
        }
        breakage.apply(target.resolve(ModelSpec.FILE_NAME));
        return target;
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
