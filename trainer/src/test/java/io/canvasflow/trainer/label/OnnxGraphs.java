package io.canvasflow.trainer.label;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes tiny ONNX models for tests, protobuf by hand (no weights can be downloaded here and the
 * build has no ONNX library): an image {@code x (1, 3, H, W)} through one 1x1 convolution with
 * fixed weights to {@code y (1, C, H, W)}, optionally flattened to a rank-2 output.
 */
final class OnnxGraphs {

    private OnnxGraphs() {}

    /**
     * A 1x1 convolution: {@code weights[c]} are the three input weights of output channel c.
     *
     * @param flatten append a Flatten node, so the output is not a per-pixel map
     */
    static byte[] conv1x1(float[][] weights, boolean flatten) {
        int c = weights.length;
        ByteBuffer raw = ByteBuffer.allocate(c * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] w : weights) {
            for (float v : w) {
                raw.putFloat(v);
            }
        }
        Proto tensor =
                new Proto()
                        .varint(1, c) // dims
                        .varint(1, 3)
                        .varint(1, 1)
                        .varint(1, 1)
                        .varint(2, 1) // data_type FLOAT
                        .string(8, "w")
                        .bytes(9, raw.array()); // raw_data
        Proto conv =
                new Proto()
                        .string(1, "x")
                        .string(1, "w")
                        .string(2, flatten ? "z" : "y")
                        .string(4, "Conv");
        Proto graph = new Proto().message(1, conv);
        if (flatten) {
            graph.message(1, new Proto().string(1, "z").string(2, "y").string(4, "Flatten"));
        }
        graph.string(2, "teacher")
                .message(5, tensor)
                .message(11, valueInfo("x", 3))
                .message(12, valueInfo("y", flatten ? -1 : c));
        return new Proto()
                .varint(1, 7) // ir_version
                .message(8, new Proto().string(1, "").varint(2, 13)) // opset 13
                .message(7, graph)
                .toByteArray();
    }

    /** A float tensor of shape (1, channels, h, w), or of unknown rank when channels < 0. */
    private static Proto valueInfo(String name, int channels) {
        Proto tensorType = new Proto().varint(1, 1);
        if (channels > 0) {
            Proto shape =
                    new Proto()
                            .message(1, new Proto().varint(1, 1))
                            .message(1, new Proto().varint(1, channels))
                            .message(1, new Proto().string(2, "h"))
                            .message(1, new Proto().string(2, "w"));
            tensorType.message(2, shape);
        }
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** The protobuf wire format, the few field kinds an ONNX model needs. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Proto bytes(int field, byte[] value) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
