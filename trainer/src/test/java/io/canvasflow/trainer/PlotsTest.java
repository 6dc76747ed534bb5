package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };

    @TempDir Path dir;

    @Test
    void shouldWriteALineChartAsAPngOfTheRequestedSizeWithTheSeriesColours() throws IOException {
        // Given
        Color blue = Plots.PALETTE.get(0);
        Color red = Plots.PALETTE.get(1);
        List<Plots.Series> series =
                List.of(
                        Plots.Series.line(
                                        "rising",
                                        new double[] {1, 2, 3, 4},
                                        new double[] {0.5, 0.7, 0.8, 0.85},
                                        blue)
                                .withLabels(List.of("1", "2", "3", "4")),
                        Plots.Series.points(
                                "one point",
                                new double[] {2.5},
                                new double[] {0.6},
                                red,
                                Plots.Marker.DIAMOND));

        // When
        Path file = dir.resolve("line.png");
        Plots.writePng(
                Plots.lineChart(
                        "Title",
                        "x",
                        "y",
                        series,
                        new Plots.Options(
                                640, 400, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null)),
                file);

        // Then
        BufferedImage read = readPng(file);
        assertEquals(640, read.getWidth());
        assertEquals(400, read.getHeight());
        assertEquals(0xFFFFFF, read.getRGB(2, 2) & 0xFFFFFF, "white background");
        Set<Integer> colours = colours(read);
        assertTrue(
                colours.size() > 50, "antialiased drawing has many shades, got " + colours.size());
        assertTrue(colours.contains(blue.getRGB() & 0xFFFFFF), "the line's colour is drawn");
        assertTrue(colours.contains(red.getRGB() & 0xFFFFFF), "the marker's colour is drawn");
    }

    @Test
    void shouldDrawAGroupedBarChart() throws IOException {
        // Given
        List<Plots.Bars> bars =
                List.of(
                        new Plots.Bars("p50", new double[] {12.5, 30.1, 8.0}, Plots.PALETTE.get(0)),
                        new Plots.Bars(
                                "p99",
                                new double[] {20.0, 55.7, Double.NaN},
                                Plots.PALETTE.get(3)));

        // When
        Path file = dir.resolve("bars.png");
        Plots.writePng(
                Plots.barChart(
                        "Latency",
                        "mode",
                        "ms",
                        List.of("zero-6", "seeded-2", "a long category name"),
                        bars),
                file);

        // Then
        BufferedImage read = readPng(file);
        assertEquals(900, read.getWidth());
        assertEquals(600, read.getHeight());
        Set<Integer> colours = colours(read);
        assertTrue(colours.contains(Plots.PALETTE.get(0).getRGB() & 0xFFFFFF));
        assertTrue(colours.contains(Plots.PALETTE.get(3).getRGB() & 0xFFFFFF));
        assertTrue(colours.size() > 20, "got " + colours.size() + " colours");
    }

    @Test
    void shouldColourAClassMapWithTheClassColoursAndIgnoredPixelsApart() {
        // Given
        byte[] map = {0, 1, 2, (byte) 255};

        // When
        BufferedImage image = Plots.classMapImage(map, 2, 2, EvaluationReportTest.COLORS);

        // Then
        assertEquals(0x4682B4, image.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x804080, image.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0x00008E, image.getRGB(0, 1) & 0xFFFFFF);
        assertEquals(Plots.IGNORE_COLOR, image.getRGB(1, 1) & 0xFFFFFF);
    }

    @Test
    void shouldWriteTheThreeEvaluationPlots() throws IOException {
        // Given a report and two 64x48 sample frames with 3 iterations each
        Samples samples = samples(2, 3, 64, 48);
        EvaluateCommand.Evaluation e =
                EvaluationReportTest.evaluation(EvaluationReportTest.goodReport(), samples);

        // When
        List<Path> written = EvaluationReport.plots(e, dir.resolve("report"));

        // Then
        assertEquals(
                List.of(
                        dir.resolve("report/miou_vs_gflops.png"),
                        dir.resolve("report/miou_vs_iteration.png"),
                        dir.resolve("report/samples.png")),
                written);
        for (Path chart : written.subList(0, 2)) {
            BufferedImage read = readPng(chart);
            assertEquals(900, read.getWidth(), chart.toString());
            assertEquals(600, read.getHeight(), chart.toString());
            assertTrue(colours(read).size() > 50, chart + " looks blank");
        }
        BufferedImage grid = readPng(dir.resolve("report/samples.png"));
        // 5 columns (image, truth, 3 iterations) of 128-pixel cells, 2 rows of 96
        assertTrue(grid.getWidth() >= 5 * 128, "grid width " + grid.getWidth());
        assertTrue(grid.getHeight() >= 2 * 96, "grid height " + grid.getHeight());
        Set<Integer> colours = colours(grid);
        for (int rgb : EvaluationReportTest.COLORS) {
            assertTrue(colours.contains(rgb), String.format("class colour %06X drawn", rgb));
        }
        assertTrue(colours.contains(Plots.IGNORE_COLOR), "ignored pixels drawn");
        assertTrue(EvaluationReport.markdown(e).contains("![Sample frames](samples.png)"));
    }

    /** Frames of sky over road with a car; masks that get the car right one iteration later. */
    static Samples samples(int count, int iterations, int w, int h) {
        List<Samples.Sample> frames = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            byte[] labels = new byte[w * h];
            int carLeft = 8 + 16 * s;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int label =
                            y < h / 3 ? 0 : (x >= carLeft && x < carLeft + 20 && y > h / 2) ? 2 : 1;
                    labels[y * w + x] = (byte) label;
                    int shade = (x * 255 / w + y * 2) & 0xff;
                    int[] base = {0x87CEEB, 0x555555, 0xCC2222};
                    image.setRGB(x, y, new Color(base[label]).darker().getRGB() ^ shade);
                }
            }
            labels[0] = (byte) 255;
            List<byte[]> masks = new ArrayList<>();
            for (int k = 1; k <= iterations; k++) {
                byte[] mask = labels.clone();
                mask[0] = 0;
                for (int i = 0; i < mask.length; i++) {
                    // Early iterations miss the right part of the car.
                    if (mask[i] == 2 && i % w > carLeft + 20 * k / iterations) {
                        mask[i] = 1;
                    }
                }
                masks.add(mask);
            }
            frames.add(new Samples.Sample("seq-" + s, 3 * s, image, labels, masks));
        }
        return new Samples(
                frames, iterations, EvaluationReportTest.CLASSES, EvaluationReportTest.COLORS);
    }

    private static BufferedImage readPng(Path file) throws IOException {
        byte[] head = new byte[8];
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(8, in.read(head));
        }
        assertArrayEquals(PNG_SIGNATURE, head, file + " is not a PNG");
        BufferedImage image = ImageIO.read(file.toFile());
        assertTrue(image != null, file + " does not decode");
        return image;
    }

    private static Set<Integer> colours(BufferedImage image) {
        Set<Integer> out = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return out;
    }
}
