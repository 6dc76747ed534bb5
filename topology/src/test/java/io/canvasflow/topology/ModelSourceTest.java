package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.Segmenter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSourceTest {

    @TempDir Path dir;

    private static Segmenter segmenterOnNewThread(ModelSource source) throws InterruptedException {
        AtomicReference<Segmenter> seen = new AtomicReference<>();
        Thread thread = new Thread(() -> seen.set(source.segmenter()));
        thread.start();
        thread.join();
        return seen.get();
    }

    @Test
    void shouldGiveEachThreadOneSegmenterAndCloseThoseOfDeadThreads() throws Exception {
        try (ModelSource source = ModelSource.load(TestModel.dir(), DeviceChoice.CPU)) {
            // Given a thread that took a segmenter and ended
            Segmenter first = segmenterOnNewThread(source);
            assertEquals(1, source.segmenterCount());

            // When this thread takes one, twice
            Segmenter mine = source.segmenter();

            // Then it has its own, the same both times, and the dead thread's was closed
            assertNotSame(first, mine);
            assertSame(mine, source.segmenter());
            assertEquals(1, source.segmenterCount());
        }
    }

    @Test
    void shouldRefuseAMissingModelWithOneSentence() {
        ModelLoadException e =
                assertThrows(
                        ModelLoadException.class,
                        () -> ModelSource.load(dir.resolve("nope"), DeviceChoice.CPU));

        assertTrue(e.getMessage().startsWith("no model.json in "), e.getMessage());
    }
}
