package io.canvasflow.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ModelBenchCommandTest {

    @Test
    void shouldRefuseMoreIntraOpThreadsThanCoresBeforeLoadingAModel() {
        // Given more PyTorch threads than this machine has cores (999 was taken and run)
        int cores = Runtime.getRuntime().availableProcessors();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream testErr = System.err;

        // When bench model is given them
        int exit;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit =
                    new CommandLine(new ModelBenchCommand())
                            .execute("--threads", Integer.toString(cores + 1));
        } finally {
            System.setErr(testErr);
        }

        // Then it is refused in one sentence
        assertEquals(
                List.of(
                        2,
                        "canvasflow bench model: expected --threads from 1 to "
                                + cores
                                + " but found "
                                + (cores + 1)
                                + ": PyTorch's intra-op threads beyond this machine's "
                                + cores
                                + " cores only compete for them"),
                List.of(exit, err.toString(StandardCharsets.UTF_8).strip()));
    }
}
