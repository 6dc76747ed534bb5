package io.canvasflow.trainer.label;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes tiny ONNX models for tests, protobuf by hand (no weights can be downloaded here and the
 * build has no ONNX library): an image {@code x (1, 3, H, W)} through one 1x1 convolution with
 * fixed weights to {@code y (1, C, H, W)}, optionally flattened to a rank-2 output, turned into
 * probabilities by a Softmax over the classes, or averaged over blocks to a smaller map, H and W
 * free or fixed.
 */
final class OnnxGraphs {

    private OnnxGraphs() {}

    /**
     * A 1x1 convolution: {@code weights[c]} are the three input weights of output channel c.
     *
     * @param flatten append a Flatten node, so the output is not a per-pixel map
     */
    static byte[] conv1x1(float[][] weights, boolean flatten) {
        return conv1x1(weights, flatten ? Head.FLATTEN : Head.NONE, 0, 0);
    }

    /**
     * The same 1x1 convolution ending in {@code Softmax(axis=1)}, as many exported segmentation
     * models do: its output is each class's probability, not its logit.
     */
    static byte[] conv1x1Softmax(float[][] weights) {
        return conv1x1(weights, Head.SOFTMAX, 0, 0);
    }

    /**
     * A 1x1 convolution exported with a fixed input size, as many exports are: it runs on {@code
     * (1, 3, height, width)} images only.
     */
    static byte[] conv1x1Fixed(float[][] weights, int width, int height) {
        return conv1x1(weights, Head.NONE, width, height);
    }

    /**
     * The fixed-size 1x1 convolution followed by {@code AveragePool} over {@code stride x stride}
     * blocks: its score map is {@code (1, C, height / stride, width / stride)}, smaller than its
     * input as SegFormer's (a quarter) and DeepLab's before their upsampling are.
     */
    static byte[] conv1x1FixedPooled(float[][] weights, int width, int height, int stride) {
        return conv1x1(weights, Head.POOL, width, height, stride);
    }

    /** What follows the convolution. */
    private enum Head {
        NONE,
        FLATTEN,
        SOFTMAX,
        POOL
    }

    /** {@code width} and {@code height} 0: free, named dimensions. */
    private static byte[] conv1x1(float[][] weights, Head head, int width, int height) {
        return conv1x1(weights, head, width, height, 1);
    }

    /** {@code stride}: the pool's, for {@link Head#POOL}. */
    private static byte[] conv1x1(float[][] weights, Head head, int width, int height, int stride) {
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
                        .string(2, head == Head.NONE ? "y" : "z")
                        .string(4, "Conv");
        Proto graph = new Proto().message(1, conv);
        if (head == Head.FLATTEN) {
            graph.message(1, new Proto().string(1, "z").string(2, "y").string(4, "Flatten"));
        } else if (head == Head.SOFTMAX) {
            // attribute axis = 1 (opset 13's default is the last axis, the width)
            Proto axis = new Proto().string(1, "axis").varint(3, 1).varint(20, 2); // type INT
            graph.message(
                    1,
                    new Proto()
                            .string(1, "z")
                            .string(2, "y")
                            .string(4, "Softmax")
                            .message(5, axis));
        } else if (head == Head.POOL) {
            graph.message(
                    1,
                    new Proto()
                            .string(1, "z")
                            .string(2, "y")
                            .string(4, "AveragePool")
                            .message(5, ints("kernel_shape", stride))
                            .message(5, ints("strides", stride)));
        }
        graph.string(2, "teacher")
                .message(5, tensor)
                .message(11, valueInfo("x", 3, width, height))
                .message(
                        12,
                        valueInfo(
                                "y",
                                head == Head.FLATTEN ? -1 : c,
                                width / stride,
                                height / stride));
        return new Proto()
                .varint(1, 7) // ir_version
                .message(8, new Proto().string(1, "").varint(2, 13)) // opset 13
                .message(7, graph)
                .toByteArray();
    }

    /** An attribute of two ints, both {@code value} (type INTS). */
    private static Proto ints(String name, int value) {
        return new Proto().string(1, name).varint(8, value).varint(8, value).varint(20, 7);
    }

    /**
     * A float tensor of shape (1, channels, height, width), a free dimension named h or w where the
     * size is 0, or of unknown rank when channels < 0.
     */
    private static Proto valueInfo(String name, int channels, int width, int height) {
        Proto tensorType = new Proto().varint(1, 1);
        if (channels > 0) {
            Proto shape =
                    new Proto()
                            .message(1, new Proto().varint(1, 1))
                            .message(1, new Proto().varint(1, channels))
                            .message(1, dimension(height, "h"))
                            .message(1, dimension(width, "w"));
            tensorType.message(2, shape);
        }
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** A dimension of this size, or a free one of this name when the size is 0. */
    private static Proto dimension(int size, String name) {
        return size > 0 ? new Proto().varint(1, size) : new Proto().string(2, name);
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
