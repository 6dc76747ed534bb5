package io.canvasflow.trainer.label;

import ai.djl.util.cuda.CudaUtils;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.canvasflow.model.Canvas;
import io.canvasflow.schemas.LabelMetadata;
import io.canvasflow.synthetic.ClassTable;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels frames with a semantic-segmentation model a user exported to ONNX (a torchvision
 * DeepLabV3, a SegFormer, ...), run through ONNX Runtime. The model takes one {@code (1, 3, H, W)}
 * float image and must give a per-pixel class score map {@code (1, C, h, w)}, C the number of class
 * names it is given; each pixel's label is the class of the highest score, or the ignore label when
 * that class's probability is less than {@code minConfidence}: the softmax of the scores where they
 * are logits, the score itself where they are probabilities already ({@link OnnxOutput}). A model
 * exported with a fixed input size is fed frames resized to it: stretched, or fitted with their
 * aspect ratio kept ({@link OnnxResize}, {@link Letterbox}).
 */
public final class OnnxTeacher implements Teacher {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxTeacher.class);

    /** Hex digits of the file's SHA-256 in the description: as many as a model version has. */
    private static final int DIGEST_HEX = 12;

    /**
     * How to run the model.
     *
     * @param file the ONNX file
     * @param classNames its classes in output-channel order
     * @param width input width the model is fed (frames are resized), 0 for the model's fixed width
     *     or, when it has none, the frame's own
     * @param height likewise
     * @param resize how a frame is fitted to a fed size of another shape
     * @param normalisation input normalisation
     * @param output whether the model gives logits or probabilities, or {@link OnnxOutput#AUTO}
     * @param minConfidence below this probability of its top class a pixel is ignored (0 labels
     *     every pixel)
     */
    public record Settings(
            Path file,
            List<String> classNames,
            int width,
            int height,
            OnnxResize resize,
            Normalisation normalisation,
            OnnxOutput output,
            double minConfidence) {

        /** Checks the class names, when given, as labelled frames will carry them. */
        public Settings {
            String problem = classNames == null ? null : LabelMetadata.classesProblem(classNames);
            if (problem != null) {
                throw new IllegalArgumentException(
                        "the ONNX teacher's classes (--teacher-classes) cannot be "
                                + classNames
                                + ": "
                                + problem);
            }
        }
    }

    private final Settings settings;
    private final ClassTable classes;
    private final int width;
    private final int height;
    private final OrtSession session;
    private final OnnxInput input;
    private final String sha256;

    /** How its scores are read: the one asked for, or once the first frame is seen, AUTO's. */
    private OnnxOutput output;

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
        this.sha256 = sha256(settings.file());
        this.output = settings.output();
        this.session = open(settings.file());
        // a model of a fixed size runs on images of that size only
        try {
            this.input = OnnxInput.read(settings.file(), session);
            int[] size = input.size(settings.width(), settings.height());
            this.width = size[0];
            this.height = size[1];
        } catch (TeacherException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /**
     * Opens the file in ONNX Runtime's own API, on the CPU unless {@link #cuda()}. DJL's engine for
     * ONNX Runtime gave nothing a teacher needs and printed two WARNs on every load: it tried to
     * start CUDA (the ONNX Runtime this build ships is its CPU build), and it made a repository of
     * the file.
     */
    private static OrtSession open(Path file) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (cuda()) {
                options.addCUDA(0);
            }
            return OrtEnvironment.getEnvironment().createSession(file.toString(), options);
        } catch (OrtException | RuntimeException e) {
            throw new TeacherException("ONNX teacher " + file + " does not load: " + reason(e), e);
        }
    }

    /** The file's SHA-256, which tells two exports of one name apart in a lineage. */
    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new TeacherException(
                    "ONNX teacher " + file + " cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Whether the model runs on the GPU: when this ONNX Runtime has a CUDA provider and the machine
     * a CUDA device, as {@code DeviceChoice.AUTO} chooses for PyTorch. Asked of the runtime's list
     * of providers, so that a CPU build is never asked to start CUDA.
     */
    private static boolean cuda() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)
                && CudaUtils.getGpuCount() > 0;
    }

    @Override
    public ClassTable classes() {
        return classes;
    }

    /**
     * The teacher exactly, for the labels' metadata and so a model's lineage: the file's absolute
     * path and digest, the size it is fed ({@code frame}: each frame's own), its normalisation (a
     * custom one as given), how its output is read ({@code auto:probabilities} once AUTO has seen
     * the first frame), and last, so that older descriptions read as the start of a newer one, how
     * frames are resized.
     */
    @Override
    public String description() {
        return String.format(
                Locale.ROOT,
                "onnx:%s(sha256=%s,size=%s,classes=%d,normalise=%s,output=%s,minConfidence=%.2f,"
                        + "resize=%s)",
                settings.file().toAbsolutePath().normalize(),
                sha256.substring(0, DIGEST_HEX),
                width > 0 && height > 0 ? width + "x" + height : "frame",
                classes.size(),
                settings.normalisation().name(),
                settings.output() == output
                        ? output.option()
                        : settings.output().option() + ":" + output.option(),
                settings.minConfidence(),
                settings.resize().option());
    }

    @Override
    public String whenUnsure() {
        return String.format(
                Locale.ROOT,
                "its top class's probability was under --min-confidence %.2f everywhere, its"
                        + " output read as %s; give a lower --min-confidence, or --teacher-output"
                        + " %s if the model gives %s",
                settings.minConfidence(),
                output.option(),
                output == OnnxOutput.PROBABILITIES ? "logits" : "probabilities",
                output == OnnxOutput.PROBABILITIES
                        ? "logits"
                        : "probabilities (ends in a Softmax)");
    }

    @Override
    public Optional<byte[]> label(BufferedImage frame) {
        int w = width > 0 ? width : frame.getWidth();
        int h = height > 0 ? height : frame.getHeight();
        Letterbox box = Letterbox.of(settings.resize(), frame.getWidth(), frame.getHeight(), w, h);
        float[] chw = box.input(frame, settings.normalisation());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor image =
                        OnnxTensor.createTensor(
                                env, FloatBuffer.wrap(chw), new long[] {1, 3, h, w});
                OrtSession.Result out = session.run(Map.of(input.name(), image))) {
            OnnxValue first = out.get(0);
            long[] s =
                    first.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT
                            ? t.getShape()
                            : null;
            if (s == null || s.length != 4 || s[0] != 1 || s[1] != classes.size()) {
                throw new TeacherException(
                        "ONNX teacher "
                                + settings.file()
                                + " gives an output of "
                                + (s == null ? "another type than float" : "shape " + shape(s))
                                + "; a teacher must give a per-pixel class score map (1, "
                                + classes.size()
                                + ", H, W) for its "
                                + classes.size()
                                + " class names");
            }
            FloatBuffer buffer = ((OnnxTensor) first).getFloatBuffer();
            float[] scores = new float[buffer.remaining()];
            buffer.get(scores);
            readOutput(scores, (int) (s[2] * s[3]));
            return Optional.of(labels(scores, (int) s[2], (int) s[3], frame, box));
        } catch (OrtException e) {
            throw new TeacherException(
                    "ONNX teacher " + settings.file() + " failed on a frame: " + reason(e), e);
        }
    }

    /**
     * Decides AUTO on the first frame, for the run, saying so; and checks each frame's scores, when
     * said to be probabilities, lie within 0..1 (a logit map read as them would keep every pixel).
     */
    private void readOutput(float[] scores, int plane) {
        if (output == OnnxOutput.AUTO) {
            output = OnnxOutput.detect(scores, classes.size(), plane);
            LOG.info(
                    output == OnnxOutput.PROBABILITIES
                            ? "ONNX teacher {}'s output lies within 0..1 and sums to 1 over its {}"
                                    + " classes at every pixel of the first frame: it is read as"
                                    + " probabilities for this run (--teacher-output auto; give"
                                    + " --teacher-output logits to take its softmax)"
                            : "ONNX teacher {}'s output is not probabilities summing to 1 over its"
                                    + " {} classes at every pixel of the first frame: it is read"
                                    + " as logits, its softmax taken, for this run"
                                    + " (--teacher-output auto; give --teacher-output"
                                    + " probabilities to take it as it is)",
                    settings.file().getFileName(),
                    classes.size());
        } else if (output == OnnxOutput.PROBABILITIES
                && settings.output() == OnnxOutput.PROBABILITIES
                && !OnnxOutput.withinUnit(scores)) {
            throw new TeacherException(
                    "ONNX teacher "
                            + settings.file()
                            + " gives scores outside 0..1, which are not probabilities; give"
                            + " --teacher-output logits or auto");
        }
    }

    /** ONNX Runtime's message without its error code ("Error code - ORT_FAIL - message: "). */
    static String reason(Exception e) {
        return String.valueOf(e.getMessage()).replaceFirst("^Error code - \\w+ - message: ", "");
    }

    /** A shape as {@code (1, 2, 576, 768)}. */
    private static String shape(long[] s) {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            text.append(i == 0 ? "" : ", ").append(s[i]);
        }
        return text.append(')').toString();
    }

    /**
     * Argmax and confidence per score-map cell, the cells that cover the frame resampled (nearest)
     * to its size.
     */
    private byte[] labels(float[] scores, int sh, int sw, BufferedImage frame, Letterbox box) {
        int c = classes.size();
        int plane = sh * sw;
        // The score map is laid out like a canvas's logits: one plane per class.
        byte[] cell = new Canvas(c, sh, sw, scores, settings.file().toString()).argmax();
        for (int p = 0; p < plane; p++) {
            double confidence = output.confidence(scores, c, plane, p, Byte.toUnsignedInt(cell[p]));
            if (!(confidence >= settings.minConfidence())) { // NaN scores count as unsure
                cell[p] = (byte) ClassTable.IGNORE_LABEL;
            }
        }
        return box.labels(cell, sw, sh, frame.getWidth(), frame.getHeight());
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing to do for a session that is done with: its native memory goes with it
        }
    }
}
