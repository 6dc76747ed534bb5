package io.canvasflow.trainer;

import io.canvasflow.model.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id a trained model gets where {@code --model-id} names none: {@code canvasflow-TYPE-SOURCE},
 * the source a camera id or the kind of data. A camera id may hold characters a model id may not (a
 * space, a '/'): the registry would refuse every version of it at {@code models publish}, after the
 * training. Those characters become '-', a long id is cut, and a digest of the exact camera id is
 * added, so that the same camera always gets the same id and two cameras that differ only there get
 * ids of their own.
 */
final class DefaultModelId {

    /** Hex digits of the camera id's SHA-256 added to an id that had to change. */
    private static final int DIGEST_DIGITS = 8;

    private DefaultModelId() {}

    /**
     * The default id.
     *
     * @param type rnn or ff
     * @param source the camera id, or the kind of data (synthetic, voc, ...)
     * @return an id every version of which the registry takes
     */
    static String of(String type, String source) {
        String plain = "canvasflow-" + type + "-" + source;
        if (ModelVersion.isValidModelId(plain)) {
            return plain;
        }
        String safe = plain.replaceAll("[^A-Za-z0-9._-]", "-");
        int keep = Math.min(safe.length(), ModelVersion.MAX_MODEL_ID - 1 - DIGEST_DIGITS);
        return safe.substring(0, keep) + "-" + digest(source);
    }

    private static String digest(String source) {
        try {
            byte[] sha =
                    MessageDigest.getInstance("SHA-256")
                            .digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha).substring(0, DIGEST_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
