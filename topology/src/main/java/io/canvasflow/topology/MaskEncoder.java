package io.canvasflow.topology;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationResult;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Builds {@link MaskEvent}s: the class map as an 8-bit indexed PNG whose palette is the model's
 * class colours (a viewer shows it in colour, a consumer reads class indices from the raster).
 */
public final class MaskEncoder {

    private final ModelSpec spec;
    private final IndexColorModel palette;

    /**
     * Creates an encoder for a model's classes.
     *
     * @param spec the model description (id, version, class names and colours)
     */
    public MaskEncoder(ModelSpec spec) {
        this.spec = spec;
        int[] colors = spec.classColors();
        byte[] r = new byte[colors.length];
        byte[] g = new byte[colors.length];
        byte[] b = new byte[colors.length];
        for (int c = 0; c < colors.length; c++) {
            r[c] = (byte) (colors[c] >> 16);
            g[c] = (byte) (colors[c] >> 8);
            b[c] = (byte) colors[c];
        }
        this.palette = new IndexColorModel(8, colors.length, r, g, b);
    }

    /**
     * Encodes a class map as an 8-bit indexed PNG.
     *
     * @param classMap class index per pixel, row-major
     * @param width map width
     * @param height map height
     * @return the PNG bytes
     */
    public byte[] png(byte[] classMap, int width, int height) {
        BufferedImage image =
                new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, palette);
        image.getRaster().setDataElements(0, 0, width, height, classMap);
        ByteArrayOutputStream out = new ByteArrayOutputStream(width * height / 4 + 256);
        // Through a memory-cached stream: ImageIO.write(image, "png", out) buffers in a temp file,
        // one created and deleted for every mask.
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageIO.write(image, "png", stream);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a mask PNG", e);
        }
        return out.toByteArray();
    }

    /**
     * The event of a segmented frame.
     *
     * @param frame the frame
     * @param result the segmentation, its class map at frame size
     * @param iterations iterations run on the frame
     * @param resetReason why it was not seeded, or null when seeded
     * @param modelMillis time spent in the model
     * @param budgetReduced whether fewer iterations ran to catch up
     * @param nowMs the processing time
     * @return the event
     */
    public MaskEvent segmented(
            Frame frame,
            SegmentationResult result,
            int iterations,
            ResetReason resetReason,
            double modelMillis,
            boolean budgetReduced,
            long nowMs) {
        return base(frame, nowMs)
                .setClassMap(
                        ByteBuffer.wrap(png(result.classMap(), result.width(), result.height())))
                .setClassFractions(fractions(result.classFractions(spec.numClasses())))
                .setIterations(iterations)
                .setSeeded(resetReason == null)
                .setResetReason(resetReason)
                .setModelMillis(modelMillis)
                .setBudgetReduced(budgetReduced)
                .build();
    }

    /**
     * The event of a frame skipped in latest-only mode: an empty class map, no iterations.
     *
     * @param frame the skipped frame
     * @param nowMs the processing time
     * @return the event
     */
    public MaskEvent skipped(Frame frame, long nowMs) {
        return base(frame, nowMs)
                .setClassMap(ByteBuffer.allocate(0))
                .setClassFractions(List.of())
                .setIterations(0)
                .setSeeded(false)
                .setResetReason(null)
                .setSkipped(true)
                .setModelMillis(0)
                .setBudgetReduced(false)
                .build();
    }

    private MaskEvent.Builder base(Frame frame, long nowMs) {
        Instant capture = frame.getCaptureTimestamp();
        return MaskEvent.newBuilder()
                .setCameraId(frame.getCameraId())
                .setSequence(frame.getSequence())
                .setCaptureTimestamp(capture)
                .setProcessedTimestamp(Instant.ofEpochMilli(nowMs))
                .setMaskWidth(frame.getWidth())
                .setMaskHeight(frame.getHeight())
                .setClassNames(spec.classNames())
                .setModelId(spec.modelId())
                .setModelVersion(spec.version())
                .setEndToEndLatencyMillis(nowMs - capture.toEpochMilli());
    }

    private static List<Float> fractions(float[] fractions) {
        List<Float> out = new ArrayList<>(fractions.length);
        for (float f : fractions) {
            out.add(f);
        }
        return out;
    }
}
