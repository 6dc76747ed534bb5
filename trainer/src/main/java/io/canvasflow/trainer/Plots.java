package io.canvasflow.trainer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Plain Java2D charts for the evaluation and benchmark reports: line/scatter charts, grouped bar
 * charts and image grids, drawn antialiased on white with axes, ticks, grid lines and a legend, and
 * written as PNG. No plotting library and no display are needed (headless is fine).
 */
public final class Plots {

    /** Distinguishable series colours (the matplotlib "tab10" palette). */
    public static final List<Color> PALETTE =
            List.of(
                    new Color(0x1f77b4),
                    new Color(0xd62728),
                    new Color(0x2ca02c),
                    new Color(0xff7f0e),
                    new Color(0x9467bd),
                    new Color(0x8c564b),
                    new Color(0xe377c2),
                    new Color(0x7f7f7f),
                    new Color(0xbcbd22),
                    new Color(0x17becf));

    /** Colour of pixels whose label is not a class (PASCAL VOC's "void" colour). */
    public static final int IGNORE_COLOR = 0xE0E0C0;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font HEADER = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Color AXIS = new Color(0x333333);
    private static final Color GRID = new Color(0xE5E5E5);
    private static final int MARKER_SIZE = 9;

    private Plots() {}

    /** How the points of a series are joined. */
    public enum Line {
        SOLID,
        DASHED,
        NONE
    }

    /** The mark drawn at each point of a series. */
    public enum Marker {
        NONE,
        CIRCLE,
        SQUARE,
        DIAMOND,
        TRIANGLE,
        CROSS
    }

    /**
     * One series of a line or scatter chart. NaN values are skipped and break the line.
     *
     * @param name legend text
     * @param x x values
     * @param y y values, as many as x
     * @param color line and marker colour
     * @param line how points are joined
     * @param marker the mark at each point
     * @param labels text drawn beside each point, as many as x, or empty for none
     */
    public record Series(
            String name,
            double[] x,
            double[] y,
            Color color,
            Line line,
            Marker marker,
            List<String> labels) {

        /** Copies the arrays and checks the lengths agree. */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException(
                        "series '"
                                + name
                                + "' has "
                                + x.length
                                + " x values but "
                                + y.length
                                + " y values");
            }
            labels = labels == null ? List.of() : List.copyOf(labels);
            if (!labels.isEmpty() && labels.size() != x.length) {
                throw new IllegalArgumentException(
                        "series '"
                                + name
                                + "' has "
                                + x.length
                                + " points but "
                                + labels.size()
                                + " labels");
            }
            x = x.clone();
            y = y.clone();
        }

        /** A solid line with a circle at each point. */
        public static Series line(String name, double[] x, double[] y, Color color) {
            return new Series(name, x, y, color, Line.SOLID, Marker.CIRCLE, List.of());
        }

        /** Unjoined points (a scatter). */
        public static Series points(
                String name, double[] x, double[] y, Color color, Marker marker) {
            return new Series(name, x, y, color, Line.NONE, marker, List.of());
        }

        /** A dashed horizontal reference line at {@code y} from {@code xFrom} to {@code xTo}. */
        public static Series horizontal(
                String name, double y, double xFrom, double xTo, Color color) {
            return new Series(
                    name,
                    new double[] {xFrom, xTo},
                    new double[] {y, y},
                    color,
                    Line.DASHED,
                    Marker.NONE,
                    List.of());
        }

        /** This series with a text beside each point. */
        public Series withLabels(List<String> pointLabels) {
            return new Series(name, x, y, color, line, marker, pointLabels);
        }

        /** This series with another line style. */
        public Series withLine(Line newLine) {
            return new Series(name, x, y, color, newLine, marker, labels);
        }

        /** This series with another marker. */
        public Series withMarker(Marker newMarker) {
            return new Series(name, x, y, color, line, newMarker, labels);
        }
    }

    /**
     * One series of a grouped bar chart: a value per category.
     *
     * @param name legend text
     * @param values one value per category (NaN: no bar)
     * @param color bar colour
     */
    public record Bars(String name, double[] values, Color color) {

        /** Copies the values. */
        public Bars {
            values = values.clone();
        }
    }

    /**
     * A legend entry of an image grid.
     *
     * @param name the text
     * @param rgb the swatch colour as 0xRRGGBB
     */
    public record LegendEntry(String name, int rgb) {}

    /**
     * Size and axis overrides of a chart. A NaN bound is chosen from the data.
     *
     * @param width image width in pixels
     * @param height image height in pixels
     * @param xMin lower x bound, or NaN
     * @param xMax upper x bound, or NaN
     * @param yMin lower y bound, or NaN
     * @param yMax upper y bound, or NaN
     * @param xTicks x tick positions, or null for round numbers chosen from the range
     */
    public record Options(
            int width,
            int height,
            double xMin,
            double xMax,
            double yMin,
            double yMax,
            double[] xTicks) {

        /** Checks the size. */
        public Options {
            if (width < 200 || height < 150) {
                throw new IllegalArgumentException(
                        "a chart needs at least 200x150 pixels, got " + width + "x" + height);
            }
            xTicks = xTicks == null ? null : xTicks.clone();
        }

        /** 900x600, axes fitted to the data. */
        public static Options defaults() {
            return new Options(900, 600, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null);
        }

        /** These options at another size. */
        public Options withSize(int newWidth, int newHeight) {
            return new Options(newWidth, newHeight, xMin, xMax, yMin, yMax, xTicks);
        }

        /** These options with fixed x bounds (NaN: from the data). */
        public Options withXRange(double min, double max) {
            return new Options(width, height, min, max, yMin, yMax, xTicks);
        }

        /** These options with fixed y bounds (NaN: from the data). */
        public Options withYRange(double min, double max) {
            return new Options(width, height, xMin, xMax, min, max, xTicks);
        }

        /** These options with ticks at exactly these x values (for example iterations 1..8). */
        public Options withXTicks(double... ticks) {
            return new Options(width, height, xMin, xMax, yMin, yMax, ticks);
        }
    }

    /** A line/scatter chart of 900x600 pixels with axes fitted to the data. */
    public static BufferedImage lineChart(
            String title, String xLabel, String yLabel, List<Series> series) {
        return lineChart(title, xLabel, yLabel, series, Options.defaults());
    }

    /** A line/scatter chart. */
    public static BufferedImage lineChart(
            String title, String xLabel, String yLabel, List<Series> series, Options options) {
        double[] xr = range(series, true, options.xMin(), options.xMax(), options.xTicks());
        double[] yr = range(series, false, options.yMin(), options.yMax(), null);
        double[] xTicks = options.xTicks() != null ? options.xTicks() : ticks(xr[0], xr[1], 8);
        double[] yTicks = ticks(yr[0], yr[1], 7);
        Canvas2D c =
                new Canvas2D(options.width(), options.height(), title, xLabel, yLabel, yTicks, 0);
        Axis x = new Axis(xr[0], xr[1], c.plot.x, c.plot.x + c.plot.width);
        Axis y = new Axis(yr[0], yr[1], c.plot.y + c.plot.height, c.plot.y);
        c.gridAndAxes(x, xTicks, y, yTicks, true);

        Graphics2D g = c.g;
        Shape clip = g.getClip();
        g.setClip(new Rectangle(c.plot.x - 8, c.plot.y - 8, c.plot.width + 16, c.plot.height + 16));
        List<Rectangle2D> occupied = new ArrayList<>();
        for (Series s : series) {
            drawLine(g, s, x, y);
        }
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (finite(s.x()[i], s.y()[i])) {
                    double px = x.map(s.x()[i]);
                    double py = y.map(s.y()[i]);
                    drawMarker(g, s.marker(), s.color(), px, py, MARKER_SIZE);
                    occupied.add(new Rectangle2D.Double(px - 5, py - 5, 10, 10));
                }
            }
        }
        g.setFont(SMALL);
        for (Series s : series) {
            if (!s.labels().isEmpty()) {
                occupied.addAll(drawPointLabels(g, s, x, y, c.plot));
            }
        }
        g.setClip(clip);
        for (Series s : series) {
            addLineSamples(occupied, s, x, y);
        }
        c.legend(series.stream().map(Plots::legendItem).toList(), occupied);
        return c.finish();
    }

    /** A grouped bar chart of 900x600 pixels: one group per category, one bar per series. */
    public static BufferedImage barChart(
            String title, String xLabel, String yLabel, List<String> categories, List<Bars> bars) {
        return barChart(title, xLabel, yLabel, categories, bars, Options.defaults());
    }

    /** A grouped bar chart; the x bounds and ticks of the options are not used. */
    public static BufferedImage barChart(
            String title,
            String xLabel,
            String yLabel,
            List<String> categories,
            List<Bars> bars,
            Options options) {
        for (Bars b : bars) {
            if (b.values().length != categories.size()) {
                throw new IllegalArgumentException(
                        "bars '"
                                + b.name()
                                + "' have "
                                + b.values().length
                                + " values for "
                                + categories.size()
                                + " categories");
            }
        }
        double lo = 0;
        double hi = 0;
        for (Bars b : bars) {
            for (double v : b.values()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        // Headroom for the value printed above each bar.
        double[] yr = niceRange(lo < 0 ? lo - 0.08 * (hi - lo) : 0, hi + 0.08 * (hi - lo), 7);
        if (!Double.isNaN(options.yMin())) {
            yr[0] = options.yMin();
        }
        if (!Double.isNaN(options.yMax())) {
            yr[1] = options.yMax();
        }
        double[] yTicks = ticks(yr[0], yr[1], 7);
        // Category names too wide for their slot wrap onto more lines; the slot is estimated
        // narrow here so that the space reserved is enough for the real one.
        FontMetrics tickFm = metrics(TICK);
        double narrowSlot = (options.width() - 160.0) / Math.max(1, categories.size());
        int lines = 1;
        for (String category : categories) {
            lines = Math.max(lines, wrap(category, tickFm, narrowSlot - 6).size());
        }
        Canvas2D c =
                new Canvas2D(
                        options.width(),
                        options.height(),
                        title,
                        xLabel,
                        yLabel,
                        yTicks,
                        (lines - 1) * tickFm.getHeight());
        Axis x = new Axis(0, Math.max(1, categories.size()), c.plot.x, c.plot.x + c.plot.width);
        Axis y = new Axis(yr[0], yr[1], c.plot.y + c.plot.height, c.plot.y);
        c.gridAndAxes(x, new double[0], y, yTicks, false);

        Graphics2D g = c.g;
        double slot = (double) c.plot.width / Math.max(1, categories.size());
        double barWidth = slot * 0.8 / Math.max(1, bars.size());
        List<Rectangle2D> occupied = new ArrayList<>();
        g.setFont(SMALL);
        FontMetrics fm = g.getFontMetrics();
        for (int k = 0; k < categories.size(); k++) {
            double left = c.plot.x + k * slot + slot * 0.1;
            for (int s = 0; s < bars.size(); s++) {
                double v = bars.get(s).values()[k];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double y0 = y.map(Math.max(yr[0], Math.min(yr[1], 0)));
                double y1 = y.map(Math.max(yr[0], Math.min(yr[1], v)));
                Rectangle2D bar =
                        new Rectangle2D.Double(
                                left + s * barWidth + 1,
                                Math.min(y0, y1),
                                barWidth - 2,
                                Math.abs(y1 - y0));
                g.setColor(bars.get(s).color());
                g.fill(bar);
                occupied.add(bar);
                String text = valueText(v);
                int tw = fm.stringWidth(text);
                if (tw <= barWidth + 6) {
                    g.setColor(AXIS);
                    float ty = (float) (v >= 0 ? y1 - 4 : y1 + fm.getAscent() + 2);
                    g.drawString(text, (float) (bar.getCenterX() - tw / 2.0), ty);
                    occupied.add(
                            new Rectangle2D.Double(
                                    bar.getCenterX() - tw / 2.0,
                                    ty - fm.getAscent(),
                                    tw,
                                    fm.getHeight()));
                }
            }
        }
        g.setFont(TICK);
        fm = g.getFontMetrics();
        g.setColor(AXIS);
        for (int k = 0; k < categories.size(); k++) {
            double cx = c.plot.x + (k + 0.5) * slot;
            float top = c.plot.y + c.plot.height + 8 + fm.getAscent();
            List<String> wrapped = wrap(categories.get(k), fm, slot - 6);
            for (int i = 0; i < Math.min(lines, wrapped.size()); i++) {
                String text = wrapped.get(i);
                g.drawString(
                        text, (float) (cx - fm.stringWidth(text) / 2.0), top + i * fm.getHeight());
            }
        }
        List<LegendItem> items = new ArrayList<>();
        for (Bars b : bars) {
            items.add(new LegendItem(b.name(), b.color(), Line.NONE, Marker.SQUARE));
        }
        if (bars.size() > 1) {
            c.legend(items, occupied);
        }
        return c.finish();
    }

    /**
     * A grid of images with column headers, row headers and a colour legend underneath, for example
     * one row per frame: image | ground truth | mask after each iteration. Cells are scaled to
     * {@code cellWidth}, keeping each row's aspect ratio (nearest neighbour when enlarging, so
     * masks stay crisp).
     *
     * @param rowHeaders one per row; a {@code \n} starts a new line
     * @param cells rows of images, each row as long as the column headers
     */
    public static BufferedImage imageGrid(
            String title,
            List<String> columnHeaders,
            List<String> rowHeaders,
            List<List<BufferedImage>> cells,
            List<LegendEntry> legend,
            int cellWidth) {
        if (rowHeaders.size() != cells.size()) {
            throw new IllegalArgumentException(
                    rowHeaders.size() + " row headers for " + cells.size() + " rows");
        }
        for (List<BufferedImage> row : cells) {
            if (row.size() != columnHeaders.size()) {
                throw new IllegalArgumentException(
                        "a row has "
                                + row.size()
                                + " images for "
                                + columnHeaders.size()
                                + " columns");
            }
        }
        int gap = 6;
        int margin = 16;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics rowFm = pg.getFontMetrics(HEADER);
        FontMetrics header = pg.getFontMetrics(HEADER);
        FontMetrics title2 = pg.getFontMetrics(TITLE);
        FontMetrics legendFm = pg.getFontMetrics(TICK);
        pg.dispose();
        int gutter = 0;
        for (String h : rowHeaders) {
            for (String line : h.split("\n")) {
                gutter = Math.max(gutter, rowFm.stringWidth(line) + 16);
            }
        }
        int[] rowHeights = new int[cells.size()];
        for (int r = 0; r < cells.size(); r++) {
            BufferedImage first = cells.get(r).isEmpty() ? null : cells.get(r).get(0);
            rowHeights[r] =
                    first == null
                            ? cellWidth
                            : (int)
                                    Math.round(
                                            (double) cellWidth
                                                    * first.getHeight()
                                                    / first.getWidth());
        }
        int gridWidth = columnHeaders.size() * (cellWidth + gap) - gap;
        int width = margin * 2 + gutter + Math.max(gridWidth, 200);
        int titleHeight = title == null || title.isEmpty() ? 0 : title2.getHeight() + 10;
        int headerHeight = header.getHeight() + 6;
        int legendRowHeight = legendFm.getHeight() + 6;
        // Lay the legend out first to know its height.
        List<int[]> legendPos = new ArrayList<>();
        int lx = 0;
        int ly = 0;
        int legendWidth = width - 2 * margin;
        for (LegendEntry e : legend) {
            int w = 18 + 6 + legendFm.stringWidth(e.name()) + 18;
            if (lx > 0 && lx + w > legendWidth) {
                lx = 0;
                ly += legendRowHeight;
            }
            legendPos.add(new int[] {lx, ly});
            lx += w;
        }
        int legendHeight = legend.isEmpty() ? 0 : ly + legendRowHeight + 10;
        int height =
                margin
                        + titleHeight
                        + headerHeight
                        + Arrays.stream(rowHeights).sum()
                        + gap * Math.max(0, cells.size() - 1)
                        + 12
                        + legendHeight
                        + margin;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        hints(g);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int top = margin;
        if (titleHeight > 0) {
            g.setFont(TITLE);
            g.setColor(AXIS);
            g.drawString(title, (width - title2.stringWidth(title)) / 2, top + title2.getAscent());
            top += titleHeight;
        }
        int left = margin + gutter;
        g.setFont(HEADER);
        for (int col = 0; col < columnHeaders.size(); col++) {
            String h = columnHeaders.get(col);
            int cx = left + col * (cellWidth + gap) + cellWidth / 2;
            g.drawString(h, cx - header.stringWidth(h) / 2, top + header.getAscent());
        }
        top += headerHeight;
        for (int r = 0; r < cells.size(); r++) {
            String[] lines = rowHeaders.get(r).split("\n");
            int textTop = top + (rowHeights[r] - lines.length * rowFm.getHeight()) / 2;
            g.setColor(AXIS);
            g.setFont(HEADER);
            for (int i = 0; i < lines.length; i++) {
                g.drawString(lines[i], margin, textTop + i * rowFm.getHeight() + rowFm.getAscent());
            }
            for (int col = 0; col < columnHeaders.size(); col++) {
                BufferedImage cell = cells.get(r).get(col);
                int x = left + col * (cellWidth + gap);
                boolean enlarge = cell.getWidth() <= cellWidth;
                g.setRenderingHint(
                        RenderingHints.KEY_INTERPOLATION,
                        enlarge
                                ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                                : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(cell, x, top, cellWidth, rowHeights[r], null);
                g.setColor(GRID);
                g.drawRect(x, top, cellWidth - 1, rowHeights[r] - 1);
            }
            top += rowHeights[r] + gap;
        }
        top += 12 - gap;
        g.setFont(TICK);
        for (int i = 0; i < legend.size(); i++) {
            LegendEntry e = legend.get(i);
            int x = margin + legendPos.get(i)[0];
            int y = top + legendPos.get(i)[1];
            g.setColor(new Color(e.rgb()));
            g.fillRect(x, y + 2, 18, legendFm.getHeight() - 4);
            g.setColor(AXIS);
            g.drawRect(x, y + 2, 18, legendFm.getHeight() - 4);
            g.drawString(e.name(), x + 24, y + legendFm.getAscent());
        }
        g.dispose();
        return image;
    }

    /**
     * Colours a class map: class {@code c} gets {@code colors[c]} (0xRRGGBB), anything else (the
     * ignore label) {@link #IGNORE_COLOR}.
     *
     * @param classMap row-major {@code height x width} class indices
     */
    public static BufferedImage classMapImage(
            byte[] classMap, int width, int height, int[] colors) {
        if (classMap.length != width * height) {
            throw new IllegalArgumentException(
                    "a "
                            + width
                            + "x"
                            + height
                            + " class map needs "
                            + width * height
                            + " values, got "
                            + classMap.length);
        }
        int[] rgb = new int[classMap.length];
        for (int i = 0; i < rgb.length; i++) {
            int c = classMap[i] & 0xff;
            rgb[i] = c < colors.length ? colors[c] : IGNORE_COLOR;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return image;
    }

    /** Writes a PNG, creating the folder if needed. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer for an image of type " + image.getType());
        }
    }

    // ---------------------------------------------------------------------------------------
    // Drawing helpers

    /** A linear map from data values to pixels. */
    private record Axis(double min, double max, double from, double to) {
        double map(double v) {
            return from + (v - min) / (max - min) * (to - from);
        }
    }

    private record LegendItem(String name, Color color, Line line, Marker marker) {}

    private static LegendItem legendItem(Series s) {
        return new LegendItem(s.name(), s.color(), s.line(), s.marker());
    }

    /** The image, its plot area, title and axis labels; fixed parts of every chart. */
    private static final class Canvas2D {
        final BufferedImage image;
        final Graphics2D g;
        final Rectangle plot;

        Canvas2D(
                int width,
                int height,
                String title,
                String xLabel,
                String yLabel,
                double[] yTicks,
                int extraBottom) {
            image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            g = image.createGraphics();
            hints(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            FontMetrics tick = g.getFontMetrics(TICK);
            FontMetrics label = g.getFontMetrics(LABEL);
            FontMetrics titleFm = g.getFontMetrics(TITLE);
            int yTickWidth = 0;
            int decimals = decimals(yTicks);
            for (double t : yTicks) {
                yTickWidth = Math.max(yTickWidth, tick.stringWidth(format(t, decimals)));
            }
            int left =
                    16
                            + (yLabel == null || yLabel.isEmpty() ? 0 : label.getHeight() + 8)
                            + yTickWidth
                            + 10;
            int top = 16 + (title == null || title.isEmpty() ? 0 : titleFm.getHeight() + 10);
            int bottom =
                    16
                            + tick.getHeight()
                            + extraBottom
                            + 10
                            + (xLabel == null || xLabel.isEmpty() ? 0 : label.getHeight() + 6);
            int right = 30;
            plot = new Rectangle(left, top, width - left - right, height - top - bottom);

            g.setColor(AXIS);
            if (title != null && !title.isEmpty()) {
                g.setFont(TITLE);
                g.drawString(
                        title,
                        plot.x + (plot.width - titleFm.stringWidth(title)) / 2,
                        16 + titleFm.getAscent());
            }
            g.setFont(LABEL);
            if (xLabel != null && !xLabel.isEmpty()) {
                g.drawString(
                        xLabel,
                        plot.x + (plot.width - label.stringWidth(xLabel)) / 2,
                        height - 16 - label.getDescent());
            }
            if (yLabel != null && !yLabel.isEmpty()) {
                AffineTransform saved = g.getTransform();
                g.translate(16 + label.getAscent(), plot.y + plot.height / 2.0);
                g.rotate(-Math.PI / 2);
                g.drawString(yLabel, -label.stringWidth(yLabel) / 2f, 0);
                g.setTransform(saved);
            }
        }

        void gridAndAxes(Axis x, double[] xTicks, Axis y, double[] yTicks, boolean xGrid) {
            g.setStroke(new BasicStroke(1f));
            g.setFont(TICK);
            FontMetrics fm = g.getFontMetrics();
            int yDecimals = decimals(yTicks);
            for (double t : yTicks) {
                double py = y.map(t);
                g.setColor(GRID);
                g.draw(new Line2D.Double(plot.x, py, plot.x + plot.width, py));
                g.setColor(AXIS);
                g.draw(new Line2D.Double(plot.x - 5, py, plot.x, py));
                String text = format(t, yDecimals);
                g.drawString(
                        text,
                        plot.x - 8 - fm.stringWidth(text),
                        (float) (py + fm.getAscent() / 2.0 - 2));
            }
            int xDecimals = decimals(xTicks);
            for (double t : xTicks) {
                double px = x.map(t);
                if (xGrid) {
                    g.setColor(GRID);
                    g.draw(new Line2D.Double(px, plot.y, px, plot.y + plot.height));
                }
                g.setColor(AXIS);
                g.draw(new Line2D.Double(px, plot.y + plot.height, px, plot.y + plot.height + 5));
                String text = format(t, xDecimals);
                g.drawString(
                        text,
                        (float) (px - fm.stringWidth(text) / 2.0),
                        plot.y + plot.height + 8 + fm.getAscent());
            }
            g.setColor(AXIS);
            g.draw(new Rectangle2D.Double(plot.x, plot.y, plot.width, plot.height));
        }

        /** Draws the legend in the corner of the plot area that covers the least drawn content. */
        void legend(List<LegendItem> items, List<Rectangle2D> occupied) {
            List<LegendItem> named =
                    items.stream().filter(i -> i.name() != null && !i.name().isEmpty()).toList();
            if (named.isEmpty()) {
                return;
            }
            g.setFont(TICK);
            FontMetrics fm = g.getFontMetrics();
            int row = fm.getHeight() + 4;
            int textWidth = named.stream().mapToInt(i -> fm.stringWidth(i.name())).max().orElse(0);
            int w = 10 + 30 + 8 + textWidth + 10;
            int h = 8 + named.size() * row + 4;
            int inset = 10;
            int[][] corners = {
                {plot.x + plot.width - inset - w, plot.y + inset},
                {plot.x + plot.width - inset - w, plot.y + plot.height - inset - h},
                {plot.x + inset, plot.y + inset},
                {plot.x + inset, plot.y + plot.height - inset - h}
            };
            int best = 0;
            int bestCount = Integer.MAX_VALUE;
            for (int k = 0; k < corners.length; k++) {
                Rectangle2D box = new Rectangle2D.Double(corners[k][0], corners[k][1], w, h);
                int count = 0;
                for (Rectangle2D r : occupied) {
                    if (box.intersects(r)) {
                        count++;
                    }
                }
                if (count < bestCount) {
                    bestCount = count;
                    best = k;
                }
            }
            int bx = corners[best][0];
            int by = corners[best][1];
            g.setColor(new Color(255, 255, 255, 230));
            g.fillRect(bx, by, w, h);
            g.setColor(new Color(0xBBBBBB));
            g.drawRect(bx, by, w, h);
            for (int i = 0; i < named.size(); i++) {
                LegendItem item = named.get(i);
                double cy = by + 8 + i * row + row / 2.0 - 2;
                if (item.line() != Line.NONE) {
                    g.setColor(item.color());
                    g.setStroke(stroke(item.line()));
                    g.draw(new Line2D.Double(bx + 10, cy, bx + 40, cy));
                    g.setStroke(new BasicStroke(1f));
                }
                drawMarker(g, item.marker(), item.color(), bx + 25, cy, MARKER_SIZE);
                g.setColor(AXIS);
                g.drawString(item.name(), bx + 48, (float) (cy + fm.getAscent() / 2.0 - 2));
            }
        }

        BufferedImage finish() {
            g.dispose();
            return image;
        }
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        hints(g);
        FontMetrics fm = g.getFontMetrics(font);
        g.dispose();
        return fm;
    }

    /** Greedy word wrap to {@code width} pixels; a single word wider than that stays whole. */
    static List<String> wrap(String text, FontMetrics fm, double width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && fm.stringWidth(line + " " + word) > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(
                RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }

    private static Stroke stroke(Line line) {
        return line == Line.DASHED
                ? new BasicStroke(
                        2f,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_ROUND,
                        10f,
                        new float[] {8f, 6f},
                        0f)
                : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static void drawLine(Graphics2D g, Series s, Axis x, Axis y) {
        if (s.line() == Line.NONE) {
            return;
        }
        Path2D path = new Path2D.Double();
        boolean pen = false;
        for (int i = 0; i < s.x().length; i++) {
            if (!finite(s.x()[i], s.y()[i])) {
                pen = false;
                continue;
            }
            double px = x.map(s.x()[i]);
            double py = y.map(s.y()[i]);
            if (pen) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                pen = true;
            }
        }
        g.setColor(s.color());
        g.setStroke(stroke(s.line()));
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
    }

    /** Samples points along each line so that the legend avoids covering it. */
    private static void addLineSamples(List<Rectangle2D> occupied, Series s, Axis x, Axis y) {
        if (s.line() == Line.NONE) {
            return;
        }
        for (int i = 1; i < s.x().length; i++) {
            if (!finite(s.x()[i - 1], s.y()[i - 1]) || !finite(s.x()[i], s.y()[i])) {
                continue;
            }
            double x0 = x.map(s.x()[i - 1]);
            double y0 = y.map(s.y()[i - 1]);
            double x1 = x.map(s.x()[i]);
            double y1 = y.map(s.y()[i]);
            int steps = (int) Math.max(1, Math.hypot(x1 - x0, y1 - y0) / 6);
            for (int k = 0; k <= steps; k++) {
                double t = (double) k / steps;
                occupied.add(
                        new Rectangle2D.Double(
                                x0 + t * (x1 - x0) - 1, y0 + t * (y1 - y0) - 1, 2, 2));
            }
        }
    }

    /** Labels each point above-left (clear of a rising, flattening curve), else below-right. */
    private static List<Rectangle2D> drawPointLabels(
            Graphics2D g, Series s, Axis x, Axis y, Rectangle plot) {
        FontMetrics fm = g.getFontMetrics();
        List<Rectangle2D> out = new ArrayList<>();
        g.setColor(s.color().darker());
        for (int i = 0; i < s.x().length; i++) {
            String text = s.labels().get(i);
            if (text == null || text.isEmpty() || !finite(s.x()[i], s.y()[i])) {
                continue;
            }
            double px = x.map(s.x()[i]);
            double py = y.map(s.y()[i]);
            double tx = px - 7 - fm.stringWidth(text);
            double ty = py - 7;
            if (tx < plot.x + 2 || ty - fm.getAscent() < plot.y + 2) {
                tx = px + 7;
                ty = py + 7 + fm.getAscent();
            }
            g.drawString(text, (float) tx, (float) ty);
            out.add(
                    new Rectangle2D.Double(
                            tx, ty - fm.getAscent(), fm.stringWidth(text), fm.getHeight()));
        }
        return out;
    }

    private static void drawMarker(
            Graphics2D g, Marker marker, Color color, double cx, double cy, double size) {
        double r = size / 2;
        Shape shape =
                switch (marker) {
                    case NONE -> null;
                    case CIRCLE -> new Ellipse2D.Double(cx - r, cy - r, size, size);
                    case SQUARE -> new Rectangle2D.Double(cx - r, cy - r, size, size);
                    case DIAMOND ->
                            polygon(
                                    cx,
                                    cy - r * 1.35,
                                    cx + r * 1.35,
                                    cy,
                                    cx,
                                    cy + r * 1.35,
                                    cx - r * 1.35,
                                    cy);
                    case TRIANGLE ->
                            polygon(cx, cy - r * 1.3, cx + r * 1.2, cy + r, cx - r * 1.2, cy + r);
                    case CROSS -> null;
                };
        if (marker == Marker.CROSS) {
            g.setColor(color);
            g.setStroke(new BasicStroke(2.2f));
            g.draw(new Line2D.Double(cx - r, cy - r, cx + r, cy + r));
            g.draw(new Line2D.Double(cx - r, cy + r, cx + r, cy - r));
            g.setStroke(new BasicStroke(1f));
            return;
        }
        if (shape == null) {
            return;
        }
        g.setColor(color);
        g.fill(shape);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(shape);
        g.setStroke(new BasicStroke(1f));
    }

    private static Shape polygon(double... xy) {
        Path2D p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        return p;
    }

    // ---------------------------------------------------------------------------------------
    // Ranges and ticks

    private static boolean finite(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y);
    }

    /** The axis range: fixed bounds where given, else the data padded by 5% and rounded out. */
    private static double[] range(
            List<Series> series,
            boolean xAxis,
            double fixedMin,
            double fixedMax,
            double[] fixedTicks) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (finite(s.x()[i], s.y()[i])) {
                    double v = xAxis ? s.x()[i] : s.y()[i];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (fixedTicks != null) {
            for (double t : fixedTicks) {
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        if (lo == hi) {
            double pad = lo == 0 ? 0.5 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double pad = (hi - lo) * 0.06;
        double[] out =
                fixedTicks != null
                        ? new double[] {lo - pad, hi + pad}
                        : niceRange(lo - pad, hi + pad, xAxis ? 8 : 7);
        if (!Double.isNaN(fixedMin)) {
            out[0] = fixedMin;
        }
        if (!Double.isNaN(fixedMax)) {
            out[1] = fixedMax;
        }
        if (out[1] <= out[0]) {
            out[1] = out[0] + 1;
        }
        return out;
    }

    private static double[] niceRange(double lo, double hi, int target) {
        double step = niceStep(lo, hi, target);
        return new double[] {
            Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step
        };
    }

    /** A 1, 2 or 5 times a power of ten step giving about {@code target} ticks (Heckbert). */
    private static double niceStep(double lo, double hi, int target) {
        double raw = (hi - lo) / Math.max(1, target - 1);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / magnitude;
        double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        return nice * magnitude;
    }

    /** Round-number ticks within {@code [lo, hi]}. */
    static double[] ticks(double lo, double hi, int target) {
        double step = niceStep(lo, hi, target);
        List<Double> out = new ArrayList<>();
        double first = Math.ceil(lo / step - 1e-9) * step;
        for (int i = 0; ; i++) {
            double t = first + i * step;
            if (t > hi + step * 1e-9) {
                break;
            }
            // Snap away binary noise such as 0.30000000000000004.
            out.add(Math.round(t / step) * step);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The fewest decimals that print every tick exactly. */
    private static int decimals(double[] ticks) {
        int d = 0;
        for (double t : ticks) {
            while (d < 6 && Math.abs(t * Math.pow(10, d) - Math.rint(t * Math.pow(10, d))) > 1e-6) {
                d++;
            }
        }
        return d;
    }

    private static String format(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
    }

    private static String valueText(double v) {
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }
}
