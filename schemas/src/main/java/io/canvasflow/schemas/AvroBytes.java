package io.canvasflow.schemas;

import java.nio.ByteBuffer;

/** Avro {@code bytes} fields, which the generated classes hand out as {@link ByteBuffer}s. */
public final class AvroBytes {

    private AvroBytes() {}

    /**
     * Copies the bytes of an Avro bytes field without moving the buffer's position.
     *
     * @param buffer the field, for example {@code frame.getImage()}, or null
     * @return its remaining bytes; empty for null
     */
    public static byte[] toArray(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        ByteBuffer view = buffer.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
