package io.canvasflow.clients;

import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.Split;
import io.canvasflow.synthetic.SyntheticDataset;
import io.canvasflow.synthetic.SyntheticVideoGenerator;
import io.canvasflow.synthetic.VideoSequence;
import java.util.Locale;
import java.util.Optional;

/**
 * A camera filming a synthetic street scene of the trainer's test split, with exact per-pixel
 * ground truth: every frame carries its labels as an indexed PNG coloured like {@link
 * ClassTable#SYNTHETIC}. The frames are a pure function of the scene number, so two sources of the
 * same scene publish the same video. Scenes come from {@link Split#TEST}, which the shipped models
 * were not trained on.
 *
 * <p>The clip is rendered on the first {@link #next()}, all at once (the generator renders whole
 * clips): about {@code frames * width * height * 5} bytes (the image and its labels) are held until
 * the source is closed. A clip larger than half the heap is refused when the source is created,
 * rather than running out of memory on the first frame.
 */
public final class SyntheticCameraSource implements FrameSource {

    /** The frame width unless another is given; the trainer's default frame size. */
    public static final int DEFAULT_WIDTH = 256;

    /** The frame height unless another is given. */
    public static final int DEFAULT_HEIGHT = 192;

    /** The number of frames unless another is given. */
    public static final int DEFAULT_FRAMES = 100;

    /** The rate the synthetic camera films at. */
    public static final double FPS = 10.0;

    /** What a rendered frame holds: 4 bytes a pixel of image, 1 of labels. */
    private static final int BYTES_PER_PIXEL = 5;

    private final int scene;
    private final int frames;
    private final int width;
    private final int height;
    private VideoSequence clip;
    private int index;
    private boolean closed;

    /**
     * Creates a camera on a test scene at the default size.
     *
     * @param scene the scene number in the test split, from 0
     * @param frames how many frames to film
     */
    public SyntheticCameraSource(int scene, int frames) {
        this(scene, frames, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /**
     * Creates a camera on a test scene.
     *
     * @param scene the scene number in the test split, from 0
     * @param frames how many frames to film
     * @param width the frame width
     * @param height the frame height
     */
    public SyntheticCameraSource(int scene, int frames, int width, int height) {
        this(scene, frames, width, height, Runtime.getRuntime().maxMemory());
    }

    /** As above, for a heap of {@code heapBytes}; half of it may hold the clip. */
    SyntheticCameraSource(int scene, int frames, int width, int height, long heapBytes) {
        if (scene < 0 || frames < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    String.format(
                            "expected a scene >= 0, at least one frame and a positive size but"
                                    + " found scene %d, %d frames of %dx%d",
                            scene, frames, width, height));
        }
        String tooLarge = heapProblem(frames, width, height, heapBytes);
        if (tooLarge != null) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "synthetic:%d:%d %s", scene, frames, tooLarge));
        }
        this.scene = scene;
        this.frames = frames;
        this.width = width;
        this.height = height;
    }

    /**
     * Whether a clip fits the heap: its rendered frames may take half of it. A tool that renders
     * clips checks its option with this before it starts anything.
     *
     * @param frames the clip's frames
     * @param width the frame width
     * @param height the frame height
     * @param heapBytes the heap, {@code Runtime.getRuntime().maxMemory()}
     * @return null when it fits, else what it would hold and what to do, to follow the clip's name:
     *     {@code would hold N rendered WxH frames, ...; give fewer frames or more heap}
     */
    public static String heapProblem(int frames, int width, int height, long heapBytes) {
        long frameBytes = (long) width * height * BYTES_PER_PIXEL;
        long room = heapBytes / 2;
        if (frames <= room / frameBytes) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "would hold %d rendered %dx%d frames, %.1f GiB, but this JVM's heap of %.1f GiB"
                        + " holds at most %d of them; give fewer frames or more heap"
                        + " (CANVASFLOW_HEAP)",
                frames,
                width,
                height,
                frames * (double) frameBytes / (1L << 30),
                heapBytes / (double) (1L << 30),
                room / frameBytes);
    }

    /**
     * Returns the generator seed of the scene.
     *
     * @return {@code SyntheticDataset.seedFor(Split.TEST, scene)}
     */
    public long seed() {
        return SyntheticDataset.seedFor(Split.TEST, scene);
    }

    /**
     * Returns the classes the ground truth is labelled with.
     *
     * @return {@link SyntheticVideoGenerator#CLASSES}
     */
    public static ClassTable classes() {
        return SyntheticVideoGenerator.CLASSES;
    }

    @Override
    public Optional<SourceFrame> next() {
        if (closed) {
            throw new IllegalStateException("the synthetic camera " + description() + " is closed");
        }
        if (index >= frames) {
            return Optional.empty();
        }
        if (clip == null) {
            clip = new SyntheticVideoGenerator().generate(seed(), frames, width, height);
        }
        LabeledFrame frame = clip.frame(index);
        byte[] truth = ImageCodecs.indexedLabelPng(frame.labels(), width, height, palette());
        // Copy: the generator's image is shared, and a publisher may scale or draw on ours.
        return Optional.of(
                new SourceFrame(ImageCodecs.copyBgr(frame.image()), index++, null, truth));
    }

    @Override
    public double nativeFps() {
        return FPS;
    }

    @Override
    public String description() {
        return "synthetic:" + scene + ":" + frames;
    }

    @Override
    public void close() {
        closed = true;
        clip = null;
    }

    /** The synthetic classes' colours, palette index = label. */
    static int[] palette() {
        ClassTable classes = classes();
        int[] colors = new int[classes.size()];
        for (int i = 0; i < colors.length; i++) {
            colors[i] = classes.color(i);
        }
        return colors;
    }
}
