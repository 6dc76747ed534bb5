package io.canvasflow.tools.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.model.SegmentationModel;
import io.canvasflow.testsupport.ChildJvm;
import io.canvasflow.tools.ShippedModels;
import io.canvasflow.tools.bench.TorchThreads;
import io.canvasflow.topology.CanvasFlowConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServedModel} in a JVM of its own: PyTorch reads its thread counts once, when its engine
 * starts, and in this JVM an earlier test may have started it.
 */
class ServedModelTest {

    @TempDir Path dir;

    @Test
    void shouldStartTheEngineWithServesIntraOpThreads() throws Exception {
        // Given a fresh JVM that may use one core, where serve gives PyTorch (1 - 1) / 1, at least
        // one, intra-op thread per stream thread; PyTorch's own default is a thread per core of
        // the machine, which this JVM's core count does not change
        Path log = dir.resolve("child.log");
        Process child =
                ChildJvm.start(
                        List.of("-Xmx256m", "-XX:ActiveProcessorCount=1"),
                        LoadsAModel.class,
                        List.of(ShippedModels.rnn().toString(), "1"),
                        log);

        // When it loads the model for a run of one stream thread
        boolean ended = child.waitFor(60, TimeUnit.SECONDS);
        child.destroyForcibly();

        // Then the engine gives a new thread (a stream thread) one intra-op thread
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(
                List.of(true, 0, List.of("intra-op threads: 1")),
                List.of(
                        ended,
                        ended ? child.exitValue() : -1,
                        output.lines().filter(l -> l.startsWith("intra-op threads: ")).toList()),
                output);
    }

    /** Loads a model as a tool's run does and prints what the engine gives a new thread. */
    public static final class LoadsAModel {

        private LoadsAModel() {}

        /**
         * Runs in the child JVM.
         *
         * @param args the model directory, the stream threads
         */
        public static void main(String[] args) {
            ChildJvm.haltWhenParentGoes();
            try (SegmentationModel model =
                    ServedModel.load(
                            Path.of(args[0]),
                            CanvasFlowConfig.defaults(),
                            Integer.parseInt(args[1]))) {
                System.out.println("intra-op threads: " + TorchThreads.forNewThreads());
            }
            System.exit(0);
        }
    }
}
