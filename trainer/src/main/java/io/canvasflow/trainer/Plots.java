package io.canvasflow.trainer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts for the evaluation and benchmark reports: line/scatter charts and grouped bar charts drawn
 * by XChart (headless, rendered to a {@link BufferedImage}), plus the image grids of sample masks,
 * which are not charts and are drawn here with Java2D. {@link #writePng} writes any of them.
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
        XYChart chart =
                titled(new XYChart(options.width(), options.height()), title, xLabel, yLabel);
        chart.getStyler().setMarkerSize(MARKER_SIZE);
        bound(options.xMin(), chart.getStyler()::setXAxisMin);
        bound(options.xMax(), chart.getStyler()::setXAxisMax);
        bound(options.yMin(), chart.getStyler()::setYAxisMin);
        bound(options.yMax(), chart.getStyler()::setYAxisMax);
        if (options.xTicks() != null && options.xTicks().length > 0) {
            // XChart chooses its own tick positions; fixed ticks become fixed bounds and labels
            // without decimals, which is what whole-number ticks (iterations) need.
            double[] ticks = options.xTicks();
            chart.getStyler().setXAxisMin(Arrays.stream(ticks).min().getAsDouble());
            chart.getStyler().setXAxisMax(Arrays.stream(ticks).max().getAsDouble());
            chart.getStyler().setXAxisDecimalPattern("0");
        }
        for (Series s : series) {
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            xy.setLineColor(s.color());
            xy.setMarkerColor(s.color());
            xy.setLineStyle(
                    switch (s.line()) {
                        case SOLID -> SeriesLines.SOLID;
                        case DASHED -> SeriesLines.DASH_DASH;
                        case NONE -> SeriesLines.NONE;
                    });
            xy.setMarker(
                    switch (s.marker()) {
                        case NONE -> SeriesMarkers.NONE;
                        case CIRCLE -> SeriesMarkers.CIRCLE;
                        case SQUARE -> SeriesMarkers.SQUARE;
                        case DIAMOND -> SeriesMarkers.DIAMOND;
                        case TRIANGLE -> SeriesMarkers.TRIANGLE_UP;
                        case CROSS -> SeriesMarkers.CROSS;
                    });
            for (int i = 0; i < s.labels().size(); i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    // XChart centres the text on its position: move it above the marker.
                    chart.addAnnotation(
                            new AnnotationText(
                                    s.labels().get(i),
                                    s.x()[i],
                                    s.y()[i] + 0.035 * ySpan(series),
                                    false));
                }
            }
        }
        chart.getStyler().setAnnotationTextFont(SMALL);
        chart.getStyler().setAnnotationTextFontColor(AXIS);
        return BitmapEncoder.getBufferedImage(chart);
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
        CategoryChart chart =
                titled(new CategoryChart(options.width(), options.height()), title, xLabel, yLabel);
        chart.getStyler().setLegendVisible(bars.size() > 1);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(SMALL);
        // The value inside the top of each bar, in black or white as the bar's colour needs.
        chart.getStyler().setLabelsPosition(0.92);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(true);
        chart.getStyler().setYAxisMin(Double.isNaN(options.yMin()) ? 0.0 : options.yMin());
        bound(options.yMax(), chart.getStyler()::setYAxisMax);
        for (Bars b : bars) {
            // XChart leaves a null value without a bar; NaN means "no figure" here.
            List<Double> values = new ArrayList<>();
            for (double v : b.values()) {
                values.add(Double.isFinite(v) ? v : null);
            }
            CategorySeries series = chart.addSeries(b.name(), categories, values);
            series.setFillColor(b.color());
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The chart with its titles and the report's style. */
    private static <C extends Chart<? extends AxesChartStyler, ?>> C titled(
            C chart, String title, String xLabel, String yLabel) {
        chart.setTitle(title);
        chart.setXAxisTitle(xLabel);
        chart.setYAxisTitle(yLabel);
        style(chart.getStyler());
        return chart;
    }

    /** White background, light grid, the report fonts, the legend under the plot. */
    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setPlotBorderColor(AXIS);
        styler.setPlotGridLinesColor(GRID);
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setChartTitleFont(TITLE);
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTitleFont(LABEL);
        styler.setAxisTickLabelsFont(TICK);
        styler.setAxisTickLabelsColor(AXIS);
        styler.setLegendFont(SMALL);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setAntiAlias(true);
        styler.setLocale(Locale.ROOT);
    }

    /** The spread of all finite y values, at least a small positive number. */
    private static double ySpan(List<Series> series) {
        double[] ys =
                series.stream()
                        .flatMapToDouble(s -> Arrays.stream(s.y()))
                        .filter(Double::isFinite)
                        .toArray();
        double span =
                ys.length == 0
                        ? 0
                        : Arrays.stream(ys).max().getAsDouble()
                                - Arrays.stream(ys).min().getAsDouble();
        return span > 0 ? span : 0.1;
    }

    private static void bound(double value, java.util.function.Consumer<Double> setter) {
        if (!Double.isNaN(value)) {
            setter.accept(value);
        }
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

    private static void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    }
}
