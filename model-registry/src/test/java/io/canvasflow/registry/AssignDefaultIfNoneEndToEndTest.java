package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.testsupport.CommandRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code models publish --assign-default-if-none}, what a deployment's Job and Compose service run
 * at every apply and {@code up}: it gives an empty registry its default and leaves an operator's
 * alone.
 */
class AssignDefaultIfNoneEndToEndTest {

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    private static final Path RNN = ModelCatalogTest.MODELS.resolve("rnn");
    private static final Path FF = ModelCatalogTest.MODELS.resolve("ff");

    /** A models command on the registry topics named after {@code prefix}, its own per test. */
    private static CommandRun models(String prefix, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(
                List.of(
                        "--models-topic",
                        prefix + "-models",
                        "--assignments-topic",
                        prefix + "-assignments",
                        "--errors-topic",
                        prefix + "-errors"));
        return kafka.run(new ModelsCommand(), all.toArray(String[]::new));
    }

    private static List<ModelAssignment> assignments(String prefix) {
        return new ModelRegistryClient(
                        new HashMap<>(kafka.clientConfig()),
                        new ModelRegistryClient.RegistryTopics(
                                prefix + "-models", prefix + "-assignments", prefix + "-errors"))
                .read()
                .assignments();
    }

    private static String version(Path dir) {
        return ModelPublication.read(dir, ModelPublication.DEFAULT_CHUNK_BYTES).version();
    }

    @Test
    void shouldLeaveTheDefaultAnOperatorAssignedWhenTheJobRunsAgain() {
        // Given the shipped model published as the default, then another model that an operator
        // made the default since
        assertEquals(0, models("kept", "publish", RNN.toString(), "--assign-default").exit());
        assertEquals(0, models("kept", "publish", FF.toString()).exit());
        CommandRun assigned = models("kept", "assign", "--default", "--model", version(FF));
        assertEquals(0, assigned.exit(), assigned.err());
        List<ModelAssignment> operators = assignments("kept");

        // When the Job (or `docker compose up`) publishes the shipped model again
        CommandRun rerun = models("kept", "publish", RNN.toString(), "--assign-default-if-none");

        // Then the operator's default stays, and the output says whose it is and since when
        ModelAssignment theirs = operators.get(0);
        String published = rerun.out().lines().findFirst().orElse("");
        assertEquals(
                List.of(
                        0,
                        published
                                + "\nleft the default alone: it is "
                                + version(FF)
                                + ", assigned "
                                + theirs.getAssignedAt()
                                + " by "
                                + theirs.getAssignedBy()
                                + "\n",
                        ""),
                List.of(rerun.exit(), rerun.out(), rerun.err()));
        assertEquals(operators, assignments("kept"));
    }

    @Test
    void shouldAssignTheDefaultOnAnEmptyRegistry() {
        // When the Job publishes the shipped model to a registry with no default
        CommandRun first = models("empty", "publish", RNN.toString(), "--assign-default-if-none");

        // Then it is published and assigned as the default
        assertEquals(0, first.exit(), first.err());
        List<String> lines = first.out().lines().toList();
        assertEquals(
                "assigned " + version(RNN) + " to default",
                lines.get(lines.size() - 1),
                first.out());
        assertEquals(
                List.of(version(RNN)),
                assignments("empty").stream().map(ModelAssignment::getModelVersion).toList());
    }
}
