package io.canvasflow.schemas;

import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ModelAssignment;
import io.canvasflow.schemas.avro.ModelError;
import io.canvasflow.schemas.avro.ModelPart;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** The record schemas CanvasFlow writes, looked up by their single-object fingerprint. */
public final class KnownSchemas {

    /** Every record schema CanvasFlow writes to a topic or store. */
    public static final List<Schema> ALL =
            List.of(
                    Frame.getClassSchema(),
                    MaskEvent.getClassSchema(),
                    CanvasState.getClassSchema(),
                    DeadLetter.getClassSchema(),
                    ModelPart.getClassSchema(),
                    ModelAssignment.getClassSchema(),
                    ModelError.getClassSchema());

    private static final Map<Long, Schema> BY_FINGERPRINT =
            ALL.stream()
                    .collect(
                            Collectors.toUnmodifiableMap(
                                    KnownSchemas::fingerprint, Function.identity()));

    private KnownSchemas() {}

    /**
     * Returns the fingerprint that single-object encoding writes for a schema.
     *
     * @param schema a schema
     * @return its CRC-64-AVRO parsing fingerprint
     */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /**
     * Finds the CanvasFlow schema with a fingerprint.
     *
     * @param fingerprint a CRC-64-AVRO parsing fingerprint
     * @return the schema, or empty when no current CanvasFlow schema has that fingerprint
     */
    public static Optional<Schema> byFingerprint(long fingerprint) {
        return Optional.ofNullable(BY_FINGERPRINT.get(fingerprint));
    }

    /**
     * Formats a fingerprint the way error messages show it.
     *
     * @param fingerprint a fingerprint
     * @return sixteen hex digits prefixed with {@code 0x}
     */
    public static String hex(long fingerprint) {
        return String.format("0x%016x", fingerprint);
    }
}
