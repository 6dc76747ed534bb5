package io.canvasflow.registry;

import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.AssignmentScope;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ModelChunk;
import io.canvasflow.schemas.avro.ModelErrorReason;
import io.canvasflow.schemas.avro.ModelManifest;
import io.canvasflow.schemas.avro.ModelPart;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two registry topics say, folded record by record: the published versions (a manifest and
 * all of its chunks, put back together and checked against the manifest's and {@code model.json}'s
 * SHA-256) and the assignments. Kafka-free: the follower feeds it, {@code models list} reads it.
 *
 * <p>Arrival order does not matter: compaction may move a re-sent chunk after its manifest, so a
 * version is checked whenever a part of it arrives. A version whose manifest names chunks that have
 * not come is only declared incomplete when the reader has caught up with the topic ({@link
 * #caughtUp()}); until then they may still be on their way. Thread-safe.
 */
public final class ModelCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    /** What the catalog tells its owner. */
    public interface Listener {

        /**
         * A version is complete and its digest checks.
         *
         * @param spec its {@code model.json}
         * @param modelJson the text of its {@code model.json}
         * @param parameters its parameter file, in chunks
         */
        default void complete(ModelSpec spec, String modelJson, List<byte[]> parameters) {}

        /**
         * A version cannot be used.
         *
         * @param version the version
         * @param reason why
         * @param message one sentence
         */
        default void refused(String version, ModelErrorReason reason, String message) {}

        /**
         * A version was removed from the topic.
         *
         * @param version the version
         */
        default void removed(String version) {}
    }

    /**
     * A published version as {@code models list} shows it.
     *
     * @param version the version
     * @param manifest its manifest
     * @param spec its {@code model.json}, or null when unreadable
     * @param status complete, incomplete or refused (with the reason)
     */
    public record Version(String version, ModelManifest manifest, ModelSpec spec, String status) {}

    private record Published(String publication, ModelManifest manifest) {}

    /** The smallest chunk {@code models publish} writes (its {@code --chunk-bytes} floor). */
    static final int MIN_CHUNK_BYTES = 1024;

    /** The largest parameter file taken from the models topic: a byte array's limit, 2 GiB. */
    static final long MAX_PARAMETERS_BYTES = Integer.MAX_VALUE;

    /** How many missing chunks a refusal names. */
    private static final int MISSING_NAMED = 10;

    private final boolean assemble;
    private final Listener listener;
    private final Map<String, Published> manifests = new TreeMap<>();
    private final Map<String, Map<Integer, Chunk>> chunks = new HashMap<>();
    private final Map<String, Published> complete = new HashMap<>();
    private final Map<String, String> refused = new HashMap<>();

    /** The versions some part of which was read and not removed since: read without the lock. */
    private final Set<String> onTopic = ConcurrentHashMap.newKeySet();

    private volatile Assignments assignments = new Assignments(Map.of());

    /** A chunk as received: its publication and, when assembling, its bytes. */
    private record Chunk(String publication, byte[] data, int size) {}

    /**
     * Creates an empty catalog.
     *
     * @param assemble whether to keep chunk bytes and put versions together (serve), or only count
     *     them ({@code models list})
     * @param listener told about complete, refused and removed versions
     */
    public ModelCatalog(boolean assemble, Listener listener) {
        this.assemble = assemble;
        this.listener = listener;
    }

    /**
     * Applies a record of either registry topic as it comes from Kafka.
     *
     * @param modelsTopic true for the models topic, false for the assignments topic
     * @param key the record key
     * @param value the record value, null for a tombstone
     * @return false when the key does not fit the value (the record is ignored)
     * @throws RuntimeException (a serde exception) when the value is not a record of the topic's
     *     schema
     */
    public boolean apply(boolean modelsTopic, String key, byte[] value) {
        return modelsTopic
                ? applyModel(key, value == null ? null : AvroSerdes.modelPart().deserialize(value))
                : applyAssignment(
                        key == null ? "" : key,
                        value == null ? null : AvroSerdes.modelAssignment().deserialize(value));
    }

    /**
     * Applies a models-topic record.
     *
     * @param key its key
     * @param value its value, null for a tombstone
     * @return false when the key is not a models-topic key (the record is ignored); a tombstone
     *     under such a key is taken: it removes nothing of the registry, and it is how a stray
     *     record (frames published to this topic) is replaced
     */
    public synchronized boolean applyModel(String key, ModelPart value) {
        Optional<ModelKeys.Part> parsed = ModelKeys.parse(key);
        if (parsed.isEmpty()) {
            return value == null;
        }
        String version = parsed.get().version();
        if (value != null && !version.equals(value.getVersion())) {
            return false;
        }
        if (parsed.get().isManifest()) {
            if (value == null) {
                remove(version);
                return true;
            }
            if (!(value.getPart() instanceof ModelManifest manifest)) {
                return false;
            }
            manifests.put(version, new Published(value.getPublication(), manifest));
            refused.remove(version);
            onTopic.add(version);
        } else {
            int index = parsed.get().chunk();
            if (value == null) {
                chunksOf(version).remove(index);
                return true;
            }
            if (!(value.getPart() instanceof ModelChunk chunk) || chunk.getIndex() != index) {
                return false;
            }
            addChunk(version, value.getPublication(), chunk);
            onTopic.add(version);
        }
        check(version, false);
        return true;
    }

    private void addChunk(String version, String publication, ModelChunk chunk) {
        ByteBuffer data = chunk.getData().duplicate();
        byte[] bytes = null;
        if (assemble && !publication.equals(completePublication(version))) {
            bytes = new byte[data.remaining()];
            data.get(bytes);
        }
        Chunk before =
                chunksOf(version)
                        .put(chunk.getIndex(), new Chunk(publication, bytes, data.remaining()));
        if (before != null && before.publication().equals(publication)) {
            LOG.warn(
                    "models topic: chunk {} of model {} arrived twice in one publication; the"
                            + " later one counts{}",
                    chunk.getIndex(),
                    version,
                    publication.equals(completePublication(version))
                            ? ", but the version was already put together and checked"
                            : "");
        }
    }

    private Map<Integer, Chunk> chunksOf(String version) {
        return chunks.computeIfAbsent(version, v -> new HashMap<>());
    }

    private void remove(String version) {
        onTopic.remove(version);
        boolean known = manifests.remove(version) != null;
        chunks.remove(version);
        complete.remove(version);
        refused.remove(version);
        if (known) {
            listener.removed(version);
        }
    }

    /**
     * Declares the versions whose chunks have not all come incomplete: the reader has read the
     * topic to its end, so a missing chunk is not on its way.
     */
    public synchronized void caughtUp() {
        List.copyOf(manifests.keySet()).forEach(version -> check(version, true));
    }

    private void check(String version, boolean final_) {
        Published published = manifests.get(version);
        if (published == null
                || published.publication().equals(completePublication(version))
                || refused.containsKey(version)) {
            return;
        }
        Map<Integer, Chunk> have = chunksOf(version);
        if (complete.containsKey(version)
                && sameModel(published.manifest(), complete.get(version).manifest())) {
            // The same model published again (two publishes that raced, or a re-run): complete
            // as it was, whichever manifest came last; the other publication's bytes go.
            complete.put(version, published);
            have.replaceAll((i, c) -> new Chunk(c.publication(), null, c.size()));
            return;
        }
        int count = published.manifest().getChunkCount();
        long bytes = published.manifest().getParametersBytes();
        if (count < 1
                || bytes < 1
                || bytes > MAX_PARAMETERS_BYTES
                || count > (bytes + MIN_CHUNK_BYTES - 1) / MIN_CHUNK_BYTES) {
            // a manifest's word is not trusted with memory: 2e9 chunks would be a list of 2e9
            refuse(
                    version,
                    ModelErrorReason.INVALID_MODEL,
                    "model "
                            + version
                            + " refused: its manifest names "
                            + count
                            + " chunks for "
                            + bytes
                            + " bytes: expected 1 to "
                            + MAX_PARAMETERS_BYTES
                            + " bytes in chunks of "
                            + MIN_CHUNK_BYTES
                            + " bytes or more");
            return;
        }
        // at most the first few: the sentence names them, and the list stays small
        // A chunk of another publication of the version counts while it holds its bytes: two
        // publishes of one model that raced interleave their chunks, and the digest, checked once
        // the version is put together, says whether they make the model. One whose bytes a
        // refusal let go is missing, whichever its publication.
        List<Integer> missing =
                IntStream.range(0, count)
                        .filter(
                                i ->
                                        !have.containsKey(i)
                                                || (assemble && have.get(i).data() == null))
                        .boxed()
                        .limit(MISSING_NAMED)
                        .toList();
        if (!missing.isEmpty()) {
            if (final_) {
                refuse(
                        version,
                        ModelErrorReason.CHUNK_MISSING,
                        "model "
                                + version
                                + " lacks chunk(s) "
                                + missing
                                + (missing.size() == MISSING_NAMED ? " and more" : "")
                                + " of "
                                + count
                                + " on the models topic; publish it again");
            }
            return;
        }
        if (!assemble) {
            complete.put(version, published);
            return;
        }
        List<byte[]> parameters =
                IntStream.range(0, count).mapToObj(i -> have.get(i).data()).toList();
        ModelSpec spec;
        try {
            spec = check(version, published.manifest(), parameters);
        } catch (Refusal r) {
            refuse(version, r.reason, "model " + version + " refused: " + r.getMessage());
            return;
        }
        complete.put(version, published);
        have.replaceAll((i, c) -> new Chunk(c.publication(), null, c.size()));
        listener.complete(spec, published.manifest().getModelJson(), parameters);
    }

    /** The publication a version was put together from, or null while it is not. */
    private String completePublication(String version) {
        Published done = complete.get(version);
        return done == null ? null : done.publication();
    }

    /** Whether two manifests describe the same model: the same parameters and model.json. */
    static boolean sameModel(ModelManifest a, ModelManifest b) {
        return a.getParametersSha256().equals(b.getParametersSha256())
                && a.getModelJson().equals(b.getModelJson());
    }

    /** Why a put-together version is refused. */
    private static final class Refusal extends Exception {
        final ModelErrorReason reason;

        Refusal(ModelErrorReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /**
     * Checks a put-together version against its manifest and {@code model.json}.
     *
     * @return its {@code model.json}
     * @throws Refusal with the reason and one sentence when it does not check
     */
    private static ModelSpec check(String version, ModelManifest manifest, List<byte[]> parameters)
            throws Refusal {
        ModelSpec spec;
        try {
            spec = SegmentationModel.parseSpec(manifest.getModelJson(), "its model.json");
        } catch (ModelLoadException e) {
            throw new Refusal(
                    ModelErrorReason.INVALID_MODEL, "invalid model.json: " + e.getMessage());
        }
        if (!spec.version().equals(version)) {
            throw new Refusal(
                    ModelErrorReason.VERSION_MISMATCH,
                    "version " + spec.version() + " in its model.json");
        }
        String sha = Digests.sha256(parameters);
        long size = parameters.stream().mapToLong(p -> p.length).sum();
        if (!sha.equals(manifest.getParametersSha256())
                || !sha.equals(spec.parameters().sha256())
                || size != spec.parameters().bytes()) {
            throw new Refusal(
                    ModelErrorReason.DIGEST_MISMATCH,
                    "the SHA-256 of its "
                            + size
                            + " parameter bytes is "
                            + sha
                            + " but model.json says "
                            + spec.parameters().sha256()
                            + " ("
                            + spec.parameters().bytes()
                            + " bytes)");
        }
        return spec;
    }

    private void refuse(String version, ModelErrorReason reason, String message) {
        refused.put(version, reason + ": " + message);
        // Refused until a manifest comes again (it is published again, with all of its chunks):
        // keep the chunk sizes, not the bytes. A chunk missing once the topic is read to its end
        // is not on its way: a publication's chunks and manifest are one transaction.
        chunksOf(version).replaceAll((i, c) -> new Chunk(c.publication(), null, c.size()));
        listener.refused(version, reason, message);
    }

    /**
     * Applies an assignments-topic record.
     *
     * @param key its key
     * @param value its value, null for a tombstone
     * @return false when the record makes no sense (a pattern that does not compile, a key that
     *     does not match its value); it is ignored
     */
    public synchronized boolean applyAssignment(String key, ModelAssignment value) {
        Map<String, ModelAssignment> next = new LinkedHashMap<>(assignments.byKey());
        if (value == null) {
            next.remove(key);
        } else if (!key.equals(ModelKeys.assignment(value.getScope(), value.getTarget()))
                || (value.getScope() != AssignmentScope.DEFAULT && value.getTarget() == null)) {
            return false;
        } else {
            next.put(key, value);
        }
        try {
            assignments = new Assignments(next);
        } catch (PatternSyntaxException e) {
            return false;
        }
        return true;
    }

    /**
     * The version assigned to a camera: its own assignment, else the most recent pattern that
     * matches its whole id, else the default. Reads an immutable snapshot, without a lock: the
     * stream threads ask for every frame while the follower may be checking a large model.
     *
     * @param cameraId the camera
     * @return the version, or empty when nothing is assigned
     */
    public Optional<String> resolve(String cameraId) {
        return assignments.resolve(cameraId);
    }

    /** The default assignment's version, if there is one. */
    public Optional<String> defaultVersion() {
        return assignments.defaultVersion();
    }

    /** Every version some assignment names, the default's first. */
    public Set<String> assignedVersions() {
        Assignments now = assignments;
        Set<String> versions = new LinkedHashSet<>();
        now.defaultVersion().ifPresent(versions::add);
        now.byKey().values().forEach(a -> versions.add(a.getModelVersion()));
        return versions;
    }

    /** The assignments, in the order they were first made. */
    public List<ModelAssignment> assignments() {
        return List.copyOf(assignments.byKey().values());
    }

    /** The assignments at one moment: immutable, patterns compiled. */
    private record Assignments(Map<String, ModelAssignment> byKey, Map<String, Pattern> patterns) {

        Assignments(Map<String, ModelAssignment> byKey) {
            this(Collections.unmodifiableMap(new LinkedHashMap<>(byKey)), compile(byKey));
        }

        private static Map<String, Pattern> compile(Map<String, ModelAssignment> byKey) {
            Map<String, Pattern> patterns = new HashMap<>();
            byKey.forEach(
                    (key, a) -> {
                        if (a.getScope() == AssignmentScope.PATTERN) {
                            patterns.put(key, Pattern.compile(a.getTarget()));
                        }
                    });
            return Map.copyOf(patterns);
        }

        Optional<String> resolve(String cameraId) {
            ModelAssignment own = byKey.get(ModelKeys.assignment(AssignmentScope.CAMERA, cameraId));
            if (own != null) {
                return Optional.of(own.getModelVersion());
            }
            // The newest matching pattern wins; on a tie, the greater key, so that every instance
            // (whose map iterates in its own order) picks the same.
            Optional<ModelAssignment> pattern =
                    patterns.entrySet().stream()
                            .filter(e -> e.getValue().matcher(cameraId).matches())
                            .map(e -> byKey.get(e.getKey()))
                            .max(
                                    Comparator.comparing(ModelAssignment::getAssignedAt)
                                            .thenComparing(ModelAssignment::getTarget));
            return pattern.map(ModelAssignment::getModelVersion).or(this::defaultVersion);
        }

        Optional<String> defaultVersion() {
            return Optional.ofNullable(
                            byKey.get(ModelKeys.assignment(AssignmentScope.DEFAULT, null)))
                    .map(ModelAssignment::getModelVersion);
        }
    }

    /** Whether a version is published, complete and (when assembling) checked. */
    public synchronized boolean isComplete(String version) {
        Published published = manifests.get(version);
        return published != null && published.publication().equals(completePublication(version));
    }

    /** The chunk bytes held for a version: none once it is put together or refused. */
    synchronized long heldBytes(String version) {
        return chunks.getOrDefault(version, Map.of()).values().stream()
                .filter(c -> c.data() != null)
                .mapToLong(c -> c.data().length)
                .sum();
    }

    /**
     * Whether some part of a version (a chunk or its manifest) has been read and the version not
     * removed since: a version is on the topic while its chunks arrive, before its manifest, which
     * is written last. Without the catalog's lock, for a caller that holds its own: the follower
     * thread holds the catalog's while it announces a version to its listener, which takes its own.
     *
     * @param version the version
     * @return whether it is on the topic, complete or not
     */
    public boolean isOnTopic(String version) {
        return onTopic.contains(version);
    }

    /** Whether a version has a manifest on the topic. */
    public synchronized boolean isPublished(String version) {
        return manifests.containsKey(version);
    }

    /** The chunk keys a tombstone must cover to remove a version: every chunk ever seen. */
    public synchronized Set<Integer> chunkIndexes(String version) {
        Set<Integer> indexes = new HashSet<>(chunksOf(version).keySet());
        Published published = manifests.get(version);
        if (published != null) {
            IntStream.range(0, published.manifest().getChunkCount()).forEach(indexes::add);
        }
        return indexes;
    }

    /** The published versions, by version. */
    public synchronized List<Version> versions() {
        List<Version> versions = new ArrayList<>();
        manifests.forEach(
                (version, published) -> {
                    ModelSpec spec;
                    try {
                        spec =
                                SegmentationModel.parseSpec(
                                        published.manifest().getModelJson(), version);
                    } catch (ModelLoadException e) {
                        spec = null;
                    }
                    String status =
                            refused.containsKey(version)
                                    ? "refused " + refused.get(version)
                                    : isComplete(version) ? "complete" : "incomplete";
                    versions.add(new Version(version, published.manifest(), spec, status));
                });
        return versions;
    }
}
