package io.canvasflow.registry;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.ModelError;
import io.canvasflow.schemas.avro.ModelErrorReason;
import io.canvasflow.schemas.avro.ModelManifest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The refusals serve instances reported on the model-errors topic, as {@code models list} and
 * {@code models assign} read them: the newest per version and instance. The registry's chunk count
 * cannot see a version that every instance refuses (a digest that does not check, a cache write
 * that failed); this can. Not thread-safe: one reader folds the topic, then asks.
 */
public final class ReportedRefusals {

    /** Version, then instance, then that instance's newest refusal of it. */
    private final Map<String, Map<String, ModelError>> newest = new HashMap<>();

    /**
     * Applies a model-errors record value. A tombstone, and an error that names no version (a
     * registry record an instance could not read), say nothing about a version and are ignored.
     *
     * @param value the record value
     * @throws RuntimeException (a serde exception) when the value is not a {@code ModelError}
     */
    void apply(byte[] value) {
        if (value == null) {
            return;
        }
        ModelError error = AvroSerdes.modelError().deserialize(value);
        if (error.getModelVersion() == null) {
            return;
        }
        newest.computeIfAbsent(error.getModelVersion(), v -> new HashMap<>())
                .merge(
                        error.getInstance(),
                        error,
                        (a, b) -> a.getTimestamp().isAfter(b.getTimestamp()) ? a : b);
    }

    /**
     * The refusals of a version's current publication: those made at or after its manifest's {@code
     * publishedAt}, so that a version published again (fixed) does not show the refusals of the
     * publication it replaced. Both times are the writers' clocks (the publisher's and the
     * instance's), so a refusal made within a clock skew of the publication may be taken for the
     * earlier one's.
     *
     * @param version the version
     * @param manifest its manifest as read now
     * @return the newest refusal of each instance that refused it, by instance
     */
    public List<ModelError> of(String version, ModelManifest manifest) {
        return newest.getOrDefault(version, Map.of()).values().stream()
                .filter(e -> !e.getTimestamp().isBefore(manifest.getPublishedAt()))
                .sorted(Comparator.comparing(ModelError::getInstance))
                .toList();
    }

    /**
     * Refusals in one line: {@code refused by 2 instances (a@h1, a@h2): DIGEST_MISMATCH (the newest
     * sentence of that reason)}, each reason once.
     *
     * @param refusals refusals of one version, from {@link #of}; not empty
     * @return the line
     */
    public static String describe(List<ModelError> refusals) {
        Map<ModelErrorReason, ModelError> byReason = new TreeMap<>();
        refusals.forEach(
                e ->
                        byReason.merge(
                                e.getReason(),
                                e,
                                (a, b) -> a.getTimestamp().isAfter(b.getTimestamp()) ? a : b));
        List<String> instances = refusals.stream().map(ModelError::getInstance).distinct().toList();
        List<String> reasons = new ArrayList<>();
        byReason.forEach((reason, e) -> reasons.add(reason + " (" + e.getMessage() + ")"));
        return "refused by "
                + instances.size()
                + (instances.size() == 1 ? " instance (" : " instances (")
                + String.join(", ", instances)
                + "): "
                + String.join("; ", reasons);
    }
}
