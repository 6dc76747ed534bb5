package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model cache folder's writes, as the follower makes them, without Kafka. */
class ModelCacheTest {

    static final Path FF = ModelCatalogTest.MODELS.resolve("ff");

    @TempDir Path cache;

    final ModelPublication ff = ModelPublication.read(FF, ModelPublication.DEFAULT_CHUNK_BYTES);
    final String modelJson = ff.manifest().getModelJson();
    final ModelSpec spec = SegmentationModel.parseSpec(modelJson, "ff's model.json");

    /** A copy of the shipped model as a cached version, with its parameter file cut to a length. */
    Path cached(int parameterBytes) throws Exception {
        Path dir = cache.resolve(ff.version());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ModelSpec.FILE_NAME), modelJson);
        byte[] parameters = Files.readAllBytes(FF.resolve("parameters.bin"));
        Files.write(dir.resolve("parameters.bin"), Arrays.copyOf(parameters, parameterBytes));
        return dir;
    }

    /** The cache's folders whose names are a temporary folder's. */
    List<Path> temporaryFolders() throws Exception {
        try (var entries = Files.list(cache)) {
            return entries.filter(p -> p.getFileName().toString().contains(ModelCache.TMP_INFIX))
                    .toList();
        }
    }

    @Test
    void shouldRewriteACachedVersionWhoseParameterFileAPowerLossCutShort() throws Exception {
        // Given a cached version whose model.json is whole but whose parameter file holds only
        // its first half
        int whole = (int) Files.size(FF.resolve("parameters.bin"));
        Path dir = cached(whole / 2);

        // When the version is written again (as at every start)
        Path written = new ModelCache(cache).write(spec, modelJson, ff.chunks());

        // Then its folder holds the whole parameter file, and checks as a loader checks it
        assertEquals(dir, written);
        assertArrayEquals(
                Files.readAllBytes(FF.resolve("parameters.bin")),
                Files.readAllBytes(dir.resolve("parameters.bin")));
        assertEquals(ff.version(), SegmentationModel.checkFiles(dir).version());
        assertEquals(List.of(), temporaryFolders());
    }

    @Test
    void shouldKeepACachedVersionWhoseFilesCheck() throws Exception {
        // Given a whole cached version, with a file of its own beside the model's
        Path dir = cached((int) Files.size(FF.resolve("parameters.bin")));
        Files.writeString(dir.resolve("kept"), "");

        // When the version is written again
        new ModelCache(cache).write(spec, modelJson, ff.chunks());

        // Then the folder was left as it was
        assertTrue(Files.exists(dir.resolve("kept")));
        assertEquals(List.of(), temporaryFolders());
    }

    @Test
    void shouldKeepTheCopyAnotherInstancePutInPlaceWhileThisOneWrote() throws Exception {
        // Given a version written to a temporary folder, and meanwhile another serve instance
        // sharing the cache put its own whole copy in place (and may be loading from it)
        ModelCache writer = new ModelCache(cache);
        Path tmp = writer.writeTemp(spec, modelJson, ff.chunks());
        Path theirs = cached((int) Files.size(FF.resolve("parameters.bin")));
        Files.writeString(theirs.resolve("theirs"), "");

        // When this one moves its copy into place
        writer.place(tmp, theirs, modelJson);

        // Then the other's copy was neither deleted nor replaced, and this one's is gone
        assertTrue(Files.exists(theirs.resolve("theirs")));
        assertEquals(ff.version(), SegmentationModel.checkFiles(theirs).version());
        assertEquals(List.of(), temporaryFolders());
    }

    @Test
    void shouldReplaceACutShortFolderFoundInPlaceWhenMovingACopyIn() throws Exception {
        // Given a version written to a temporary folder, and in its place a folder whose
        // parameter file holds only its first 100 bytes
        ModelCache writer = new ModelCache(cache);
        Path tmp = writer.writeTemp(spec, modelJson, ff.chunks());
        Path dir = cached(100);

        // When the written copy is moved into place
        writer.place(tmp, dir, modelJson);

        // Then the folder holds the whole version, and nothing set aside is left
        assertArrayEquals(
                Files.readAllBytes(FF.resolve("parameters.bin")),
                Files.readAllBytes(dir.resolve("parameters.bin")));
        assertEquals(List.of(), temporaryFolders());
    }

    @Test
    void shouldWriteAVersionTwoInstancesWriteAtOnce() throws Exception {
        // Given two writers of one cache folder (two serve instances sharing it), started together
        // on the same version, a hundred times (the old delete-then-move lost about one race in
        // fifteen: "Directory not empty")
        ModelCache writer = new ModelCache(cache);
        Path dir = cache.resolve(ff.version());
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 100; i++) {
                Utils.delete(dir.toFile());
                CyclicBarrier together = new CyclicBarrier(2);
                Callable<Path> write =
                        () -> {
                            together.await();
                            return writer.write(spec, modelJson, ff.chunks());
                        };
                List<Future<Path>> both = List.of(two.submit(write), two.submit(write));

                // Then both succeed, and the folder holds the version whole
                for (Future<Path> one : both) {
                    assertEquals(dir, one.get(30, TimeUnit.SECONDS));
                }
                assertTrue(ModelCache.holds(dir, modelJson), "race " + i);
            }
        } finally {
            two.shutdownNow();
        }
        assertEquals(List.of(), temporaryFolders());
    }
}
