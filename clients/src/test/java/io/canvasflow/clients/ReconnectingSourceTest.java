package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReconnectingSourceTest {

    private static final int FRAMES = 30;

    @TempDir Path dir;

    private HttpServer server;
    private byte[] stream;
    private byte[] file;
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void serveAStream() throws Exception {
        stream = video("stream.ts", "mpegts");
        // An MP4 whose header comes first says its length before any frame
        file = video("file.mp4", "mp4");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // A live camera: no length (chunked), and the first connection drops halfway
        server.createContext(
                "/live.ts",
                exchange -> {
                    int n = connections.incrementAndGet();
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(stream, 0, n == 1 ? stream.length / 2 : stream.length);
                    }
                });
        // A file on a web server
        server.createContext(
                "/file.mp4",
                exchange -> {
                    exchange.sendResponseHeaders(200, file.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(file);
                    }
                });
        // A file on a web server whose connection is cut halfway, or stalls there
        server.createContext("/cut.mp4", exchange -> halfOf(exchange, 0));
        server.createContext("/stalled.mp4", exchange -> halfOf(exchange, 15_000));
        server.start();
    }

    /** Says the whole file's length, sends half of it, waits, and drops the connection. */
    private void halfOf(HttpExchange exchange, long waitMillis) throws IOException {
        exchange.sendResponseHeaders(200, file.length);
        OutputStream out = exchange.getResponseBody();
        out.write(file, 0, file.length / 2);
        out.flush();
        try {
            Thread.sleep(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    @AfterEach
    void stopServing() {
        server.stop(0);
    }

    @Test
    void shouldOpenALiveStreamAgainWhenItIsLostAndNumberItsFramesOn() {
        // Given a live stream whose first connection ends halfway
        List<Long> indexes = new ArrayList<>();
        try (FrameSource source = FrameSources.open(url("/live.ts"))) {
            assertInstanceOf(ReconnectingSource.class, source);

            // When more frames are read than the first connection had
            for (int i = 0; i < FRAMES + 5; i++) {
                Optional<SourceFrame> frame = source.next();
                assertTrue(frame.isPresent(), "frame " + i + " came");
                indexes.add(frame.get().index());
            }
        }

        // Then they came over a second connection, numbered on without a gap
        assertTrue(connections.get() >= 2, connections.get() + " connections");
        for (int i = 0; i < indexes.size(); i++) {
            assertEquals(i, indexes.get(i));
        }
    }

    @Test
    void shouldReadAFileOnAWebServerToItsEndOnce() {
        int frames = 0;
        try (FrameSource source = FrameSources.open(url("/file.mp4"))) {
            assertInstanceOf(VideoFileSource.class, source);
            while (source.next().isPresent()) {
                frames++;
            }
        }

        assertEquals(FRAMES, frames);
    }

    @Test
    void shouldEndWhenInterruptedWhileTheStreamIsDown() throws Exception {
        // Given a stream that ends after its frames and cannot be opened again
        AtomicInteger tries = new AtomicInteger();
        ReconnectingSource source =
                new ReconnectingSource(
                        new SyntheticCameraSource(0, 2),
                        first -> {
                            tries.incrementAndGet();
                            throw new FrameSourceException("the camera is off");
                        },
                        Duration.ofMillis(5));
        AtomicReference<Optional<SourceFrame>> last = new AtomicReference<>();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread reader =
                new Thread(
                        () -> {
                            Optional<SourceFrame> frame;
                            do {
                                frame = source.next();
                            } while (frame.isPresent());
                            last.set(frame);
                            interruptedAfter.set(Thread.currentThread().isInterrupted());
                        });

        // When the reader is interrupted while it tries again and again
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (tries.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(reader.isAlive(), "still trying");
        reader.interrupt();
        reader.join(5000);

        // Then the source ends, and the reader's thread still knows it was interrupted
        assertFalse(reader.isAlive());
        assertEquals(Optional.empty(), last.get());
        assertTrue(interruptedAfter.get());
        source.close();
    }

    @Test
    void shouldWaitLongerForAStreamThatIsLostAsSoonAsItOpens() {
        // Given a stream that opens every time and ends after one frame (a camera at its client
        // limit accepts and drops), with a first wait of 5 ms
        try (ReconnectingSource source =
                new ReconnectingSource(
                        new SyntheticCameraSource(0, 1),
                        first -> new SyntheticCameraSource(0, 1),
                        Duration.ofMillis(5))) {

            // When five of its frames are read, four of them after a loss
            for (int i = 0; i < 5; i++) {
                assertTrue(source.next().isPresent());
            }

            // Then the waits did not start over at each successful open: 5, 10, 20, 40, then 80
            assertEquals(Duration.ofMillis(80), source.nextWait());
        }
    }

    @Test
    void shouldTakeAStreamAsLiveWhenToldWhateverItsLength() {
        // Given the file with a length, named live:URL (as for an NVR's playback of a recording)
        long frames = 0;
        try (FrameSource source = FrameSources.open("live:" + url("/file.mp4"))) {
            // Then it is live, and opened again at its end: more frames come than it has
            assertInstanceOf(ReconnectingSource.class, source);
            for (; frames < FRAMES + 5; frames++) {
                assertTrue(source.next().isPresent(), "frame " + frames);
            }
        }
        assertEquals(FRAMES + 5, frames);
        FrameSourceException e =
                assertThrows(FrameSourceException.class, () -> FrameSources.open("live:cam.mp4"));
        assertEquals(
                "expected live:URL, a stream such as live:rtsp://host/stream, but found live:cam.mp4",
                e.getMessage());
    }

    @Test
    void shouldEndALiveStreamWhenAskedNotToReconnect() {
        int frames = 0;
        try (FrameSource source = FrameSources.open(url("/live.ts"), false)) {
            assertInstanceOf(VideoFileSource.class, source);
            assertTrue(source.isLive());
            while (source.next().isPresent()) {
                frames++;
            }
        }

        assertTrue(frames > 0 && frames < FRAMES, frames + " frames, the first connection's");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/cut.mp4", "/stalled.mp4"})
    void shouldFailAFileOnAWebServerThatIsCutOrStallsInsteadOfEndingIt(String path) {
        // Given a file of 30 frames whose connection is cut or stalls halfway (FFmpeg's read
        // times out after 10 s)
        List<Long> indexes = new ArrayList<>();
        FrameSourceException e;
        try (FrameSource source = FrameSources.open(url(path))) {
            assertInstanceOf(VideoFileSource.class, source);

            // When it is read
            e = SourceFailures.readUntilItFails(source, frame -> indexes.add(frame.index()));
        }

        // Then the frames before the cut came, and the cut is said, not taken for the end
        assertTrue(indexes.size() < FRAMES, indexes.size() + " frames");
        assertTrue(
                e.getMessage()
                        .startsWith(
                                url(path)
                                        + " stalled or was cut after frame "
                                        + (indexes.size() - 1)
                                        + " of about 30 ("),
                e.getMessage());
    }

    @Test
    void shouldNameAStreamWithoutItsPasswordWhereverItIsSaid() {
        // Given URLs with a user and password, FFmpeg getting them as given
        String file = url("/file.mp4").replace("http://", "http://admin:s3cret@");
        String live = url("/live.ts").replace("http://", "http://admin:s3cret@");
        String missing = url("/missing.mp4").replace("http://", "http://admin:s3cret@");

        // When they are opened, then their descriptions, which go into every frame's metadata,
        // say *** for the password
        try (FrameSource source = FrameSources.open(file)) {
            assertEquals(
                    url("/file.mp4").replace("http://", "http://admin:***@"), source.description());
            assertTrue(source.next().isPresent(), "FFmpeg got the URL as given");
        }
        try (FrameSource source = FrameSources.open(live)) {
            assertEquals(
                    url("/live.ts").replace("http://", "http://admin:***@"), source.description());
        }
        // and so does the sentence of one that cannot be opened, with no cause that names it
        FrameSourceException e =
                assertThrows(FrameSourceException.class, () -> FrameSources.open(missing));
        assertTrue(
                e.getMessage().startsWith("FFmpeg cannot read http://admin:***@"), e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("s3cret"), t.getMessage());
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** A video of {@link #FRAMES} frames at 10 fps in the given container. */
    private byte[] video(String name, String format) throws Exception {
        Path path = dir.resolve(name);
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(path.toFile(), 160, 120, 0);
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat(format);
            recorder.setVideoCodecName("mpeg2video");
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(10);
            recorder.setGopSize(5);
            recorder.setOption("movflags", "faststart");
            recorder.start();
            for (int i = 0; i < FRAMES; i++) {
                BufferedImage image = OverlayRendererTest.solid(160, 120, 0x101010 * (i % 16));
                recorder.record(converter.convert(image));
            }
        }
        return Files.readAllBytes(path);
    }
}
