package io.canvasflow.model;

import java.util.List;
import java.util.Map;

/**
 * The description of a model artifact, stored as {@code model.json} beside its parameters.
 *
 * @param formatVersion the artifact format; this runtime reads {@value #FORMAT_VERSION}
 * @param modelId a stable name, e.g. {@code canvasflow-rnn-synthetic}
 * @param version a version id, unique per trained parameter set (a canvas from another version is
 *     never used as a seed)
 * @param modelType recurrent or feed-forward
 * @param architecture the hyper-parameters that rebuild the network
 * @param classes class names and display colours, in class-index order
 * @param input the input size and normalisation
 * @param iterationsTrained iterations unrolled in training (0 for the feed-forward baseline)
 * @param trainingData a description of the data it was trained on
 * @param metrics evaluation figures recorded at training time (informational)
 * @param parameters the parameter file, its size and SHA-256
 * @param createdAt ISO-8601 time of creation
 */
public record ModelSpec(
        int formatVersion,
        String modelId,
        String version,
        ModelType modelType,
        Architecture architecture,
        List<ClassInfo> classes,
        InputSpec input,
        int iterationsTrained,
        String trainingData,
        Map<String, Object> metrics,
        ParametersFile parameters,
        String createdAt) {

    /** The artifact format this runtime reads and writes. */
    public static final int FORMAT_VERSION = 1;

    /** The file name of the description inside a model directory. */
    public static final String FILE_NAME = "model.json";

    /** Number of classes. */
    public int numClasses() {
        return classes.size();
    }

    /** Class names in index order. */
    public List<String> classNames() {
        return classes.stream().map(ClassInfo::name).toList();
    }

    /** Display colours as 0xRRGGBB in index order. */
    public int[] classColors() {
        return classes.stream()
                .mapToInt(c -> Integer.parseInt(c.color().substring(1), 16))
                .toArray();
    }

    /** A copy with other metrics. */
    public ModelSpec withMetrics(Map<String, Object> newMetrics) {
        return new ModelSpec(
                formatVersion,
                modelId,
                version,
                modelType,
                architecture,
                classes,
                input,
                iterationsTrained,
                trainingData,
                newMetrics,
                parameters,
                createdAt);
    }

    /** A copy with another parameter file description and version. */
    public ModelSpec withParameters(ParametersFile file, String newVersion) {
        return new ModelSpec(
                formatVersion,
                modelId,
                newVersion,
                modelType,
                architecture,
                classes,
                input,
                iterationsTrained,
                trainingData,
                metrics,
                file,
                createdAt);
    }

    /**
     * A class of the model.
     *
     * @param name the class name
     * @param color display colour as {@code #rrggbb}
     */
    public record ClassInfo(String name, String color) {}

    /**
     * The input the network expects.
     *
     * @param width input width in pixels (frames are resized to it)
     * @param height input height in pixels
     * @param mean per-channel RGB mean of 0..1 pixel values
     * @param std per-channel RGB standard deviation
     */
    public record InputSpec(int width, int height, float[] mean, float[] std) {}

    /**
     * The parameter file of the artifact.
     *
     * @param file file name inside the model directory
     * @param bytes its size in bytes
     * @param sha256 its SHA-256, hex
     */
    public record ParametersFile(String file, long bytes, String sha256) {}
}
