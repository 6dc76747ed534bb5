package io.canvasflow.model;

import com.google.gson.JsonDeserializationContext;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonSerializationContext;
import com.google.gson.JsonSerializer;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/**
 * The description of a model artifact, stored as {@code model.json} beside its parameters. The file
 * is one flat JSON object (see {@link FlatJson}); the groups below exist in Java only.
 *
 * @param formatVersion the artifact format; this runtime reads {@value #FORMAT_VERSION}
 * @param modelId a stable name, e.g. {@code canvasflow-rnn-synthetic}
 * @param version a version id, unique per trained parameter set (a canvas from another version is
 *     never used as a seed)
 * @param network the network to rebuild: its type and hyper-parameters
 * @param classes class names and display colours, in class-index order
 * @param input the input size and normalisation
 * @param training how the parameters were trained, and when
 * @param parameters the parameter file, its size and SHA-256
 */
@JsonAdapter(ModelSpec.FlatJson.class)
public record ModelSpec(
        int formatVersion,
        String modelId,
        String version,
        Network network,
        List<ClassInfo> classes,
        InputSpec input,
        Training training,
        ParametersFile parameters) {

    /** The artifact format this runtime reads and writes. */
    public static final int FORMAT_VERSION = 1;

    /** The file name of the description inside a model directory. */
    public static final String FILE_NAME = "model.json";

    /**
     * The network a model directory rebuilds.
     *
     * @param type recurrent or feed-forward
     * @param architecture the hyper-parameters that rebuild the network
     */
    public record Network(ModelType type, Architecture architecture) {}

    /**
     * How the parameters came to be.
     *
     * @param iterationsTrained iterations unrolled in training (0 for the feed-forward baseline)
     * @param data a description of the data it was trained on
     * @param metrics evaluation figures recorded at training time (informational)
     * @param createdAt ISO-8601 time of creation
     */
    public record Training(
            int iterationsTrained, String data, Map<String, Object> metrics, String createdAt) {}

    /** The hyper-parameters that rebuild the network. */
    public Architecture architecture() {
        return network.architecture();
    }

    /**
     * The iterations to run from a zero canvas when the user sets none: 1 for a feed-forward model
     * (one pass is all it does; its model.json records 0 trained iterations), else those the
     * parameters were unrolled for in training ({@code iterationsTrained} in model.json), or {@link
     * RecurrentSegmentationNet#DEFAULT_ITERATIONS} for a model.json that does not record them.
     *
     * @return a count of at least one
     */
    public int defaultFullIterations() {
        if (network != null && network.type() != null && !network.type().readsCanvas()) {
            return 1;
        }
        return training != null && training.iterationsTrained() > 0
                ? training.iterationsTrained()
                : RecurrentSegmentationNet.DEFAULT_ITERATIONS;
    }

    /** Evaluation figures recorded at training time (informational). */
    public Map<String, Object> metrics() {
        return training.metrics();
    }

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
        Training t = training;
        return with(
                version,
                new Training(t.iterationsTrained(), t.data(), newMetrics, t.createdAt()),
                parameters);
    }

    /** A copy with another parameter file description and version. */
    public ModelSpec withParameters(ParametersFile file, String newVersion) {
        return with(newVersion, training, file);
    }

    private ModelSpec with(String newVersion, Training newTraining, ParametersFile newParameters) {
        return new ModelSpec(
                formatVersion,
                modelId,
                newVersion,
                network,
                classes,
                input,
                newTraining,
                newParameters);
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

    /**
     * Reads and writes {@code model.json} as one flat object, its fields in the order they have
     * always had, so that existing model directories load unchanged.
     */
    static final class FlatJson implements JsonSerializer<ModelSpec>, JsonDeserializer<ModelSpec> {

        private static final Type CLASSES = new TypeToken<List<ClassInfo>>() {}.getType();
        private static final Type METRICS = new TypeToken<Map<String, Object>>() {}.getType();

        @Override
        public JsonElement serialize(ModelSpec spec, Type type, JsonSerializationContext context) {
            JsonObject o = new JsonObject();
            o.addProperty("formatVersion", spec.formatVersion());
            o.addProperty("modelId", spec.modelId());
            o.addProperty("version", spec.version());
            o.add("modelType", context.serialize(spec.network().type(), ModelType.class));
            o.add("architecture", context.serialize(spec.architecture(), Architecture.class));
            o.add("classes", context.serialize(spec.classes(), CLASSES));
            o.add("input", context.serialize(spec.input(), InputSpec.class));
            o.addProperty("iterationsTrained", spec.training().iterationsTrained());
            o.addProperty("trainingData", spec.training().data());
            o.add("metrics", context.serialize(spec.metrics(), METRICS));
            o.add("parameters", context.serialize(spec.parameters(), ParametersFile.class));
            o.addProperty("createdAt", spec.training().createdAt());
            return o;
        }

        @Override
        public ModelSpec deserialize(
                JsonElement json, Type type, JsonDeserializationContext context) {
            if (!json.isJsonObject()) {
                throw new JsonParseException("expected a JSON object but found " + json);
            }
            JsonObject o = json.getAsJsonObject();
            return new ModelSpec(
                    intOrZero(o.get("formatVersion"), context),
                    context.deserialize(o.get("modelId"), String.class),
                    context.deserialize(o.get("version"), String.class),
                    new Network(
                            context.deserialize(o.get("modelType"), ModelType.class),
                            context.deserialize(o.get("architecture"), Architecture.class)),
                    context.deserialize(o.get("classes"), CLASSES),
                    context.deserialize(o.get("input"), InputSpec.class),
                    new Training(
                            intOrZero(o.get("iterationsTrained"), context),
                            context.deserialize(o.get("trainingData"), String.class),
                            context.deserialize(o.get("metrics"), METRICS),
                            context.deserialize(o.get("createdAt"), String.class)),
                    context.deserialize(o.get("parameters"), ParametersFile.class));
        }

        /** An int field; 0 when it is missing or null, as for any absent primitive field. */
        private static int intOrZero(JsonElement field, JsonDeserializationContext context) {
            Integer value = context.deserialize(field, Integer.class);
            return value == null ? 0 : value;
        }
    }
}
