package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reader and the next save find in a model folder that saves were (or are) writing. */
class ModelFolderConsistencyTest {

    @TempDir Path dir;

    @Test
    void shouldRemoveTheStagingFolderAKilledSaveLeft() throws IOException {
        // Given a model folder holding what a save killed two minutes ago left, and a staging
        // folder another process is writing now
        Path killed = Files.createDirectory(dir.resolve(".saving-123"));
        Files.write(killed.resolve(SegmentationModel.PARAMETERS_FILE), new byte[] {1, 2, 3});
        ageBy(killed, 120);
        Path writing = Files.createDirectory(dir.resolve(".saving-456"));
        Files.write(writing.resolve(SegmentationModel.PARAMETERS_FILE), new byte[] {4});

        // When the next save into it runs
        try (SegmentationModel model = TestModels.tinyRecurrent(96, 64)) {
            model.save(dir);
        }

        // Then the killed save's folder is gone, the live one is left alone
        assertEquals(
                List.of(".saving-456", ModelSpec.FILE_NAME, SegmentationModel.PARAMETERS_FILE),
                names(dir));
    }

    @Test
    void shouldSayWhichLeftoversItRemovedWhenAskedBeforeAnySave() throws IOException {
        // Given a model folder holding what two saves killed two minutes ago left, and a staging
        // folder another process is writing now
        Path first = Files.createDirectory(dir.resolve(".saving-1"));
        Path second = Files.createDirectory(dir.resolve(".saving-2"));
        ageBy(first, 120);
        ageBy(second, 120);
        Files.createDirectory(dir.resolve(".saving-3"));

        // When a writer that starts (train) removes them, and again, and in a folder not made yet
        List<List<Path>> removed =
                List.of(
                        ModelFolderWriter.removeLeftovers(dir),
                        ModelFolderWriter.removeLeftovers(dir),
                        ModelFolderWriter.removeLeftovers(dir.resolve("new")));

        // Then the killed saves' folders are gone and named, the live one is left alone
        assertEquals(List.of(List.of(first, second), List.of(), List.of()), removed);
        assertEquals(List.of(".saving-3"), names(dir));
    }

    @Test
    void shouldLoadTheParametersItCheckedWhenASaveReplacesThemMeanwhile() throws IOException {
        // Given a folder holding a saved model
        ModelSpec earlier;
        try (SegmentationModel model = TestModels.tinyRecurrent(96, 64)) {
            earlier = model.save(dir);
        }
        byte[] parameters = Files.readAllBytes(dir.resolve(SegmentationModel.PARAMETERS_FILE));

        // When another model is saved into it after the load checked the parameters
        SegmentationModel loaded =
                SegmentationModel.load(dir, DeviceChoice.CPU, () -> saveAnother(dir));

        // Then the model loaded is the one checked: its description and its own parameters,
        // not model.json's of one save and the weights of the next
        Path copy = dir.resolveSibling(dir.getFileName() + "-copy");
        try (loaded) {
            loaded.save(copy);
        }
        assertEquals(
                List.of(earlier.version(), earlier.parameters().sha256()),
                List.of(loaded.spec().version(), loaded.spec().parameters().sha256()));
        assertArrayEquals(
                parameters, Files.readAllBytes(copy.resolve(SegmentationModel.PARAMETERS_FILE)));
    }

    private static void saveAnother(Path dir) {
        try (SegmentationModel other = TestModels.tinyRecurrent(96, 64)) {
            other.save(dir, java.util.Map.of("finalLoss", 0.5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ageBy(Path folder, long seconds) throws IOException {
        FileTime then = FileTime.from(Instant.now().minusSeconds(seconds));
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.toList()) {
                Files.setLastModifiedTime(p, then);
            }
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
