package io.canvasflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.schemas.avro.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro 1.12 refuses to instantiate classes outside trusted packages, and reads its trust list once
 * per JVM; so this test deserializes in a JVM of its own, where nothing else touched Avro first.
 */
class FreshJvmDeserializationTest {

    /** Runs in the child JVM: reads a serialized Frame from a file and prints the outcome. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            byte[] bytes = Files.readAllBytes(Paths.get(args[0]));
            Frame frame = AvroSerdes.frame().deserialize(bytes);
            System.out.println("read " + frame.getCameraId() + " #" + frame.getSequence());
            System.out.println(
                    "trusted " + System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES"));
        }
    }

    @Test
    void shouldDeserializeInFreshJvmKeepingPreviouslyTrustedPackages(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("frame.bin");
        Files.write(file, AvroSerdes.frame().serialize(SampleRecords.frame()));
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process child =
                new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=com.example.other",
                                "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                                Child.class.getName(),
                                file.toString())
                        .redirectErrorStream(true)
                        .start();

        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        child.waitFor(60, TimeUnit.SECONDS);

        assertEquals(0, child.exitValue(), output);
        List<String> lines = output.lines().filter(l -> !l.startsWith("SLF4J")).toList();
        assertEquals(
                List.of("read cam-7 #42", "trusted com.example.other,io.canvasflow.schemas.avro"),
                lines);
    }
}
