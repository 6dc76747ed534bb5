package io.canvasflow.trainer.label;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.Map;

/**
 * The image input an ONNX teacher's model declares, as ONNX Runtime reads it: one float {@code (1,
 * 3, H, W)} tensor, whose height and width may each be fixed or free. A model exported with a fixed
 * size runs only on images of that size; fed another, ONNX Runtime fails with a dump of its own.
 *
 * @param file the model file, for the sentences
 * @param name the input's name
 * @param type its element type, null when it is not a tensor
 * @param shape its dimensions, -1 where free, null when it is not a tensor
 */
record OnnxInput(Path file, String name, OnnxJavaType type, long[] shape) {

    /**
     * Reads the inputs the model in {@code session} declares.
     *
     * @param file the model's file, for the sentences
     * @param session the model, loaded
     * @throws TeacherException when the model does not take one image
     */
    static OnnxInput read(Path file, OrtSession session) {
        Map<String, NodeInfo> inputs;
        try {
            inputs = session.getInputInfo();
        } catch (OrtException e) {
            throw new TeacherException(
                    "ONNX teacher " + file + " does not load: " + e.getMessage(), e);
        }
        if (inputs.size() != 1) {
            throw new TeacherException(
                    "ONNX teacher "
                            + file
                            + " takes "
                            + inputs.size()
                            + " inputs "
                            + inputs.keySet()
                            + "; a teacher must take one float (1, 3, H, W) image");
        }
        NodeInfo input = inputs.values().iterator().next();
        OnnxInput read =
                input.getInfo() instanceof TensorInfo t
                        ? new OnnxInput(file, input.getName(), t.type, t.getShape())
                        : new OnnxInput(file, input.getName(), null, null);
        read.check();
        return read;
    }

    /**
     * Refuses an input that is not one float (1, 3, H, W) image. A free channel count is taken only
     * where the last dimension does not say 3: (1, ?, ?, 3) is a channels-last image, whose width
     * would be read as 3.
     */
    void check() {
        boolean image =
                type == OnnxJavaType.FLOAT
                        && shape != null
                        && shape.length == 4
                        && shape[0] <= 1
                        && (shape[1] == 3 || (shape[1] < 0 && shape[3] != 3));
        if (!image) {
            throw new TeacherException(
                    "ONNX teacher "
                            + file
                            + " takes input "
                            + name
                            + (shape == null
                                    ? ", which is not a tensor"
                                    : " of type " + type + " and shape " + shapeText())
                            + "; a teacher must take one float (1, 3, H, W) image");
        }
    }

    /**
     * The size the model is fed: the one asked for, or where it is 0, the model's fixed size.
     *
     * @param width the width asked for ({@code --teacher-size}), 0 for none
     * @param height likewise
     * @return width and height, 0 where the frame's own goes (neither asked for nor fixed)
     * @throws TeacherException when the size asked for differs from a fixed one
     */
    int[] size(int width, int height) {
        long fixedW = shape[3];
        long fixedH = shape[2];
        boolean widthConflicts = width > 0 && fixedW > 0 && width != fixedW;
        boolean heightConflicts = height > 0 && fixedH > 0 && height != fixedH;
        if (widthConflicts || heightConflicts) {
            throw new TeacherException(
                    "--teacher-size "
                            + width
                            + "x"
                            + height
                            + " does not fit ONNX teacher "
                            + file
                            + ", whose input "
                            + name
                            + " has shape "
                            + shapeText()
                            + "; give --teacher-size "
                            + (fixedW > 0 ? fixedW : width)
                            + "x"
                            + (fixedH > 0 ? fixedH : height)
                            + " or leave it out");
        }
        return new int[] {
            width > 0 ? width : (int) Math.max(0, fixedW),
            height > 0 ? height : (int) Math.max(0, fixedH)
        };
    }

    /** The shape as {@code (1, 3, 520, 520)}, {@code ?} for a free dimension. */
    private String shapeText() {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : String.valueOf(shape[i]));
        }
        return s.append(')').toString();
    }
}
