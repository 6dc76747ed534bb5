package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MaskEncoderTest {

    @Test
    void shouldWriteAnEightBitIndexedPngWithTheClassColoursAsPalette() throws Exception {
        // Given a model's classes and a class map using each of them
        var spec = TestModel.source().spec();
        int classes = spec.numClasses();
        int width = 16;
        int height = 8;
        byte[] classMap = new byte[width * height];
        for (int i = 0; i < classMap.length; i++) {
            classMap[i] = (byte) (i % classes);
        }

        // When encoded and read back
        byte[] png = new MaskEncoder(spec).png(classMap, width, height);
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));

        // Then the raster holds the class indices and the palette the class colours
        IndexColorModel palette = (IndexColorModel) read.getColorModel();
        List<Integer> colours = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            colours.add(palette.getRGB(c) & 0xffffff);
        }
        byte[] indices = (byte[]) read.getRaster().getDataElements(0, 0, width, height, null);
        assertEquals(8, palette.getPixelSize());
        assertEquals(java.util.Arrays.stream(spec.classColors()).boxed().toList(), colours);
        assertArrayEquals(classMap, indices);
    }

    @Test
    void shouldCompressTheRunsOfASegmentedScene() throws Exception {
        // Given a 256x192 scene-like class map: sky above, road below, a car in between
        var spec = TestModel.source().spec();
        int width = 256;
        int height = 192;
        byte[] classMap = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean car = y > 100 && y < 140 && x > 60 && x < 150;
                classMap[y * width + x] = (byte) (car ? 2 % spec.numClasses() : y < 90 ? 0 : 1);
            }
        }

        // When encoded
        byte[] png = new MaskEncoder(spec).png(classMap, width, height);

        // Then it reads back exactly and takes under 2 % of the raw indices
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));
        assertArrayEquals(
                classMap, (byte[]) read.getRaster().getDataElements(0, 0, width, height, null));
        assertTrue(png.length < classMap.length / 50, png.length + " bytes");
    }
}
