package io.canvasflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.testsupport.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that make their own Kafka clients, against a broker that only lets authenticated
 * clients in (SASL/PLAIN): with {@code --command-config FILE} holding the security settings they
 * work, without it they stop with one sentence.
 */
class SecuredClusterTest {

    private static EmbeddedKafkaBroker broker;

    @TempDir static Path dir;

    private static Path commandConfig;

    @BeforeAll
    static void startSecuredBroker() throws IOException {
        broker = EmbeddedKafkaBroker.builder().optSaslPlain("canvasflow", "s3cret").build().start();
        broker.createTopics(Map.of(Topics.FRAMES.name(), 1, Topics.MASKS.name(), 1));
        // As a user writes it, with serve's kafka. prefix on one key to show both spellings work
        commandConfig = dir.resolve("client.properties");
        List<String> lines = new ArrayList<>();
        broker.securityConfig()
                .forEach(
                        (key, value) ->
                                lines.add(
                                        (key.equals("sasl.mechanism") ? "kafka." : "")
                                                + key
                                                + "="
                                                + value));
        // and serve's view of the cluster, which --bootstrap-servers must win over
        lines.add("bootstrap.servers=127.0.0.1:1");
        Files.write(commandConfig, lines);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldPublishLabelFollowAndPublishModelsWithTheCommandConfig() {
        // When publish sends a synthetic camera's frames with the security settings
        CommandRun publish =
                canvasflow(
                        "publish",
                        "--camera",
                        "cam-1=synthetic:0:20",
                        "--max-rate",
                        "--no-progress",
                        "--command-config",
                        commandConfig.toString());

        // Then the frames are on the secured cluster
        assertEquals(0, publish.exit(), publish.err());
        List<ConsumerRecord<String, Frame>> frames =
                TopicReader.readFromBeginning(
                        broker.clientConfig(), Topics.FRAMES, 20, Duration.ofSeconds(30));
        assertEquals(
                LongStream.range(0, 20).boxed().toList(),
                frames.stream().map(r -> r.value().getSequence()).collect(Collectors.toList()));

        // And label reads them back from the topic, labels them with the motion teacher and writes
        // the labelled frames to a topic it creates there
        CommandRun label =
                canvasflow(
                        "label",
                        "--source",
                        "topic:" + Topics.FRAMES.name(),
                        "--camera",
                        "cam-1",
                        "--warm-up",
                        "5",
                        "--to-topic",
                        "labelled-secured",
                        "--command-config",
                        commandConfig.toString());
        assertEquals(0, label.exit(), label.err());
        assertEquals(
                15,
                TopicReader.readFromBeginning(
                                broker.clientConfig(),
                                Topics.FRAMES_LABELLED.withName("labelled-secured"),
                                15,
                                Duration.ofSeconds(30))
                        .size());

        // And masks follows the (empty) masks topic there until its duration ends
        CommandRun masks =
                canvasflow(
                        "masks", "--duration", "2s", "--command-config", commandConfig.toString());
        assertEquals(0, masks.exit(), masks.err());

        // And models publishes the shipped feed-forward model there and lists it
        CommandRun published =
                canvasflow(
                        "models",
                        "publish",
                        Path.of("..", "models", "ff").toString(),
                        "--command-config",
                        commandConfig.toString());
        assertEquals(0, published.exit(), published.err());
        CommandRun listed =
                canvasflow("models", "list", "--command-config", commandConfig.toString());
        assertEquals(0, listed.exit(), listed.err());
        assertTrue(listed.out().contains("canvasflow-ff-synthetic-"), listed.out());
    }

    @Test
    void shouldStopWithOneSentenceWithoutTheSecuritySettings() {
        // Given no --command-config, so the client speaks plaintext to a SASL listener
        CommandRun publish =
                canvasflow("publish", "--camera", "cam-2=synthetic:0:1", "--no-progress");

        // Then publish stops before it sends, in one sentence that names the cluster and what to
        // check (the broker, in this JVM, logs to the same standard error)
        assertEquals(2, publish.exit(), publish.err());
        assertEquals(
                List.of(
                        "canvasflow publish: something listens at "
                                + broker.bootstrapServers()
                                + " but no Kafka broker answered within 10 s; check the address"
                                + " and the security settings"),
                sentences(publish),
                publish.err());
    }

    @Test
    void shouldNameAMissingCommandConfigFile() {
        Path missing = dir.resolve("nope.properties");
        for (String[] args :
                List.of(
                        new String[] {"publish", "--camera", "c=synthetic:0:1"},
                        new String[] {"masks"},
                        new String[] {"models", "list"},
                        new String[] {
                            "train",
                            "--data",
                            "topic:frames-labelled",
                            "-o",
                            dir.resolve("m").toString()
                        })) {
            List<String> command = new ArrayList<>(List.of(args));
            command.addAll(List.of("--command-config", missing.toString()));
            CommandRun run = canvasflow(command.toArray(String[]::new));
            assertEquals(2, run.exit(), command + ": " + run.err());
            List<String> sentences = sentences(run);
            assertEquals(1, sentences.size(), command + ": " + run.err());
            assertTrue(
                    sentences.get(0).contains("--command-config")
                            && sentences.get(0).contains("no readable file at " + missing),
                    command + ": " + run.err());
        }
    }

    /** What the command said on standard error, without the log lines of the broker beside it. */
    private static List<String> sentences(CommandRun run) {
        return run.errLines().stream().filter(line -> line.startsWith("canvasflow ")).toList();
    }

    /** The whole command line, as {@code ./canvasflow ARGS} runs it, on the secured broker. */
    private static CommandRun canvasflow(String... args) {
        List<String> withBroker = new ArrayList<>(List.of(args));
        int afterCommand = args[0].equals("models") ? 2 : 1;
        withBroker.addAll(afterCommand, List.of("--bootstrap-servers", broker.bootstrapServers()));
        return CommandRun.of(CanvasflowCli::commandLine, withBroker.toArray(String[]::new));
    }
}
