package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
