package io.canvasflow.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.model.EngineThreads;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorchThreadsTest {

    @Test
    void shouldAskCanvasFlowAppStartForTheCountItSet() {
        // Given the thread-count properties as this JVM has them
        String intraOp = System.getProperty(EngineThreads.INTRA_OP);
        String interOp = System.getProperty(EngineThreads.INTER_OP);
        try {
            System.clearProperty(EngineThreads.INTRA_OP);

            // When a benchmark run sets one intra-op thread
            boolean taken = TorchThreads.set(1);

            // Then CanvasFlowApp.start's limit asks for that count, as the engine runs it, and
            // not for serve's share of 64 cores (a WARN that the engine runs another count)
            assertEquals(
                    List.of(true, 1, 1),
                    List.of(taken, EngineThreads.limit(1, 64), TorchThreads.forNewThreads()));
        } finally {
            restore(EngineThreads.INTRA_OP, intraOp);
            restore(EngineThreads.INTER_OP, interOp);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
