package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ModelChunk;
import io.canvasflow.schemas.avro.ModelErrorReason;
import io.canvasflow.schemas.avro.ModelManifest;
import io.canvasflow.schemas.avro.ModelPart;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {

    /** The tests copy records through builders, with no serde made first (see AvroSerdes). */
    @BeforeAll
    static void trustGeneratedClasses() {
        AvroSerdes.trustGeneratedClasses();
    }

    static final Path MODELS = Path.of(System.getProperty("canvasflow.test.models", "models"));

    /** What the catalog told its listener. */
    static final class Heard implements ModelCatalog.Listener {
        final List<ModelSpec> complete = new ArrayList<>();
        final List<byte[]> bytes = new ArrayList<>();
        final List<String> refused = new ArrayList<>();
        final List<ModelErrorReason> reasons = new ArrayList<>();
        final List<String> removed = new ArrayList<>();

        @Override
        public void complete(ModelSpec spec, String modelJson, List<byte[]> parameters) {
            complete.add(spec);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            parameters.forEach(all::writeBytes);
            bytes.add(all.toByteArray());
        }

        @Override
        public void refused(String version, ModelErrorReason reason, String message) {
            refused.add(version + ": " + message);
            reasons.add(reason);
        }

        @Override
        public void removed(String version) {
            removed.add(version);
        }
    }

    static ModelPublication rnn() {
        return ModelPublication.read(MODELS.resolve("rnn"), 256 * 1024);
    }

    static void applyAll(ModelCatalog catalog, List<Map.Entry<String, ModelPart>> records) {
        records.forEach(r -> assertTrue(catalog.applyModel(r.getKey(), r.getValue())));
    }

    @Test
    void shouldPutAPublishedVersionTogetherBitForBit() throws Exception {
        // Given the shipped model cut into 256 KiB chunks (it is 1.5 MiB: several chunks)
        ModelPublication publication = rnn();
        assertTrue(publication.chunks().size() > 4);
        Heard heard = new Heard();
        ModelCatalog catalog = new ModelCatalog(true, heard);

        // When every record arrives
        applyAll(catalog, publication.records());

        // Then the version is complete and its parameters are the file's bytes
        assertEquals(1, heard.complete.size());
        assertEquals(publication.version(), heard.complete.get(0).version());
        assertArrayEquals(
                Files.readAllBytes(MODELS.resolve("rnn").resolve("parameters.bin")),
                heard.bytes.get(0));
        assertTrue(catalog.isComplete(publication.version()));
        assertEquals(List.of(), heard.refused);
    }

    @Test
    void shouldRefuseAVersionWhoseBytesDoNotMatchTheDigest() {
        // Given a publication with one byte of one chunk flipped on its way
        ModelPublication publication = rnn();
        List<Map.Entry<String, ModelPart>> records = new ArrayList<>(publication.records());
        ModelPart second = records.get(1).getValue();
        byte[] data = ((ModelChunk) second.getPart()).getData().array().clone();
        data[100] ^= 0x01;
        records.set(
                1,
                Map.entry(
                        records.get(1).getKey(),
                        ModelPart.newBuilder(second)
                                .setPart(new ModelChunk(1, ByteBuffer.wrap(data)))
                                .build()));
        Heard heard = new Heard();
        ModelCatalog catalog = new ModelCatalog(true, heard);

        // When it arrives
        applyAll(catalog, records);

        // Then it is refused for its digest, once, and never complete
        assertEquals(List.of(ModelErrorReason.DIGEST_MISMATCH), heard.reasons);
        assertEquals(List.of(), heard.complete);
        catalog.caughtUp();
        assertEquals(1, heard.reasons.size());
        assertFalse(catalog.isComplete(publication.version()));
    }

    @Test
    void shouldRefuseAManifestThatNamesMoreChunksThanItsBytesAllow() {
        // Given a manifest that says 2e9 chunks for a model of about 1.5 MB
        ModelPublication publication = rnn();
        List<Map.Entry<String, ModelPart>> records = new ArrayList<>(publication.records());
        int last = records.size() - 1;
        ModelPart manifest = records.get(last).getValue();
        records.set(
                last,
                Map.entry(
                        records.get(last).getKey(),
                        ModelPart.newBuilder(manifest)
                                .setPart(
                                        ModelManifest.newBuilder((ModelManifest) manifest.getPart())
                                                .setChunkCount(2_000_000_000)
                                                .build())
                                .build()));
        Heard heard = new Heard();
        ModelCatalog catalog = new ModelCatalog(true, heard);

        // When it arrives (a list of its missing chunks would have been 2e9 long)
        applyAll(catalog, records);

        // Then it is refused as an invalid model, at once
        assertEquals(List.of(ModelErrorReason.INVALID_MODEL), heard.reasons);
        assertTrue(heard.refused.get(0).contains("names 2000000000 chunks"), heard.refused.get(0));
        assertFalse(catalog.isComplete(publication.version()));
    }

    @Test
    void shouldCallAChunkMissingOnlyOnceTheTopicIsReadToItsEnd() {
        // Given a publication whose chunk 2 never arrives
        ModelPublication publication = rnn();
        List<Map.Entry<String, ModelPart>> records = new ArrayList<>(publication.records());
        Map.Entry<String, ModelPart> lost = records.remove(2);
        Heard heard = new Heard();
        ModelCatalog catalog = new ModelCatalog(true, heard);
        applyAll(catalog, records);

        // Then nothing is said while the reader may still be behind
        assertEquals(List.of(), heard.refused);

        // When the reader has caught up, it is refused: chunk 2 is missing
        catalog.caughtUp();
        assertEquals(List.of(ModelErrorReason.CHUNK_MISSING), heard.reasons);
        assertTrue(heard.refused.get(0).contains("lacks chunk(s) [2]"), heard.refused.get(0));

        // And the bytes of the chunks that came are let go, as for any refusal
        assertEquals(0, catalog.heldBytes(publication.version()));

        // And a chunk that comes after all, alone, does not make it complete
        assertTrue(catalog.applyModel(lost.getKey(), lost.getValue()));
        catalog.caughtUp();
        assertEquals(List.of(), heard.complete);
        assertEquals(List.of(ModelErrorReason.CHUNK_MISSING), heard.reasons);

        // And neither does its manifest read again: the chunks whose bytes went are missing
        applyAll(catalog, List.of(records.get(records.size() - 1)));
        catalog.caughtUp();
        assertEquals(List.of(), heard.complete);
        assertTrue(heard.refused.get(1).contains("lacks chunk(s) [0, 1, 3"), heard.refused.get(1));

        // When it is published again, it is complete
        applyAll(catalog, rnn().records());
        assertEquals(1, heard.complete.size());
        assertTrue(catalog.isComplete(publication.version()));
    }

    @Test
    void shouldCountTheLaterOfTwoCopiesOfAChunk() {
        // Given chunk 0 sent twice, the first copy damaged
        ModelPublication publication = rnn();
        List<Map.Entry<String, ModelPart>> records = new ArrayList<>(publication.records());
        ModelPart first = records.get(0).getValue();
        ModelPart damaged =
                ModelPart.newBuilder(first)
                        .setPart(new ModelChunk(0, ByteBuffer.wrap(new byte[] {1, 2, 3})))
                        .build();
        records.add(0, Map.entry(records.get(0).getKey(), damaged));
        Heard heard = new Heard();

        // When all arrive
        applyAll(new ModelCatalog(true, heard), records);

        // Then the version is put together from the later copy
        assertEquals(1, heard.complete.size());
        assertEquals(List.of(), heard.refused);
    }

    @Test
    void shouldPutTogetherAVersionTwoRacingPublishesInterleaved() {
        // Given two publishes of one model at once: their records interleave on the partition,
        // and the second one's manifest comes first
        List<Map.Entry<String, ModelPart>> a = rnn().records();
        List<Map.Entry<String, ModelPart>> b = rnn().records();
        List<Map.Entry<String, ModelPart>> interleaved = new ArrayList<>();
        for (int i = 0; i < a.size() - 1; i++) {
            interleaved.add(a.get(i));
            interleaved.add(b.get(i));
        }
        interleaved.add(b.get(b.size() - 1));
        interleaved.add(a.get(a.size() - 1));
        Heard heard = new Heard();
        ModelCatalog catalog = new ModelCatalog(true, heard);

        // When all are read
        applyAll(catalog, interleaved);
        catalog.caughtUp();

        // Then the version is complete once, bit for bit, and never refused (it was refused for
        // good as CHUNK_MISSING: the last manifest's own chunks had been replaced by the other's)
        assertEquals(List.of(), heard.refused);
        assertEquals(1, heard.complete.size());
        assertTrue(catalog.isComplete(a.get(0).getValue().getVersion()));

        // And a catalog that does not put versions together (models list) says the same
        ModelCatalog listing = new ModelCatalog(false, new Heard());
        applyAll(listing, interleaved);
        listing.caughtUp();
        assertTrue(listing.isComplete(a.get(0).getValue().getVersion()));
    }

    @Test
    void shouldForgetARemovedVersion() {
        ModelPublication publication = rnn();
        Heard heard = new Heard();
        ModelCatalog catalog = new ModelCatalog(true, heard);
        applyAll(catalog, publication.records());

        assertTrue(catalog.applyModel(ModelKeys.manifest(publication.version()), null));

        assertEquals(List.of(publication.version()), heard.removed);
        assertFalse(catalog.isPublished(publication.version()));
        assertFalse(catalog.isOnTopic(publication.version()));
        assertEquals(List.of(), catalog.versions());
    }

    @Test
    void shouldSayAVersionIsOnTheTopicFromItsFirstChunk() {
        // Given the first chunk of a version read, its manifest (written last) not yet
        ModelPublication publication = rnn();
        ModelCatalog catalog = new ModelCatalog(true, new Heard());
        applyAll(catalog, publication.records().subList(0, 1));

        // Then it is on the topic, though not published yet
        assertTrue(catalog.isOnTopic(publication.version()));
        assertFalse(catalog.isPublished(publication.version()));
        assertFalse(catalog.isOnTopic("another-version"));
    }

    @Test
    void shouldIgnoreRecordsWhoseKeyIsNotAModelsKey() {
        ModelCatalog catalog = new ModelCatalog(true, new Heard());
        ModelPart manifest = rnn().records().get(rnn().chunks().size()).getValue();

        assertFalse(catalog.applyModel("not-a-key", manifest));
        assertFalse(catalog.applyModel(ModelKeys.manifest("other-version"), manifest));
        assertFalse(catalog.applyModel(ModelKeys.chunk(rnn().version(), 0), manifest));
    }

    @Test
    void shouldTakeATombstoneThatReplacesAStrayRecordUnderAKeyThatIsNotAModelsKey() {
        // Given a catalog that has read the models
        ModelCatalog catalog = new ModelCatalog(true, new Heard());
        rnn().records().forEach(r -> catalog.applyModel(r.getKey(), r.getValue()));

        // When a tombstone comes under a frame's key, which an operator wrote to replace a frame
        // published to the models topic
        boolean taken = catalog.applyModel("street", null);

        // Then it is taken, not one more unreadable record, and the models are as they were
        assertEquals(
                List.of(true, List.of(rnn().version())),
                List.of(taken, catalog.versions().stream().map(v -> v.version()).toList()));
    }

    static ModelAssignment assignment(
            AssignmentScope scope, String target, String version, long at) {
        return ModelAssignment.newBuilder()
                .setScope(scope)
                .setTarget(target)
                .setModelVersion(version)
                .setAssignedAt(Instant.ofEpochMilli(at))
                .setAssignedBy("test")
                .build();
    }

    static void assign(ModelCatalog catalog, ModelAssignment a) {
        assertTrue(catalog.applyAssignment(ModelKeys.assignment(a.getScope(), a.getTarget()), a));
    }

    @Test
    void shouldResolveACameraByItsOwnAssignmentThenPatternThenDefault() {
        ModelCatalog catalog = new ModelCatalog(false, new Heard());
        assertEquals(Optional.empty(), catalog.resolve("cam-1"));

        assign(catalog, assignment(AssignmentScope.DEFAULT, null, "v-default", 1));
        assign(catalog, assignment(AssignmentScope.PATTERN, "cam-[0-9]+", "v-pattern", 2));
        assign(catalog, assignment(AssignmentScope.PATTERN, "cam-1.*", "v-newer-pattern", 3));
        assign(catalog, assignment(AssignmentScope.CAMERA, "cam-2", "v-own", 4));

        assertEquals(Optional.of("v-newer-pattern"), catalog.resolve("cam-1"));
        assertEquals(Optional.of("v-own"), catalog.resolve("cam-2"));
        assertEquals(Optional.of("v-pattern"), catalog.resolve("cam-3"));
        assertEquals(Optional.of("v-default"), catalog.resolve("lobby"));
        assertEquals(
                Optional.of("v-default"), catalog.resolve("xcam-3"), "a pattern matches whole ids");

        // An unassignment (tombstone) falls back to the next rule
        assertTrue(
                catalog.applyAssignment(
                        ModelKeys.assignment(AssignmentScope.CAMERA, "cam-2"), null));
        assertEquals(Optional.of("v-pattern"), catalog.resolve("cam-2"));
    }

    @Test
    void shouldPickTheSamePatternOnEveryInstanceWhenTwoWereAssignedInTheSameMillisecond() {
        // Given six matching patterns assigned at the same instant, which a hash map iterates in
        // an order that changes from one JVM to the next
        ModelCatalog catalog = new ModelCatalog(false, new Heard());
        for (String p : List.of("cam-1", "cam-.*", "c.*", ".*", "cam-[0-9]", "cam.+")) {
            assign(catalog, assignment(AssignmentScope.PATTERN, p, "v-" + p, 7));
        }

        // Then the greatest pattern wins, whatever the order
        assertEquals(Optional.of("v-cam.+"), catalog.resolve("cam-1"));
    }

    @Test
    void shouldRefuseAnAssignmentWhoseKeyOrPatternIsWrong() {
        ModelCatalog catalog = new ModelCatalog(false, new Heard());

        assertFalse(
                catalog.applyAssignment(
                        "camera:other", assignment(AssignmentScope.CAMERA, "cam-1", "v", 1)));
        assertFalse(
                catalog.applyAssignment(
                        "pattern:cam-[", assignment(AssignmentScope.PATTERN, "cam-[", "v", 1)));
        assertEquals(List.of(), catalog.assignments());
    }
}
