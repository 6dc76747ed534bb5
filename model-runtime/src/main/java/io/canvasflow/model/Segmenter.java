package io.canvasflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Segments frames with one model. Not thread-safe: make one per calling thread (one per Kafka
 * Streams thread). Every frame's NDArrays live in a sub-manager closed at the end of the frame, so
 * a long-running segmenter holds no native memory between frames.
 */
public final class Segmenter implements AutoCloseable {

    private final SegmentationModel model;
    private final SegmentationNet net;
    private final NDManager manager;
    private final ParameterStore parameters;

    Segmenter(SegmentationModel model) {
        this.model = model;
        this.net = model.net();
        this.manager = model.manager().newSubManager();
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * Segments one frame: the backbone runs once, then the requested iterations reuse its features,
     * starting from the seed canvas or from zeros.
     *
     * @throws IncompatibleCanvasException if the seed's shape or model version does not match
     */
    public SegmentationResult segment(SegmentRequest request) {
        long start = System.nanoTime();
        ModelSpec spec = model.spec();
        int inW = request.inputWidth() > 0 ? request.inputWidth() : spec.input().width();
        int inH = request.inputHeight() > 0 ? request.inputHeight() : spec.input().height();
        int iterations = request.iterations() > 0 ? request.iterations() : net.defaultIterations();
        int classes = net.numClasses();
        int stride = net.architecture().outputStride();
        int canvasH = (inH + stride - 1) / stride;
        int canvasW = (inW + stride - 1) / stride;
        Canvas seed = request.seed();
        if (seed != null) {
            checkSeed(seed, classes, canvasH, canvasW, spec.version());
        }

        BufferedImage resized = ImageTensors.resize(request.image(), inW, inH);
        float[] pixels = ImageTensors.toChw(resized, spec.input().mean(), spec.input().std());
        try (NDManager frame = manager.newSubManager()) {
            NDArray images = frame.create(pixels, new Shape(1, 3, inH, inW));
            long t0 = System.nanoTime();
            NDArray features = net.features(parameters, images, false);
            double backboneMs = (System.nanoTime() - t0) / 1e6;

            NDArray canvas =
                    seed == null
                            ? net.zeroCanvas(features)
                            : net.prepareSeed(
                                    frame.create(
                                            seed.logitsUnsafe(),
                                            new Shape(1, classes, canvasH, canvasW)));
            double[] iterationMs = new double[iterations];
            List<Canvas> kept = new ArrayList<>();
            NDList state = null;
            for (int i = 0; i < iterations; i++) {
                long ti = System.nanoTime();
                SegmentationNet.Step step = net.step(parameters, features, canvas, state, false);
                canvas = step.canvas();
                state = step.state();
                iterationMs[i] = (System.nanoTime() - ti) / 1e6;
                if (request.keepIterations()) {
                    kept.add(toCanvas(canvas, classes, canvasH, canvasW, spec.version()));
                }
            }
            Canvas finalCanvas = toCanvas(canvas, classes, canvasH, canvasW, spec.version());
            byte[] classMap = classMap(canvas, request.outputWidth(), request.outputHeight());
            double totalMs = (System.nanoTime() - start) / 1e6;
            double gflops =
                    CostModel.of(net.type(), net.architecture(), classes, inW, inH)
                            .frameGflops(iterations);
            return new SegmentationResult(
                    classMap,
                    request.outputWidth(),
                    request.outputHeight(),
                    finalCanvas,
                    List.copyOf(kept),
                    iterations,
                    seed != null,
                    backboneMs,
                    iterationMs,
                    totalMs,
                    gflops);
        }
    }

    /** The mask: argmax over classes of the canvas bilinearly upsampled to the output size. */
    static byte[] classMap(NDArray canvas, int width, int height) {
        NDArray up =
                canvas.getNDArrayInternal().interpolation(new long[] {height, width}, 1, false);
        return up.argMax(1).toType(DataType.UINT8, false).toByteArray();
    }

    private static Canvas toCanvas(NDArray canvas, int classes, int h, int w, String version) {
        return new Canvas(classes, h, w, canvas.toFloatArray(), version);
    }

    private static void checkSeed(Canvas seed, int classes, int h, int w, String version) {
        if (seed.classes() != classes || seed.height() != h || seed.width() != w) {
            throw new IncompatibleCanvasException(
                    "seed canvas is "
                            + seed.classes()
                            + "x"
                            + seed.height()
                            + "x"
                            + seed.width()
                            + " but this model and input size need "
                            + classes
                            + "x"
                            + h
                            + "x"
                            + w);
        }
        if (!version.equals(seed.modelVersion())) {
            throw new IncompatibleCanvasException(
                    "seed canvas was made by model version "
                            + seed.modelVersion()
                            + " but this is version "
                            + version);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
