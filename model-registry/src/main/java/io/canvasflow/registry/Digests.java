package io.canvasflow.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 as {@code model.json} writes it: lower-case hex. */
final class Digests {

    private Digests() {}

    /** The SHA-256 of the concatenated pieces. */
    static String sha256(List<byte[]> pieces) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            pieces.forEach(digest::update);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
