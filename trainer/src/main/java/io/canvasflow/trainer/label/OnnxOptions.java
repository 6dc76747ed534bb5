package io.canvasflow.trainer.label;

import io.canvasflow.clients.CliValues;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code label}'s options that only an {@code onnx:FILE} teacher reads, and their checks. */
final class OnnxOptions {

    /** Their names, refused with the motion teacher. */
    static final List<String> NAMES =
            List.of(
                    "--teacher-classes",
                    "--teacher-size",
                    "--teacher-resize",
                    "--teacher-normalise",
                    "--teacher-output",
                    "--min-confidence");

    @Option(
            names = "--teacher-classes",
            description = "onnx: the model's class names in output-channel order, comma-separated.")
    String teacherClasses;

    @Option(
            names = "--teacher-size",
            description =
                    "onnx: input size WxH the model is fed (default: the model's fixed input size,"
                            + " else the frame's size; one that differs from a fixed size is"
                            + " refused).")
    String teacherSize;

    @Option(
            names = "--teacher-resize",
            defaultValue = "stretch",
            description =
                    "onnx: how a frame meets a fed size of another shape: stretch (scaled to it)"
                            + " or fit (its aspect ratio kept, centred, the rest the mean colour;"
                            + " only the scores that cover the frame are read)"
                            + " (default ${DEFAULT-VALUE}).")
    String resize;

    @Option(
            names = "--teacher-normalise",
            defaultValue = "imagenet",
            description =
                    "onnx: imagenet (torchvision's mean/std), unit (0..1 RGB) or a mean/std"
                            + " R,G,B/R,G,B on the 0..1 scale, e.g. 0.5,0.5,0.5/0.5,0.5,0.5 for"
                            + " -1..1 input (default ${DEFAULT-VALUE}).")
    String normalise;

    @Option(
            names = "--teacher-output",
            defaultValue = "auto",
            description =
                    "onnx: logits (the softmax is taken), probabilities (the model ends in a"
                            + " Softmax) or auto: probabilities when the first frame's scores lie"
                            + " within 0..1 and sum to 1 at every pixel (default ${DEFAULT-VALUE}).")
    String output;

    @Option(
            names = "--min-confidence",
            defaultValue = "0.5",
            description =
                    "onnx: pixels whose top class has a lower probability get the ignore label"
                            + " (default ${DEFAULT-VALUE}).")
    double minConfidence;

    /**
     * Refuses a value out of its range, before anything loads.
     *
     * @throws IllegalArgumentException one sentence naming the option
     */
    void check() {
        if (teacherSize != null) {
            CliValues.size(teacherSize, "--teacher-size");
        }
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException(
                    "expected --min-confidence between 0 and 1 but found " + minConfidence);
        }
        OnnxResize.parse(resize);
        Normalisation.parse(normalise);
        if (Arrays.stream(OnnxOutput.values()).noneMatch(o -> o.option().equals(output))) {
            throw new IllegalArgumentException(
                    "--teacher-output must be auto, logits or probabilities, got " + output);
        }
    }

    /** The teacher's settings, for {@code --teacher onnx:FILE}; {@link #check} passed. */
    OnnxTeacher.Settings settings(Path file) {
        int[] size =
                teacherSize == null
                        ? new int[] {0, 0}
                        : CliValues.size(teacherSize, "--teacher-size");
        return new OnnxTeacher.Settings(
                file,
                teacherClasses == null
                        ? null
                        : Arrays.stream(teacherClasses.split(",")).map(String::trim).toList(),
                size[0],
                size[1],
                OnnxResize.parse(resize),
                Normalisation.parse(normalise),
                OnnxOutput.valueOf(output.toUpperCase(Locale.ROOT)),
                minConfidence);
    }
}
