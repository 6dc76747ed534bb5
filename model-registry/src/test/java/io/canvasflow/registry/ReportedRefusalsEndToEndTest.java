package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.ModelError;
import io.canvasflow.schemas.avro.ModelErrorReason;
import io.canvasflow.testsupport.CommandRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What {@code models list} and {@code models assign} say of the refusals serve reports. */
class ReportedRefusalsEndToEndTest {

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    private static final Path FF = ModelCatalogTest.MODELS.resolve("ff");

    static CommandRun models(String... args) {
        return kafka.run(new ModelsCommand(), args);
    }

    static String publish() {
        CommandRun published = models("publish", FF.toString(), "--chunk-bytes", "65536");
        assertEquals(0, published.exit(), published.err());
        return ModelPublication.read(FF, 65536).version();
    }

    static Instant publishedAt(String version) {
        return new ModelRegistryClient(
                        kafka.clientConfig(), ModelRegistryClient.RegistryTopics.defaults())
                .read().versions().stream()
                        .filter(v -> v.version().equals(version))
                        .findFirst()
                        .orElseThrow()
                        .manifest()
                        .getPublishedAt();
    }

    static ModelError error(String version, String instance, ModelErrorReason reason, Instant at) {
        return ModelError.newBuilder()
                .setModelVersion(version)
                .setInstance(instance)
                .setReason(reason)
                .setMessage("model " + version + " refused by " + instance)
                .setTimestamp(at)
                .build();
    }

    static void report(List<ModelError> errors) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
            for (ModelError e : errors) {
                producer.send(
                        new ProducerRecord<>(
                                Topics.MODEL_ERRORS.name(),
                                e.getModelVersion(),
                                AvroSerdes.modelError().serialize(e)));
            }
            producer.flush();
        }
    }

    /** What a command said on standard error, without the Kafka clients' log lines. */
    static List<String> said(CommandRun run) {
        return run.errLines().stream().filter(l -> l.startsWith("canvasflow ")).toList();
    }

    @Test
    void shouldShowAndWarnOfTheRefusalsOfTheCurrentPublicationOnly() throws Exception {
        // Given a published version that two instances refused, one twice
        String version = publish();
        Instant at = publishedAt(version);
        report(
                List.of(
                        error(version, "serve@b", ModelErrorReason.CHUNK_MISSING, at),
                        error(version, "serve@a", ModelErrorReason.OTHER, at),
                        error(
                                version,
                                "serve@a",
                                ModelErrorReason.DIGEST_MISMATCH,
                                at.plusMillis(1)),
                        // a refusal of an earlier publication, and one that names no version
                        error(
                                version,
                                "serve@old",
                                ModelErrorReason.INVALID_MODEL,
                                at.minusSeconds(60)),
                        error(null, "serve@a", ModelErrorReason.UNREADABLE_RECORD, at)));
        String refused =
                "refused by 2 instances (serve@a, serve@b): DIGEST_MISMATCH (model "
                        + version
                        + " refused by serve@a); CHUNK_MISSING (model "
                        + version
                        + " refused by serve@b)";

        // When it is listed, the line under its row says so
        CommandRun list = models("list");
        assertEquals(0, list.exit(), list.err());
        List<String> lines = list.out().lines().toList();
        int row =
                lines.indexOf(
                        lines.stream()
                                .filter(l -> l.startsWith(version + " "))
                                .findFirst()
                                .orElseThrow());
        assertEquals("  " + refused, lines.get(row + 1), list.out());

        // And it is assigned all the same, with one line on standard error
        CommandRun assign = models("assign", "--camera", "cam-1", "--model", version);
        assertEquals(0, assign.exit(), assign.err());
        assertEquals("assigned " + version + " to camera:cam-1\n", assign.out());
        assertEquals(
                List.of(
                        "canvasflow models assign: model "
                                + version
                                + " was "
                                + refused
                                + "; assigned all the same: on those instances its cameras keep"
                                + " their last good model until it is published again"),
                said(assign));

        // When it is published again (fixed), the earlier publication's refusals are gone
        Thread.sleep(5); // a later millisecond than the refusals above
        publish();
        CommandRun relisted = models("list");
        assertEquals(0, relisted.exit(), relisted.err());
        assertFalse(relisted.out().contains("refused by"), relisted.out());
        CommandRun reassigned = models("assign", "--camera", "cam-1", "--model", version);
        assertEquals(0, reassigned.exit(), reassigned.err());
        assertEquals(List.of(), said(reassigned));
    }

    @Test
    void shouldReadAMissingErrorsTopicAsNoRefusals() {
        // Given a published version and an errors topic that is not there
        String version = publish();

        // When it is listed and assigned
        CommandRun list = models("list", "--errors-topic", "no-such-errors");
        CommandRun assign =
                models(
                        "assign",
                        "--default",
                        "--model",
                        version,
                        "--errors-topic",
                        "no-such-errors");

        // Then both work and say nothing of refusals
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains(version), list.out());
        assertFalse(list.out().contains("refused by"), list.out());
        assertEquals(0, assign.exit(), assign.err());
        assertEquals(List.of(), said(assign));
    }
}
