package io.canvasflow.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A loaded model artifact: a directory holding {@code model.json} ({@link ModelSpec}) and the DJL
 * parameters it names. Thread-safe to share; segment with one {@link Segmenter} per thread.
 *
 * <pre>{@code
 * try (SegmentationModel model = SegmentationModel.load(dir, DeviceChoice.AUTO);
 *         Segmenter segmenter = model.newSegmenter()) {
 *     SegmentationResult r = segmenter.segment(SegmentRequest.builder().setImage(img).build());
 * }
 * }</pre>
 *
 * <p>Network: the first load starts DJL's engine, which would ask the EC2 metadata address for
 * telemetry; this module turns that off ({@code OPT_OUT_TRACKING=true}, see {@link EngineDefaults})
 * unless the environment or the system properties already set it. It does not set {@code
 * ai.djl.offline}: with it unset, DJL may download the PyTorch native library when no {@code
 * pytorch-native-cpu} jar is on the class path. The {@code ./canvasflow} launcher runs with {@code
 * -Dai.djl.offline=true}; an embedder that ships the native jar should set it too, before the first
 * load, so that the engine never goes to the network.
 */
public final class SegmentationModel implements AutoCloseable {

    /** The file name of the parameters inside a model directory. */
    public static final String PARAMETERS_FILE = "parameters.bin";

    /** Glorot-normal initialisation (Xavier, gaussian, averaged fan), as in the paper. */
    private static final XavierInitializer GLOROT_NORMAL =
            new XavierInitializer(
                    XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.AVG, 1);

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** The most classes a model may have: a mask is a byte a pixel, and 255 means "ignore". */
    public static final int MAX_CLASSES = 255;

    /** The longest input side a model may have: 8K video is 7680 wide. */
    public static final int MAX_INPUT_SIDE = 8192;

    private final ModelSpec spec;
    private final SegmentationNet net;
    private final NDManager manager;

    private SegmentationModel(ModelSpec spec, SegmentationNet net, NDManager manager) {
        this.spec = spec;
        this.net = net;
        this.manager = manager;
    }

    /**
     * Loads and validates a model directory on the CPU.
     *
     * @param dir the model directory, holding {@code model.json}
     * @return the loaded model; close it
     * @throws ModelLoadException with one sentence saying what is wrong, and where
     * @throws NullPointerException if {@code dir} is null
     */
    public static SegmentationModel load(Path dir) {
        return load(dir, DeviceChoice.CPU);
    }

    /**
     * Loads and validates a model directory.
     *
     * @param dir the model directory, holding {@code model.json}
     * @param device where the model runs
     * @return the loaded model; close it
     * @throws ModelLoadException with one sentence saying what is wrong, and where
     * @throws IllegalStateException if {@code device} is {@link DeviceChoice#GPU} and the engine
     *     sees no GPU (see {@link DeviceChoice#problem()})
     * @throws NullPointerException if {@code dir} or {@code device} is null
     */
    public static SegmentationModel load(Path dir, DeviceChoice device) {
        return load(dir, device, () -> {});
    }

    /**
     * Loads a model directory; {@code checked} runs after the parameters passed their check and
     * before they are loaded, where a test saves another model into the folder.
     */
    static SegmentationModel load(Path dir, DeviceChoice device, Runnable checked) {
        Objects.requireNonNull(dir, "SegmentationModel.load needs a model directory, got null");
        Objects.requireNonNull(
                device, "SegmentationModel.load needs a DeviceChoice (AUTO, CPU or GPU), got null");
        ModelSpec spec = readSpec(dir);
        Path params = dir.resolve(spec.parameters().file());
        // One open file, checked and then loaded: a save that renames other parameters in
        // meanwhile changes the folder, not the bytes read here, so they are those checked
        // against model.json's checksum.
        try (FileChannel channel = openParameters(params)) {
            checkParameters(params, spec.parameters(), channel);
            checked.run();
            channel.position(0);
            return loadChecked(dir, spec, Channels.newInputStream(channel), device);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + params + ": " + e.getMessage(), e);
        }
    }

    /** Loads parameters that passed their check from the stream of their open file. */
    private static SegmentationModel loadChecked(
            Path dir, ModelSpec spec, InputStream parameters, DeviceChoice device) {
        Path params = dir.resolve(spec.parameters().file());
        SegmentationNet net;
        try {
            net =
                    SegmentationNet.create(
                            spec.network().type(), spec.architecture(), spec.numClasses());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(
                    dir.resolve(ModelSpec.FILE_NAME)
                            + " describes an invalid network: "
                            + e.getMessage(),
                    e);
        }
        NDManager manager = NDManager.newBaseManager(device.resolve());
        try (InputStream in = new BufferedInputStream(parameters);
                ParameterShapes expected =
                        new ParameterShapes(
                                net,
                                manager,
                                new Shape(1, 3, spec.input().height(), spec.input().width()))) {
            // Before any value is allocated: a model.json that asks for layers wider than its
            // parameter file holds would otherwise cost their full size in native memory.
            checkSize(dir, params, spec, expected.float32Bytes());
            net.loadParameters(manager, new DataInputStream(in));
            // DJL takes each saved array as it is: parameters of another network of the same
            // layout would load and only fail on the first frame.
            String mismatch = expected.mismatch(net);
            if (mismatch != null) {
                throw doesNotFit(params, spec, mismatch, null);
            }
            if (in.read() != -1) {
                throw new ModelLoadException(
                        "parameter file "
                                + params
                                + " holds more parameters than the "
                                + spec.network().type()
                                + " network that model.json describes");
            }
            return new SegmentationModel(spec, net, manager);
        } catch (ModelLoadException e) {
            manager.close();
            throw e;
        } catch (EOFException e) {
            manager.close();
            throw new ModelLoadException(
                    "parameter file " + params + " ended early: it does not match model.json", e);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            manager.close();
            throw doesNotFit(params, spec, e.getMessage(), e);
        }
    }

    /**
     * Reads and checks {@code model.json} and the parameter file it names (its size and SHA-256)
     * without starting the engine: what a command checks before it starts any work. A file of the
     * right checksum that does not fit the network is found only by {@link #load}.
     *
     * @param dir the model directory
     * @return the model's description
     * @throws ModelLoadException with one sentence saying what is wrong, and where
     */
    public static ModelSpec checkFiles(Path dir) {
        ModelSpec spec = readSpec(dir);
        Path params = dir.resolve(spec.parameters().file());
        try (FileChannel channel = openParameters(params)) {
            checkParameters(params, spec.parameters(), channel);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + params + ": " + e.getMessage(), e);
        }
        return spec;
    }

    /** Reads and checks {@code model.json} of a model directory without loading parameters. */
    public static ModelSpec readSpec(Path dir) {
        Objects.requireNonNull(dir, "a model directory is needed, got null");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ModelLoadException(
                    dir
                            + " is a file, not a model directory: expected a directory holding "
                            + ModelSpec.FILE_NAME);
        }
        Path json = dir.resolve(ModelSpec.FILE_NAME);
        String text;
        try {
            text = Files.readString(json, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(
                    "no "
                            + ModelSpec.FILE_NAME
                            + " in "
                            + dir
                            + ": expected a CanvasFlow model directory",
                    e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + json + ": " + e.getMessage(), e);
        }
        return parseSpec(text, json.toString());
    }

    /**
     * Parses and checks the text of a {@code model.json}, for example one received over Kafka.
     *
     * @param text the JSON text
     * @param json where it comes from, for the messages
     * @return the description
     * @throws ModelLoadException with one sentence saying what is wrong
     */
    public static ModelSpec parseSpec(String text, String json) {
        ModelSpec spec;
        try {
            spec = GSON.fromJson(text, ModelSpec.class);
        } catch (JsonParseException e) {
            throw new ModelLoadException(json + " is not valid JSON: " + jsonError(e), e);
        }
        if (spec == null) {
            throw new ModelLoadException(json + " is empty");
        }
        if (spec.formatVersion() != ModelSpec.FORMAT_VERSION) {
            throw new ModelLoadException(
                    json
                            + " has format version "
                            + spec.formatVersion()
                            + " but this runtime reads version "
                            + ModelSpec.FORMAT_VERSION);
        }
        if (spec.network().type() == null
                || spec.architecture() == null
                || spec.classes() == null
                || spec.classes().size() < 2
                || spec.input() == null
                || spec.parameters() == null
                || spec.parameters().file() == null
                || spec.parameters().sha256() == null
                || spec.version() == null
                || spec.modelId() == null) {
            throw new ModelLoadException(
                    json
                            + " lacks a required field (modelId, modelType, architecture, classes,"
                            + " input, parameters, version)");
        }
        String file = spec.parameters().file();
        if (!file.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
            // a model from the models topic is written where this names: never outside its folder
            throw new ModelLoadException(
                    json
                            + " names the parameter file \""
                            + file
                            + "\": expected a plain file name beside model.json");
        }
        checkClassesAndInput(json, spec);
        checkIterationsTrained(json, spec.training().iterationsTrained());
        try {
            // here, not only when the network is built: a model from the models topic is refused
            // when it arrives, and the load builds a network of bounded depth
            spec.architecture().validate();
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(
                    json + " describes an invalid network: " + e.getMessage(), e);
        }
        return spec;
    }

    /**
     * Serve runs a model's trained iterations by default, and every request over {@link
     * SegmentRequest#MAX_ITERATIONS} is refused: a model trained for more would load and then
     * refuse every frame. 0 is the feed-forward baseline's count, and a model.json without the
     * field reads as 0 (the recurrent network's default then applies).
     */
    private static void checkIterationsTrained(String json, int iterationsTrained) {
        if (iterationsTrained < 0 || iterationsTrained > SegmentRequest.MAX_ITERATIONS) {
            throw new ModelLoadException(
                    json
                            + " gives iterationsTrained "
                            + iterationsTrained
                            + ": expected 1 to "
                            + SegmentRequest.MAX_ITERATIONS
                            + ", or 0 for a feed-forward model");
        }
    }

    /** The values that would otherwise fail later, far from model.json: colours, input size. */
    private static void checkClassesAndInput(String json, ModelSpec spec) {
        if (spec.classes().size() > MAX_CLASSES) {
            throw new ModelLoadException(
                    json
                            + " names "
                            + spec.classes().size()
                            + " classes: a mask holds at most "
                            + MAX_CLASSES
                            + " (one byte a pixel, 255 the ignore label)");
        }
        for (int i = 0; i < spec.classes().size(); i++) {
            ModelSpec.ClassInfo c = spec.classes().get(i);
            if (c == null || c.name() == null || c.name().isBlank()) {
                throw new ModelLoadException(json + " gives class " + i + " no name");
            }
            if (c.color() == null || !c.color().matches("#[0-9a-fA-F]{6}")) {
                throw new ModelLoadException(
                        json
                                + " gives class "
                                + c.name()
                                + " the colour \""
                                + c.color()
                                + "\": expected #rrggbb");
            }
        }
        ModelSpec.InputSpec input = spec.input();
        if (input.width() < 1
                || input.height() < 1
                || input.width() > MAX_INPUT_SIDE
                || input.height() > MAX_INPUT_SIDE) {
            throw new ModelLoadException(
                    json
                            + " gives an input width and height of "
                            + input.width()
                            + "x"
                            + input.height()
                            + ": expected 1 to "
                            + MAX_INPUT_SIDE
                            + " pixels a side");
        }
        if (input.mean() == null
                || input.mean().length != 3
                || input.std() == null
                || input.std().length != 3
                || !(Math.min(input.std()[0], Math.min(input.std()[1], input.std()[2])) > 0)) {
            throw new ModelLoadException(
                    json
                            + " gives input mean "
                            + Arrays.toString(input.mean())
                            + " and std "
                            + Arrays.toString(input.std())
                            + ": expected three means and three positive deviations, R, G, B");
        }
    }

    /** Gson's own words about a parse error, without exception class names or links. */
    private static String jsonError(JsonParseException e) {
        Throwable root = e.getCause() != null ? e.getCause() : e;
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        int link = message.indexOf("See https://");
        return (link < 0 ? message : message.substring(0, link)).strip();
    }

    /** Compares with the size checked against model.json, of the file open since the check. */
    private static void checkSize(Path dir, Path params, ModelSpec spec, long needed) {
        long size = spec.parameters().bytes();
        if (needed > size) {
            throw new ModelLoadException(
                    "the architecture in "
                            + dir.resolve(ModelSpec.FILE_NAME)
                            + " describes a "
                            + spec.network().type()
                            + " network whose parameters take "
                            + needed
                            + " bytes as float32, more than the "
                            + size
                            + " bytes of parameter file "
                            + params
                            + ": the architecture is not that of these parameters");
        }
    }

    private static ModelLoadException doesNotFit(
            Path params, ModelSpec spec, String why, Throwable cause) {
        return new ModelLoadException(
                "parameter file "
                        + params
                        + " does not fit the "
                        + spec.network().type()
                        + " network that model.json describes: "
                        + why,
                cause);
    }

    private static FileChannel openParameters(Path params) {
        try {
            return FileChannel.open(params, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new ModelLoadException(
                    "missing parameter file " + params + " named by " + ModelSpec.FILE_NAME, e);
        }
    }

    private static void checkParameters(
            Path params, ModelSpec.ParametersFile expected, FileChannel channel)
            throws IOException {
        long size = channel.size();
        if (size != expected.bytes()) {
            throw new ModelLoadException(
                    "parameter file "
                            + params
                            + " is "
                            + size
                            + " bytes but model.json says "
                            + expected.bytes()
                            + ": it is truncated or from another model");
        }
        String sha = sha256(channel, params);
        if (!sha.equalsIgnoreCase(expected.sha256())) {
            throw new ModelLoadException(
                    "parameter file "
                            + params
                            + " has SHA-256 "
                            + sha
                            + " but model.json says "
                            + expected.sha256()
                            + ": it is corrupt or from another model");
        }
    }

    /**
     * Creates a freshly initialised network (Glorot-normal weights) for training.
     *
     * @param spec the description; its parameters and version are filled in by {@link #save}
     * @param device where the model runs
     * @return the new model; close it
     * @throws IllegalStateException if {@code device} is {@link DeviceChoice#GPU} and the engine
     *     sees no GPU
     * @throws NullPointerException if {@code spec} or {@code device} is null
     */
    public static SegmentationModel initialize(ModelSpec spec, DeviceChoice device) {
        Objects.requireNonNull(spec, "SegmentationModel.initialize needs a ModelSpec, got null");
        Objects.requireNonNull(
                device,
                "SegmentationModel.initialize needs a DeviceChoice (AUTO, CPU or GPU), got null");
        SegmentationNet net =
                SegmentationNet.create(
                        spec.network().type(), spec.architecture(), spec.numClasses());
        NDManager manager = NDManager.newBaseManager(device.resolve());
        net.setInitializer(GLOROT_NORMAL, Parameter.Type.WEIGHT);
        net.initialize(
                manager,
                DataType.FLOAT32,
                new Shape(1, 3, spec.input().height(), spec.input().width()));
        return new SegmentationModel(spec, net, manager);
    }

    /**
     * Writes the parameters and a {@code model.json} whose version is derived from their hash, into
     * {@code dir} (created if needed), as one step: a failure while writing leaves the model the
     * folder held before, and no reader sees the new parameters with the old {@code model.json}.
     *
     * @return the spec as written
     */
    public ModelSpec save(Path dir) throws IOException {
        return save(dir, spec.metrics());
    }

    /**
     * Like {@link #save(Path)}, recording other metrics in {@code model.json}.
     *
     * @return the spec as written
     * @throws IllegalStateException when the description cannot be written as JSON (a metric that
     *     is NaN or infinite); the folder then holds what it held
     */
    public ModelSpec save(Path dir, java.util.Map<String, Object> metrics) throws IOException {
        return ModelFolderWriter.write(
                dir,
                out -> net.saveParameters(new DataOutputStream(out)),
                (bytes, sha) ->
                        spec.withMetrics(metrics)
                                .withParameters(
                                        new ModelSpec.ParametersFile(PARAMETERS_FILE, bytes, sha),
                                        ModelVersion.of(spec.modelId(), sha)));
    }

    static String sha256(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return sha256(channel, file);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of an open file's bytes, read from its start. */
    private static String sha256(FileChannel channel, Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            channel.position(0);
            while (channel.read(buffer) != -1) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new segmenter for the calling thread. */
    public Segmenter newSegmenter() {
        return new Segmenter(this);
    }

    /** The artifact's description. */
    public ModelSpec spec() {
        return spec;
    }

    /** The network, for training and evaluation code that batches frames itself. */
    public SegmentationNet net() {
        return net;
    }

    /** The manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** The analytic cost of one frame at the model's input size. */
    public CostModel cost() {
        return cost(spec.input().width(), spec.input().height());
    }

    /** The analytic cost of one frame at a given input size. */
    public CostModel cost(int width, int height) {
        return CostModel.of(net.type(), net.architecture(), net.numClasses(), width, height);
    }

    @Override
    public void close() {
        manager.close();
    }
}
