package io.canvasflow.clients;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws a segmentation over its frame: every pixel blended with its class colour (the class map
 * PNG's palette) at a chosen opacity, and a legend of class names and colours in the top-left
 * corner. The result has the frame's size; a class map of another size is scaled by nearest
 * neighbour. Without a frame the class colours are drawn on their own. Thread-safe.
 */
public final class OverlayRenderer {

    /** The opacity of the class colours unless another is chosen. */
    public static final double DEFAULT_ALPHA = 0.5;

    private static final Logger LOG = LoggerFactory.getLogger(OverlayRenderer.class);

    private final double alpha;
    private final boolean legend;

    /** A renderer at {@link #DEFAULT_ALPHA} with a legend. */
    public OverlayRenderer() {
        this(DEFAULT_ALPHA, true);
    }

    /**
     * Creates a renderer.
     *
     * @param alpha opacity of the class colours, 0 (frame only) to 1 (colours only)
     * @param legend whether to draw the legend
     */
    public OverlayRenderer(double alpha, boolean legend) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException(
                    "expected an opacity between 0 and 1 but found " + alpha);
        }
        this.alpha = alpha;
        this.legend = legend;
    }

    /**
     * Renders a mask event over its frame.
     *
     * @param frameOrNull the segmented frame, or null to draw the class colours alone
     * @param mask a mask event that is not skipped
     * @return the overlay
     * @throws IllegalArgumentException when the mask is skipped or its class map does not decode
     */
    public BufferedImage render(Frame frameOrNull, MaskEvent mask) {
        byte[] png = ImageCodecs.bytes(mask.getClassMap());
        if (mask.getSkipped() || png.length == 0) {
            throw new IllegalArgumentException(
                    "mask "
                            + mask.getCameraId()
                            + "/"
                            + mask.getSequence()
                            + " was skipped and has no class map");
        }
        BufferedImage image = frameOrNull == null ? null : ImageCodecs.frameImage(frameOrNull);
        return render(image, ImageCodecs.classMap(png), mask.getClassNames());
    }

    /**
     * Renders a class map over an image.
     *
     * @param imageOrNull the frame, or null to draw the class colours alone at the map's size
     * @param mask the class map; its palette gives the colours, indices without one stay clear
     * @param classNames the legend's names, indexed like the palette
     * @return a new {@code TYPE_INT_RGB} image of the frame's size
     */
    public BufferedImage render(BufferedImage imageOrNull, ClassMap mask, List<String> classNames) {
        Objects.requireNonNull(mask, "mask");
        int width = imageOrNull == null ? mask.width() : imageOrNull.getWidth();
        int height = imageOrNull == null ? mask.height() : imageOrNull.getHeight();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        if (imageOrNull != null) {
            Graphics2D g = out.createGraphics();
            try {
                g.drawImage(imageOrNull, 0, 0, null);
            } finally {
                g.dispose();
            }
        }
        double a = imageOrNull == null ? 1.0 : alpha;
        ClassMap scaled = ImageCodecs.resizeNearest(mask, width, height);
        int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        byte[] indices = scaled.indices();
        int[] palette = scaled.palette();
        for (int i = 0; i < pixels.length; i++) {
            int index = indices[i] & 0xFF;
            if (index < palette.length) {
                pixels[i] = blend(pixels[i], palette[index], a);
            }
        }
        if (legend && classNames != null && !classNames.isEmpty()) {
            drawLegend(out, classNames, palette);
        }
        return out;
    }

    /**
     * Blends one colour over another.
     *
     * @param below the lower colour, {@code 0xRRGGBB}
     * @param above the upper colour, {@code 0xRRGGBB}
     * @param alpha the upper colour's opacity
     * @return {@code round((1 - alpha) * below + alpha * above)} per channel
     */
    public static int blend(int below, int above, double alpha) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int b = (below >> shift) & 0xFF;
            int t = (above >> shift) & 0xFF;
            int c = (int) Math.round((1 - alpha) * b + alpha * t);
            out |= c << shift;
        }
        return out;
    }

    private static void drawLegend(BufferedImage out, List<String> names, int[] palette) {
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int fontSize = Math.max(9, Math.min(18, out.getHeight() / 24));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontSize));
            FontMetrics metrics = g.getFontMetrics();
            int line = metrics.getHeight();
            int swatch = metrics.getAscent();
            int pad = Math.max(2, fontSize / 3);
            int textWidth = 0;
            for (String name : names) {
                textWidth = Math.max(textWidth, metrics.stringWidth(name));
            }
            int boxWidth = pad * 3 + swatch + textWidth;
            int boxHeight = pad * 2 + line * names.size();
            g.setColor(new Color(0, 0, 0, 150));
            g.fillRect(0, 0, boxWidth, boxHeight);
            for (int i = 0; i < names.size(); i++) {
                int top = pad + i * line;
                g.setColor(new Color(i < palette.length ? palette[i] : 0x808080));
                g.fillRect(pad, top + (line - swatch) / 2, swatch, swatch);
                g.setColor(Color.WHITE);
                g.drawString(names.get(i), pad * 2 + swatch, top + metrics.getAscent());
            }
        } catch (RuntimeException | InternalError e) {
            // A JVM without usable fonts still gets its overlay, only without a legend.
            LOG.warn("could not draw the overlay legend: {}", e.toString());
        } finally {
            g.dispose();
        }
    }
}
