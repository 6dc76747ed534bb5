package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SegmentRequestTest {

    private static final BufferedImage IMAGE =
            new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);

    @Test
    void shouldRefuseBadSizesAndIterationsInOneSentenceNamingTheBuilderMethod() {
        // Given builders with one bad value each
        Map<String, UnaryOperator<SegmentRequest.Builder>> bad = new LinkedHashMap<>();
        bad.put("output 0x10", b -> b.optOutputSize(0, 10));
        bad.put("output 64x0", b -> b.optOutputSize(64, 0));
        bad.put("output -1x10", b -> b.optOutputSize(-1, 10));
        bad.put("output 50000x50000", b -> b.optOutputSize(50_000, 50_000));
        bad.put("output 65536x65536", b -> b.optOutputSize(65_536, 65_536));
        bad.put("input 100000x8", b -> b.optInputSize(100_000, 8));
        bad.put("input 0x8", b -> b.optInputSize(0, 8));
        bad.put("iterations 1000000", b -> b.optIterations(1_000_000));
        bad.put("iterations -1", b -> b.optIterations(-1));
        bad.put("no image", b -> b.setImage(null));

        // When each is built
        Map<String, String> refusals = new LinkedHashMap<>();
        bad.forEach(
                (what, change) ->
                        refusals.put(
                                what,
                                assertThrows(
                                                IllegalArgumentException.class,
                                                () ->
                                                        change.apply(
                                                                        SegmentRequest.builder()
                                                                                .setImage(IMAGE))
                                                                .build(),
                                                what)
                                        .getMessage()));

        // Then each is refused in one sentence that names the method to fix
        String output =
                "optOutputSize takes a positive width and height, or 0x0 for the image's size, but got ";
        String input =
                "optInputSize takes a width and height from 1 to 8192, or 0x0 for the model's input"
                        + " size, but got ";
        String iterations =
                "optIterations takes 1 to 1000 iterations, or 0 for the default, but got ";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("output 0x10", output + "0x10");
        expected.put("output 64x0", output + "64x0");
        expected.put("output -1x10", output + "-1x10");
        expected.put(
                "output 50000x50000",
                "a 50000x50000 class map has more than the 67108864 pixels a request may ask for;"
                        + " give a smaller optOutputSize");
        expected.put(
                "output 65536x65536",
                "a 65536x65536 class map has more than the 67108864 pixels a request may ask for;"
                        + " give a smaller optOutputSize");
        expected.put("input 100000x8", input + "100000x8");
        expected.put("input 0x8", input + "0x8");
        expected.put("iterations 1000000", iterations + "1000000");
        expected.put("iterations -1", iterations + "-1");
        expected.put("no image", "a SegmentRequest needs an image: call setImage");
        assertEquals(expected, refusals);
    }

    @Test
    void shouldAcceptTheLimitsAndFillAnUnsetOutputSizeFromTheImage() {
        // Given requests at the limits, and one with no output size
        SegmentRequest widest =
                SegmentRequest.builder()
                        .setImage(IMAGE)
                        .optIterations(1000)
                        .optOutputSize(65_536, 1024)
                        .optInputSize(8192, 8192)
                        .build();
        SegmentRequest plain = SegmentRequest.builder().setImage(IMAGE).build();

        // Then they are built as given, the unset size as the image's
        assertEquals(
                List.of(1000, 65_536, 1024, 8192, 8192, 0, 64, 48),
                List.of(
                        widest.iterations(),
                        widest.outputWidth(),
                        widest.outputHeight(),
                        widest.inputWidth(),
                        widest.inputHeight(),
                        plain.iterations(),
                        plain.outputWidth(),
                        plain.outputHeight()));
    }
}
