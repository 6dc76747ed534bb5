package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

class FileConvertersTest {

    @TempDir Path dir;

    @Test
    void shouldTakeAFolderThatDoesNotExistYetUnderOneThatDoes() {
        Path report = dir.resolve("reports/replay");

        assertEquals(report, new FileConverters.OutputFolder().convert(report.toString()));
        assertEquals(
                dir.resolve("out/x.json"),
                new FileConverters.OutputFile().convert(dir.resolve("out/x.json").toString()));
    }

    @Test
    void shouldRefuseAnOutputUnderAFileBeforeAnyWorkStarts() throws Exception {
        // Given a file where a folder of the output path would have to be
        Path file = Files.writeString(dir.resolve("README.md"), "text");

        // Then a folder or a file under it is refused as the option is read, naming the file
        // (a benchmark or a training run used to find out when it wrote, at the end)
        for (var converter :
                java.util.List.of(
                        new FileConverters.OutputFolder(),
                        new FileConverters.DefaultedOutputFolder(),
                        new FileConverters.OutputFile())) {
            TypeConversionException e =
                    assertThrows(
                            TypeConversionException.class,
                            () -> converter.convert(file.resolve("out/x").toString()));
            assertEquals(
                    file.resolve("out/x")
                            + " lies under "
                            + file
                            + ", which is a file; give a path in a folder",
                    e.getMessage());
        }
    }

    @Test
    void shouldRefuseAFileWhereAFolderIsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("model"), "text");

        TypeConversionException e =
                assertThrows(
                        TypeConversionException.class,
                        () -> new FileConverters.OutputFolder().convert(file.toString()));

        assertTrue(e.getMessage().endsWith("is a file; give a folder to write"), e.getMessage());
    }
}
