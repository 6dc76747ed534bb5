package io.canvasflow.testsupport;

import io.canvasflow.schemas.AvroBytes;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Bytes of Avro fields, and a short fingerprint to compare them by in an assertion. */
public final class Bytes {

    private Bytes() {}

    /** The remaining bytes of a buffer, which is left as it was. */
    public static byte[] of(ByteBuffer buffer) {
        return AvroBytes.toArray(buffer);
    }

    /** The length and the first six bytes of the SHA-256, or null for null. */
    public static String digest(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
            return bytes.length + " bytes, sha256 " + HexFormat.of().formatHex(sha, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
