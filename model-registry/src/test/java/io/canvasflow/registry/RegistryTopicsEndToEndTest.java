package io.canvasflow.registry;

import static io.canvasflow.testsupport.CommandAssertions.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.testsupport.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code models publish} leaves on the cluster when it is refused or fails: no registry topic
 * it made.
 */
class RegistryTopicsEndToEndTest {

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    private static final String FF = ModelCatalogTest.MODELS.resolve("ff").toString();

    @TempDir Path temp;

    static CommandRun models(String... args) {
        return kafka.run(new ModelsCommand(), args);
    }

    /** The topics of this test's registry that exist now. */
    static Set<String> existing(String prefix) throws Exception {
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            Set<String> names = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            names.removeIf(t -> !t.startsWith(prefix));
            return names;
        }
    }

    static String[] publishTo(String prefix, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "publish",
                                FF,
                                "--models-topic",
                                prefix + "models",
                                "--assignments-topic",
                                prefix + "assignments",
                                "--errors-topic",
                                prefix + "errors"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void shouldRefuseAModelsTopicWhoseRecordsAreSmallerThanAChunkBeforeCreatingAny()
            throws Exception {
        // Given a models topic made by hand that takes records of 20000 bytes at most
        kafka.broker()
                .createTopic(
                        "small-models",
                        1,
                        Map.of("cleanup.policy", "compact", "max.message.bytes", "20000"));

        // When a model is published to it with the default chunk size
        CommandRun run = models(publishTo("small-"));

        // Then it is one sentence that says what to pass, and the other two topics were not made
        assertEquals(2, run.exit(), run.err());
        // (DJL's GPU probe, which the launcher turns down, may come before it)
        String said =
                run.errLines().stream()
                        .filter(l -> l.startsWith("canvasflow "))
                        .reduce("", String::concat);
        assertTrue(
                said.startsWith(
                                "canvasflow models publish: topic small-models takes records of up"
                                        + " to 20000 bytes (max.message.bytes), and a chunk of"
                                        + " this model is ")
                        && said.contains(" bytes with its key and envelope; pass --chunk-bytes ")
                        && said.endsWith(" or less, or raise the topic's max.message.bytes"),
                said);
        assertEquals(Set.of("small-models"), existing("small-"));

        // And the size it names is taken
        int fits = Integer.parseInt(said.replaceAll(".*pass --chunk-bytes (\\d+) or less.*", "$1"));
        CommandRun smaller = models(publishTo("small-", "--chunk-bytes", "" + fits));
        assertEquals(0, smaller.exit(), smaller.err());
    }

    @Test
    void shouldRefuseAModelsTopicThatIsNotKeptBeforeCreatingTheOthers() throws Exception {
        // Given a models topic with the cluster's default policy
        kafka.broker().createTopic("deleting-models", 1, Map.of("cleanup.policy", "delete"));

        // When a model is published to it
        CommandRun run = models(publishTo("deleting-"));

        // Then it is refused, and the assignments and errors topics were not made
        assertRefused(run, "topic deleting-models has cleanup.policy=delete");
        assertEquals(Set.of("deleting-models"), existing("deleting-"));
    }

    @Test
    void shouldDeleteTheTopicsItMadeWhenTheClusterRefusesTheNextOne() throws Exception {
        // Given a topic whose name collides with the errors topic's in Kafka's metric names ('.'
        // and '_'), so that the cluster refuses the errors topic after making the other two
        kafka.broker().createTopic("collide_errors", 1, Map.of());

        // When a model is published with fresh models and assignments topics
        CommandRun run =
                models(
                        "publish",
                        FF,
                        "--models-topic",
                        "collide.models",
                        "--assignments-topic",
                        "collide.assignments",
                        "--errors-topic",
                        "collide.errors");

        // Then it is refused, and the two topics it made are gone again
        assertRefused(run, "could not create topic collide.errors");
        assertEquals(Set.of(), existing("collide."));
    }

    @Test
    void shouldDeleteTheTopicsItMadeWhenTheWriteFails() throws Exception {
        // Given a producer setting no chunk fits in: the write fails once the topics are made
        Path config =
                Files.writeString(temp.resolve("client.properties"), "max.request.size=2000\n");

        // When a model is published to fresh topics
        CommandRun run = models(publishTo("unwritten-", "--command-config", config.toString()));

        // Then the write's failure is the sentence, and the topics it made are gone again
        assertRefused(run, "canvasflow models publish: could not write to Kafka");
        assertEquals(Set.of(), existing("unwritten-"));
    }
}
