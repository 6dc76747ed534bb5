package io.canvasflow.model;

import java.util.regex.Pattern;

/**
 * What a model's version, and so its id, may be called. A version is {@code MODEL_ID-DIGEST}, the
 * id followed by the first digits of its parameters' SHA-256, and names a folder of the serve cache
 * and the record keys of the registry's models topic: a trainer that wrote a version the registry
 * refuses would be found out only at {@code models publish}, after the training.
 */
public final class ModelVersion {

    /** The longest version: a folder name, and part of a record key. */
    public static final int MAX_LENGTH = 200;

    /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 200 of them. */
    public static final Pattern PATTERN =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    /** How many hex digits of the parameters' SHA-256 a version ends in. */
    private static final int DIGEST_DIGITS = 12;

    /** The longest model id: its versions add '-' and the digest. */
    public static final int MAX_MODEL_ID = MAX_LENGTH - 1 - DIGEST_DIGITS;

    private ModelVersion() {}

    /**
     * The version of a model's parameters.
     *
     * @param modelId the model's id
     * @param sha256 the hex SHA-256 of its parameter file
     * @return {@code modelId-DIGEST}
     */
    public static String of(String modelId, String sha256) {
        return modelId + "-" + sha256.substring(0, DIGEST_DIGITS);
    }

    /** Whether a version may be published (and cached): it matches {@link #PATTERN}. */
    public static boolean isValid(String version) {
        return version != null && PATTERN.matcher(version).matches();
    }

    /** Whether every version of a model of this id may be published. */
    public static boolean isValidModelId(String modelId) {
        return modelId != null && isValid(of(modelId, "0".repeat(DIGEST_DIGITS)));
    }
}
