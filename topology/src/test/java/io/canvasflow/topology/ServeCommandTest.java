package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    @TempDir Path dir;

    private List<Object> run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ServeCommand()).setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return List.of(status, err.toString().strip());
    }

    @Test
    void shouldExitWithOneSentenceWhenTheModelIsMissing() {
        Path missing = dir.resolve("no-model");

        List<Object> result =
                run("--bootstrap-servers", "127.0.0.1:1", "--model", missing.toString());

        assertEquals(
                List.of(
                        2,
                        "canvasflow serve: no model.json in "
                                + missing
                                + ": expected a CanvasFlow model directory"),
                result);
    }

    @Test
    void shouldExitWithOneSentenceOnAnUnknownSetting() {
        List<Object> result =
                run("--bootstrap-servers", "127.0.0.1:1", "-D", "canvas.seeded.iteration=3");

        assertEquals(2, result.get(0));
        assertEquals(
                "canvasflow serve: unknown setting 'canvas.seeded.iteration': expected a CanvasFlow setting",
                result.get(1).toString().substring(0, result.get(1).toString().indexOf(" (")));
    }

    @Test
    void shouldExitWithOneSentenceThatSaysHowToStartABrokerWithoutBootstrapServers()
            throws Exception {
        // Given settings that name no Kafka cluster
        CanvasFlowConfig config = CanvasFlowConfig.builder().optEnvironment(Map.of()).build();
        StringWriter err = new StringWriter();

        // When serve starts
        int status = ServeCommand.serve(config, new PrintWriter(err));

        // Then it refuses before anything starts, in one sentence naming the missing setting
        assertEquals(
                List.of(2, ServeCommand.NO_BOOTSTRAP_SERVERS),
                List.of(status, err.toString().strip()));
        assertTrue(ServeCommand.NO_BOOTSTRAP_SERVERS.contains("--bootstrap-servers"));
        assertTrue(ServeCommand.NO_BOOTSTRAP_SERVERS.contains("canvasflow broker"));
    }
}
