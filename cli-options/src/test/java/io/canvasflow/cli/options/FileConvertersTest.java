package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    @Test
    void shouldRefuseAFolderNothingCanBeMadeInWhateverItsPermissionBitsSay() {
        // Given /proc, where nothing can be made, although root may write there by its bits
        Path proc = Path.of("/proc");
        assumeTrue(Files.isDirectory(proc), "no /proc on this system");

        // When an output folder and an output file under it are read
        // Then both are refused as they are read, not when the command writes at its end
        for (var converter :
                java.util.List.of(
                        new FileConverters.OutputFolder(), new FileConverters.OutputFile())) {
            TypeConversionException e =
                    assertThrows(
                            TypeConversionException.class,
                            () -> converter.convert("/proc/canvasflow-out/x"));
            assertEquals(
                    "/proc/canvasflow-out/x cannot be written: this user may not write in /proc;"
                            + " give a folder you can write in",
                    e.getMessage());
        }
    }

    @Test
    void shouldLeaveNothingBehindInTheFolderItChecks() {
        // Given an empty folder a command will write under
        // When an output folder under it is read
        new FileConverters.OutputFolder().convert(dir.resolve("out").toString());

        // Then the check made nothing there
        assertEquals(0, dir.toFile().list().length);
    }
}
