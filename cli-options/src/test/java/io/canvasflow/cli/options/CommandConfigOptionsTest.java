package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandConfigOptionsTest {

    /** A command with the option, as publish, masks and view have it. */
    static final class Holder {
        @CommandLine.Mixin CommandConfigOptions commandConfig;
    }

    private static CommandConfigOptions parsed(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.commandConfig;
    }

    @Test
    void shouldRefuseAClusterGivenAsAClientProperty() {
        // Given --producer-property bootstrap.servers=..., which replaced --bootstrap-servers
        // after the startup check had used it: a minute of warnings against another address
        CommandConfigOptions options = parsed();

        // When the client properties are made
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> options.properties(Map.of("bootstrap.servers", "127.0.0.1:1")));

        // Then it is one sentence that points at --bootstrap-servers
        assertEquals(
                "bootstrap.servers is not a client property to set here (--producer-property,"
                        + " --consumer-property): pass the cluster with --bootstrap-servers",
                e.getMessage());
    }

    @Test
    void shouldLeaveOutTheFilesClusterAndKeepTheCommandsProperties(@TempDir Path dir)
            throws Exception {
        // Given a serve settings file that names the cluster as serve sees it
        Path file =
                Files.writeString(
                        dir.resolve("serve.properties"),
                        "kafka.bootstrap.servers=kafka:9092\nsecurity.protocol=SASL_SSL\n");

        // When a command's client properties are made from it and its own
        Map<String, String> client =
                parsed("--command-config", file.toString())
                        .properties(Map.of("compression.type", "zstd"));

        // Then the cluster is left to --bootstrap-servers, and the command's own are on top
        assertEquals(Map.of("security.protocol", "SASL_SSL", "compression.type", "zstd"), client);
    }
}
