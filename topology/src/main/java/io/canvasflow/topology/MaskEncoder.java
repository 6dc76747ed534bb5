package io.canvasflow.topology;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationResult;
import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builds {@link MaskEvent}s: the class map as an 8-bit indexed PNG whose palette is the model's
 * class colours (a viewer shows it in colour, a consumer reads class indices from the raster). Not
 * thread-safe (it keeps its deflater between masks): one per processor.
 */
public final class MaskEncoder {

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };

    private final ModelSpec spec;
    private final byte[] plte;
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final CRC32 crc = new CRC32();

    /**
     * Creates an encoder for a model's classes.
     *
     * @param spec the model description (id, version, class names and colours)
     */
    public MaskEncoder(ModelSpec spec) {
        this.spec = spec;
        int[] colors = spec.classColors();
        this.plte = new byte[3 * colors.length];
        for (int c = 0; c < colors.length; c++) {
            plte[3 * c] = (byte) (colors[c] >> 16);
            plte[3 * c + 1] = (byte) (colors[c] >> 8);
            plte[3 * c + 2] = (byte) colors[c];
        }
    }

    /**
     * Encodes a class map as an 8-bit indexed PNG.
     *
     * <p>Written directly rather than through ImageIO, because this runs on the stream thread for
     * every frame: ImageIO looks its writer up, builds metadata trees and deflates at level 4,
     * about 0.6 ms for a 256x192 mask, where a class map's long runs deflate as well at the fastest
     * level after the PNG "Sub" filter (a run becomes zeros). Any PNG decoder reads it.
     *
     * @param classMap class index per pixel, row-major
     * @param width map width
     * @param height map height
     * @return the PNG bytes
     */
    public byte[] png(byte[] classMap, int width, int height) {
        if (width < 1 || height < 1 || classMap.length != width * height) {
            throw new IllegalArgumentException(
                    String.format(
                            "expected %dx%d = %d class indices but found %d",
                            width, height, (long) width * height, classMap.length));
        }
        // Each row: the filter type byte, then every index minus its left neighbour (mod 256).
        byte[] filtered = new byte[(width + 1) * height];
        for (int y = 0, in = 0, out = 0; y < height; y++) {
            filtered[out++] = 1;
            byte left = 0;
            for (int x = 0; x < width; x++, in++, out++) {
                byte v = classMap[in];
                filtered[out] = (byte) (v - left);
                left = v;
            }
        }
        deflater.reset();
        deflater.setInput(filtered);
        deflater.finish();
        ByteArrayOutputStream idat = new ByteArrayOutputStream(filtered.length / 16 + 64);
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream(idat.size() + 128);
        png.writeBytes(PNG_SIGNATURE);
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        // width, height, bit depth 8, colour type 3 (palette), deflate, adaptive filters, no
        // interlace
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 3).put((byte) 0);
        ihdr.put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "PLTE", plte);
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        crc.reset();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * The event of a segmented frame.
     *
     * @param frame the frame
     * @param result the segmentation, its class map at frame size; seeded when it ran from a seed
     * @param iterations iterations run on the frame
     * @param resetReason why it was not seeded; null when seeded, and for a model that reads no
     *     canvas (nothing to seed, nothing reset)
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
                .setMaskWidth(result.map().width())
                .setMaskHeight(result.map().height())
                .setClassMap(
                        ByteBuffer.wrap(
                                png(
                                        result.map().indices(),
                                        result.map().width(),
                                        result.map().height())))
                .setClassFractions(fractions(result.classFractions(spec.numClasses())))
                .setIterations(iterations)
                .setSeeded(result.seeded())
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
                .setEndToEndLatencyMillis(
                        FrameOrder.saturatedDifference(nowMs, capture.toEpochMilli()));
    }

    private static List<Float> fractions(float[] fractions) {
        List<Float> out = new ArrayList<>(fractions.length);
        for (float f : fractions) {
            out.add(f);
        }
        return out;
    }
}
