package io.canvasflow.trainer.label;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.model.Canvas;
import io.canvasflow.model.ImageTensors;
import io.canvasflow.synthetic.ClassTable;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Labels frames with a semantic-segmentation model a user exported to ONNX (a torchvision
 * DeepLabV3, a SegFormer, ...), run through DJL's ONNX Runtime engine. The model takes one {@code
 * (1, 3, H, W)} float image and must give a per-pixel class score map {@code (1, C, h, w)}, C the
 * number of class names it is given; each pixel's label is the class of the highest score, or the
 * ignore label when the softmax of the scores gives that class less than {@code minConfidence}. A
 * model exported with a fixed input size is fed frames resized to it.
 */
public final class OnnxTeacher implements Teacher {

    /** Input normalisation: ImageNet statistics (torchvision's convention) or plain 0..1. */
    public enum Normalisation {
        IMAGENET(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}),
        UNIT(new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f});

        final float[] mean;
        final float[] std;

        Normalisation(float[] mean, float[] std) {
            this.mean = mean;
            this.std = std;
        }
    }

    /**
     * How to run the model.
     *
     * @param file the ONNX file
     * @param classNames its classes in output-channel order
     * @param width input width the model is fed (frames are resized), 0 for the model's fixed width
     *     or, when it has none, the frame's own
     * @param height likewise
     * @param normalisation input normalisation
     * @param minConfidence below this softmax probability a pixel is ignored (0 labels every pixel)
     */
    public record Settings(
            Path file,
            List<String> classNames,
            int width,
            int height,
            Normalisation normalisation,
            double minConfidence) {}

    private final Settings settings;
    private final ClassTable classes;
    private final int width;
    private final int height;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    /**
     * Loads the model.
     *
     * @throws TeacherException naming the file when it is missing or not a loadable ONNX model,
     *     when its input is not one image, or when the size asked for differs from its fixed size
     */
    public OnnxTeacher(Settings settings) {
        this.settings = settings;
        if (!Files.isRegularFile(settings.file())) {
            throw new TeacherException("ONNX teacher " + settings.file() + " is not a file");
        }
        if (settings.classNames() == null || settings.classNames().size() < 2) {
            throw new TeacherException(
                    "ONNX teacher "
                            + settings.file()
                            + " needs its class names in output order: --teacher-classes a,b,...");
        }
        this.classes = ClassTable.withVocPalette(settings.classNames());
        try {
            this.model =
                    Criteria.builder()
                            .setTypes(NDList.class, NDList.class)
                            .optModelPath(settings.file())
                            .optEngine("OnnxRuntime")
                            .build()
                            .loadModel();
        } catch (ModelNotFoundException
                | MalformedModelException
                | IOException
                | RuntimeException e) {
            throw new TeacherException(
                    "ONNX teacher " + settings.file() + " does not load: " + e.getMessage(), e);
        }
        // after the engine, which makes ONNX Runtime's environment with its own thread settings:
        // a model of a fixed size runs on images of that size only
        try {
            int[] size = OnnxInput.read(settings.file()).size(settings.width(), settings.height());
            this.width = size[0];
            this.height = size[1];
        } catch (TeacherException e) {
            model.close();
            throw e;
        }
        this.predictor = model.newPredictor();
    }

    @Override
    public ClassTable classes() {
        return classes;
    }

    @Override
    public String description() {
        return String.format(
                Locale.ROOT,
                "onnx:%s(classes=%d,normalise=%s,minConfidence=%.2f)",
                settings.file().getFileName(),
                classes.size(),
                settings.normalisation().name().toLowerCase(Locale.ROOT),
                settings.minConfidence());
    }

    @Override
    public Optional<byte[]> label(BufferedImage frame) {
        int w = width > 0 ? width : frame.getWidth();
        int h = height > 0 ? height : frame.getHeight();
        float[] chw =
                ImageTensors.toChw(
                        ImageTensors.resize(frame, w, h),
                        settings.normalisation().mean,
                        settings.normalisation().std);
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList out = predictor.predict(new NDList(manager.create(chw, new Shape(1, 3, h, w))));
            NDArray scores = out.get(0);
            Shape s = scores.getShape();
            if (s.dimension() != 4 || s.get(0) != 1 || s.get(1) != classes.size()) {
                throw new TeacherException(
                        "ONNX teacher "
                                + settings.file()
                                + " gives an output of shape "
                                + s
                                + "; a teacher must give a per-pixel class score map (1, "
                                + classes.size()
                                + ", H, W) for its "
                                + classes.size()
                                + " class names");
            }
            return Optional.of(
                    labels(scores.toFloatArray(), (int) s.get(2), (int) s.get(3), frame));
        } catch (TranslateException e) {
            throw new TeacherException(
                    "ONNX teacher " + settings.file() + " failed on a frame: " + e.getMessage(), e);
        }
    }

    /** Argmax and confidence per score-map cell, resampled (nearest) to the frame's size. */
    private byte[] labels(float[] scores, int sh, int sw, BufferedImage frame) {
        int c = classes.size();
        int plane = sh * sw;
        // The score map is laid out like a canvas's logits: one plane per class.
        byte[] cell = new Canvas(c, sh, sw, scores, settings.file().toString()).argmax();
        for (int p = 0; p < plane; p++) {
            float max = scores[Byte.toUnsignedInt(cell[p]) * plane + p];
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += Math.exp(scores[k * plane + p] - max);
            }
            if (!(1 / sum >= settings.minConfidence())) { // NaN scores count as unsure
                cell[p] = (byte) ClassTable.IGNORE_LABEL;
            }
        }
        return ImageCodecs.nearest(cell, sw, sh, frame.getWidth(), frame.getHeight());
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
