package io.canvasflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Segments frames with one model. Not thread-safe: make one per calling thread (one per Kafka
 * Streams thread). Every frame's NDArrays live in a sub-manager closed at the end of the frame, so
 * a long-running segmenter holds no NDArrays between frames; what it keeps is one direct buffer for
 * the input pixels (576 KiB at 256x192), reused by every frame.
 */
public final class Segmenter implements AutoCloseable {

    private final SegmentationModel model;
    private final SegmentationNet net;
    private final NDManager manager;
    private final ParameterStore parameters;

    /**
     * The frame's normalised pixels, rewritten every frame. On the CPU the input tensor is made on
     * this memory, not a copy of it (PyTorch's {@code from_blob}); on a GPU it is copied there as
     * it is made. Either way nothing reads it once {@link #segment} returns: the tensor lives in
     * that frame's manager, and a segmenter serves one thread.
     */
    private ByteBuffer input = ByteBuffer.allocateDirect(0);

    Segmenter(SegmentationModel model) {
        this.model = model;
        this.net = model.net();
        this.manager = model.manager().newSubManager();
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * Segments one frame: the backbone runs once, then the requested iterations reuse its features,
     * starting from the seed canvas or from zeros. A feed-forward model runs one pass and ignores
     * the seed (it has no canvas to refine): its result says 1 iteration, not seeded. A request
     * without iterations runs the default that {@link SegmentRequest.Builder#optIterations} names:
     * the model's own from a zero canvas, {@link
     * RecurrentSegmentationNet#DEFAULT_SEEDED_ITERATIONS} from a seed.
     *
     * @throws IncompatibleCanvasException if the seed's shape or model version does not match
     * @throws IllegalArgumentException if the class map's logits at this model's class count are
     *     more than one buffer holds (a smaller {@code optOutputSize} fits)
     */
    public SegmentationResult segment(SegmentRequest request) {
        long start = System.nanoTime();
        ModelSpec spec = model.spec();
        int inW = request.inputWidth() > 0 ? request.inputWidth() : spec.input().width();
        int inH = request.inputHeight() > 0 ? request.inputHeight() : spec.input().height();
        int classes = net.numClasses();
        checkOutputSize(classes, request.outputWidth(), request.outputHeight());
        int stride = net.architecture().outputStride();
        int canvasH = (inH + stride - 1) / stride;
        int canvasW = (inW + stride - 1) / stride;
        Canvas seed = net.type().readsCanvas() ? request.seed() : null;
        if (seed != null) {
            checkSeed(seed, classes, canvasH, canvasW, spec.version());
        }
        int iterations =
                net.iterationsRun(
                        request.iterations() > 0
                                ? request.iterations()
                                : defaultIterations(spec, seed));

        BufferedImage resized = ImageTensors.resize(request.image(), inW, inH);
        ByteBuffer pixels = input(3 * inW * inH);
        ImageTensors.toChw(
                resized, spec.input().mean(), spec.input().std(), pixels.asFloatBuffer(), 0);
        try (NDManager frame = manager.newSubManager()) {
            NDArray images = frame.create(pixels, new Shape(1, 3, inH, inW), DataType.FLOAT32);
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
            List<SegmentationResult.ClassMap> kept = new ArrayList<>();
            long[] since = {System.nanoTime()};
            canvas =
                    net.iterate(
                            parameters,
                            features,
                            canvas,
                            iterations,
                            false,
                            (i, c) -> {
                                long now = System.nanoTime();
                                iterationMs[i - 1] = (now - since[0]) / 1e6;
                                if (request.keepIterations()) {
                                    kept.add(
                                            new SegmentationResult.ClassMap(
                                                    classMap(
                                                            c,
                                                            request.outputWidth(),
                                                            request.outputHeight()),
                                                    request.outputWidth(),
                                                    request.outputHeight()));
                                }
                                since[0] = System.nanoTime();
                            });
            Canvas finalCanvas = toCanvas(canvas, classes, canvasH, canvasW, spec.version());
            byte[] classMap = classMap(canvas, request.outputWidth(), request.outputHeight());
            double totalMs = (System.nanoTime() - start) / 1e6;
            double gflops =
                    CostModel.of(net.type(), net.architecture(), classes, inW, inH)
                            .frameGflops(iterations);
            return new SegmentationResult(
                    new SegmentationResult.ClassMap(
                            classMap, request.outputWidth(), request.outputHeight()),
                    finalCanvas,
                    List.copyOf(kept),
                    iterations,
                    seed != null,
                    new SegmentationResult.Cost(backboneMs, iterationMs, totalMs, gflops));
        }
    }

    /**
     * The mask: argmax over classes of the canvas bilinearly upsampled to the output size. The
     * upsampling runs in PyTorch, the argmax here, reading the upsampled logits in place (no copy
     * into the Java heap: at 256x192 they are 1.7 MB a frame): PyTorch's argmax over the class axis
     * of an NCHW tensor is a strided reduction that took 3-4 ms for 9 x 256 x 192 logits on a
     * 2-core CPU (slower with two intra-op threads than with one), this loop about 0.3 ms.
     */
    static byte[] classMap(NDArray canvas, int width, int height) {
        return classMaps(canvas, width, height);
    }

    /**
     * {@link #classMap} of a batch of canvases ({@code N x C x h x w}): the masks one after the
     * other, {@code width * height} bytes each. Training's evaluation scores masks made this way,
     * so they are the masks serve emits.
     *
     * @param canvas the canvases
     * @param width the masks' width
     * @param height the masks' height
     * @return {@code N * width * height} class indices
     */
    public static byte[] classMaps(NDArray canvas, int width, int height) {
        NDArray up =
                canvas.getNDArrayInternal().interpolation(new long[] {height, width}, 1, false);
        // A view of the tensor's memory, valid while the frame's manager keeps `up` open.
        FloatBuffer logits = up.toByteBuffer(true).asFloatBuffer();
        int images = (int) canvas.getShape().get(0);
        int classes = (int) canvas.getShape().get(1);
        int pixels = width * height;
        byte[] masks = new byte[images * pixels];
        for (int i = 0; i < images; i++) {
            FloatBuffer one = logits.slice((int) ((long) i * classes * pixels), classes * pixels);
            System.arraycopy(argmaxOverClasses(one, classes, pixels), 0, masks, i * pixels, pixels);
        }
        return masks;
    }

    /**
     * The index of the largest of each pixel's class logits, laid out class-major ({@code C x P}),
     * the first of equal maxima as PyTorch's argmax does.
     *
     * @param logits {@code classes * pixels} values from its position, all of class 0 first
     * @param classes number of classes, at most 256
     * @param pixels number of pixels
     * @return a class index per pixel
     */
    static byte[] argmaxOverClasses(FloatBuffer logits, int classes, int pixels) {
        if (classes < 1 || classes > 256 || logits.remaining() != (long) classes * pixels) {
            throw new IllegalArgumentException(
                    "expected "
                            + classes
                            + " x "
                            + pixels
                            + " logits but found "
                            + logits.remaining());
        }
        int base = logits.position();
        // Class by class over all pixels: sequential reads, where pixel by pixel would stride.
        float[] best = new float[pixels];
        logits.get(base, best);
        byte[] index = new byte[pixels];
        for (int c = 1; c < classes; c++) {
            int offset = base + c * pixels;
            byte label = (byte) c;
            for (int p = 0; p < pixels; p++) {
                float v = logits.get(offset + p);
                if (v > best[p]) {
                    best[p] = v;
                    index[p] = label;
                }
            }
        }
        return index;
    }

    /**
     * Serve's iterations at its default settings: the model's full count ({@code iterationsTrained}
     * in its model.json) from a zero canvas, the short seeded refinement from a seed.
     */
    private static int defaultIterations(ModelSpec spec, Canvas seed) {
        return seed == null
                ? spec.defaultFullIterations()
                : RecurrentSegmentationNet.DEFAULT_SEEDED_ITERATIONS;
    }

    /**
     * Refuses, before the network runs, a class map whose upsampled logits PyTorch could not hand
     * over: {@link #classMaps} reads them through one buffer, at most {@code Integer.MAX_VALUE}
     * bytes.
     */
    private static void checkOutputSize(int classes, int width, int height) {
        long bytes = (long) classes * width * height * Float.BYTES;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "a "
                            + width
                            + "x"
                            + height
                            + " class map of this "
                            + classes
                            + "-class model needs "
                            + bytes
                            + " bytes of logits, more than the "
                            + Integer.MAX_VALUE
                            + " one buffer holds; give a smaller optOutputSize");
        }
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

    /**
     * The input buffer, from 0 to exactly {@code floats} (DJL takes a longer one with a warning,
     * and cuts its limit), in native byte order as PyTorch reads the floats. Grown, never shrunk,
     * when a request asks for a larger input than any before.
     */
    private ByteBuffer input(int floats) {
        int bytes = floats * Float.BYTES;
        if (input.capacity() < bytes) {
            input = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        input.clear().limit(bytes);
        return input;
    }

    @Override
    public void close() {
        manager.close();
    }
}
