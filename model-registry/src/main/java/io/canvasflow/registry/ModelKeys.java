package io.canvasflow.registry;

import io.canvasflow.model.ModelVersion;
import io.canvasflow.schemas.avro.AssignmentScope;
import java.util.Locale;
import java.util.Optional;

/**
 * The record keys of the registry topics, spelled here and nowhere else.
 *
 * <p>Models topic: {@code VERSION/manifest} and {@code VERSION/chunk-00000} ... one key per part,
 * so that compaction keeps every part of every published version until a tombstone removes it.
 * Assignments topic: {@code camera:ID}, {@code pattern:REGEX} or {@code default}, so that
 * compaction keeps the latest assignment of each camera, pattern and the default. What a version
 * may be called is {@link ModelVersion}'s rule, which the trainer checks too.
 */
public final class ModelKeys {

    private static final String MANIFEST = "/manifest";
    private static final String CHUNK = "/chunk-";
    private static final String CAMERA = "camera:";
    private static final String PATTERN = "pattern:";
    private static final String DEFAULT = "default";

    /**
     * A parsed models-topic key.
     *
     * @param version the model version
     * @param chunk the chunk index, or -1 for the manifest
     */
    public record Part(String version, int chunk) {

        /** Whether the key names the manifest. */
        public boolean isManifest() {
            return chunk < 0;
        }
    }

    private ModelKeys() {}

    /** The key of a version's manifest. */
    public static String manifest(String version) {
        return version + MANIFEST;
    }

    /** The key of a version's chunk. */
    public static String chunk(String version, int index) {
        return version + CHUNK + String.format(Locale.ROOT, "%05d", index);
    }

    /**
     * Parses a models-topic key.
     *
     * @param key the key
     * @return the part it names, or empty when it is not a models-topic key
     */
    public static Optional<Part> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        if (key.endsWith(MANIFEST)) {
            return version(key.substring(0, key.length() - MANIFEST.length()), -1);
        }
        int at = key.lastIndexOf(CHUNK);
        if (at < 0) {
            return Optional.empty();
        }
        try {
            int index = Integer.parseInt(key.substring(at + CHUNK.length()));
            return index < 0 ? Optional.empty() : version(key.substring(0, at), index);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Part> version(String version, int chunk) {
        return ModelVersion.isValid(version)
                ? Optional.of(new Part(version, chunk))
                : Optional.empty();
    }

    /**
     * The key of an assignment.
     *
     * @param scope what it covers
     * @param target the camera id or pattern; ignored for the default
     * @return the key
     */
    public static String assignment(AssignmentScope scope, String target) {
        return switch (scope) {
            case CAMERA -> CAMERA + target;
            case PATTERN -> PATTERN + target;
            case DEFAULT -> DEFAULT;
        };
    }
}
