package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void shouldLeaveServesOwnSettingsOutOfTheClientProperties(@TempDir Path dir) throws Exception {
        // Given serve's settings file: its topics, a topic config, Streams and canvas settings,
        // one with the kafka. prefix serve takes off, and the security settings
        Path file =
                Files.writeString(
                        dir.resolve("serve.properties"),
                        String.join(
                                "\n",
                                "topic.frames=cams",
                                "kafka.topic.masks=cam-masks",
                                "topic.retention.ms=60000",
                                "topics.create=true",
                                "application.id=canvasflow-east",
                                "state.dir=/var/lib/canvasflow",
                                "canvas.seeded.iterations=3",
                                "security.protocol=SASL_SSL",
                                "sasl.mechanism=PLAIN"));

        // When a command's client properties are made from it
        Map<String, String> client = parsed("--command-config", file.toString()).properties();

        // Then only the client properties are there: Kafka would warn of each of serve's
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"), client);
    }

    @Test
    void shouldTakeATopicFromTheFlagThenTheEnvironmentThenTheFileThenTheDefault(@TempDir Path dir)
            throws Exception {
        // Given serve's settings file naming the frames topic, and an environment that does too
        Path file = Files.writeString(dir.resolve("serve.properties"), "topic.frames=from-file\n");
        CommandConfigOptions withFile = parsed("--command-config", file.toString());
        Map<String, String> env = Map.of("CANVASFLOW_TOPIC_FRAMES", " from-env ");

        // When the topic is resolved with each source the one above it leaves out
        List<TopicChoice> choices =
                List.of(
                        withFile.topic("--topic", "from-flag", "topic.frames", "frames", env),
                        withFile.topic("--topic", null, "topic.frames", "frames", env),
                        withFile.topic("--topic", null, "topic.frames", "frames", Map.of()),
                        parsed().topic("--topic", null, "topic.frames", "frames", Map.of()));

        // Then they rank as serve ranks them, each saying where it came from
        assertEquals(
                List.of(
                        new TopicChoice("from-flag", "--topic", false),
                        new TopicChoice("from-env", "CANVASFLOW_TOPIC_FRAMES", true),
                        new TopicChoice("from-file", "topic.frames in " + file, true),
                        new TopicChoice("frames", "the default", false)),
                choices);
        assertEquals("from-file (topic.frames in " + file + ")", choices.get(2).toString());
    }

    @Test
    void shouldTakeATopicFromAKafkaPrefixedKeyAsServeDoes(@TempDir Path dir) throws Exception {
        // Given serve's settings file that names the masks topic with the kafka. prefix
        Path file =
                Files.writeString(dir.resolve("serve.properties"), "kafka.topic.masks=cam-masks\n");

        // When the masks topic is resolved
        TopicChoice masks =
                parsed("--command-config", file.toString())
                        .topic("--masks-topic", null, "topic.masks", "masks", Map.of());

        // Then it is the file's, named as written
        assertEquals(new TopicChoice("cam-masks", "kafka.topic.masks in " + file, true), masks);
    }

    @Test
    void shouldRefuseATopicNameFromTheEnvironmentThatKafkaWouldNotTake() {
        // Given an environment whose frames topic has a space in it
        Map<String, String> env = Map.of("CANVASFLOW_TOPIC_FRAMES", "my frames");

        // When the topic is resolved
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> parsed().topic("--topic", null, "topic.frames", "frames", env));

        // Then it is one sentence naming the variable, what it takes and what to do
        assertEquals(
                "expected CANVASFLOW_TOPIC_FRAMES to be a Kafka topic name: 1 to 249 letters,"
                        + " digits, '.', '_' or '-', not '.' or '..' but found 'my frames';"
                        + " correct it (serve refuses it too)",
                e.getMessage());
    }
}
