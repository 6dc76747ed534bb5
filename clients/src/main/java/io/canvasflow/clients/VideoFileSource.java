package io.canvasflow.clients;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames of a video file or a network stream (RTSP, RTMP, HTTP), decoded by JavaCV's {@link
 * FFmpegFrameGrabber}. RTSP is read over TCP, and a stream that stays silent for ten seconds is an
 * error rather than a hang. Frames FFmpeg reports errors in (damaged footage, lost packets) are
 * given as FFmpeg concealed them, and said in a few WARN lines ({@link DecodeDamage}), not in
 * FFmpeg's own line a message. A video on a web server (not live) that stalls or is cut before its
 * stated length fails with a {@link FrameSourceException} where FFmpeg would end it quietly.
 */
public final class VideoFileSource implements FrameSource {

    /** The frame rate assumed when a container does not say. */
    public static final double FALLBACK_FPS = 25.0;

    private static final Logger LOG = LoggerFactory.getLogger(VideoFileSource.class);
    private static final String STREAM_TIMEOUT_MICROS = "10000000";

    /**
     * Frames of a live stream whose decoding errors are not damage while no keyframe has come: a
     * stream without keyframes (intra refresh) is counted after these.
     */
    private static final long SYNC_WITHIN_FRAMES = 250;

    /** Where it is, as logs and metadata say it: the URL's password hidden. */
    private final String location;

    private final FFmpegFrameGrabber grabber;
    private final double fps;
    private final DecodeDamage damage;
    private final Consumer<String> heard;
    private final boolean live;
    private boolean synced;
    private final long firstIndex;
    private long index;
    private long lastTimestampMicros = -1;
    private boolean ended;
    private boolean closed;

    /**
     * Opens a video file or stream URL and reads its header.
     *
     * @param location a file path, or a URL such as {@code rtsp://host/stream}; a password in it is
     *     given to FFmpeg only, and said as {@code ***} everywhere else
     * @throws FrameSourceException when the file is missing or FFmpeg cannot open it
     */
    public VideoFileSource(String location) {
        this(location, 0, false);
    }

    /**
     * Opens a video file or stream URL whose first frame gets {@code firstIndex}, for a stream
     * opened again ({@link ReconnectingSource}), whose frames and warnings number on.
     *
     * @param forcedLive true to take it as live whatever FFmpeg knows of its length ({@code
     *     live:URL})
     */
    VideoFileSource(String url, long firstIndex, boolean forcedLive) {
        this.location = UrlCredentials.hide(url);
        this.firstIndex = firstIndex;
        this.index = firstIndex;
        boolean stream = isUrl(url);
        if (!stream && !Files.exists(Path.of(url))) {
            throw new FrameSourceException(
                    "no file at " + location + "; give a video file or a stream URL");
        }
        if (!stream && !Files.isRegularFile(Path.of(url))) {
            throw new FrameSourceException(
                    "expected a video file or a stream URL but " + location + " is neither");
        }
        damage = new DecodeDamage(location);
        heard = damage::heard;
        grabber = new FFmpegFrameGrabber(url);
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        // One decoding thread, the caller's, so that what FFmpeg logs is heard by this source
        // (FfmpegLog); publish and label read each camera on a thread of its own. Measured on
        // this 2-core machine, H.264 768x576: 932-1083 frames/s against 1042-1205 with FFmpeg's
        // own threads (three rounds each), far above a camera's rate.
        grabber.setVideoOption("threads", "1");
        streamOptions(url).forEach(grabber::setOption);
        try (FfmpegLog.Scope listening = FfmpegLog.listen(heard)) {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            releaseQuietly();
            // FFmpeg's own words (say "moov atom not found") say more than JavaCV's
            String why =
                    UrlCredentials.hide(
                            damage.lastWords().isEmpty()
                                    ? ffmpegWords(e.getMessage())
                                    : damage.lastWords() + "; " + ffmpegWords(e.getMessage()));
            throw new FrameSourceException(
                    "FFmpeg cannot read "
                            + location
                            + " as a video ("
                            + why
                            + "): expected a video file or stream such as MP4, AVI, MKV or RTSP",
                    // JavaCV's message names the URL as given, password and all
                    url.equals(location) ? e : null);
        }
        if (!grabber.hasVideo()) {
            // FFmpeg opens a sound file too; without this it would give no frame, and publish
            // would exit 0 having sent nothing
            releaseQuietly();
            throw new FrameSourceException(
                    location
                            + " has no video stream: expected a video file or stream such as MP4,"
                            + " AVI, MKV or RTSP");
        }
        this.live = forcedLive || stream && !(grabber.getLengthInTime() > 0) && !knownSize();
        this.synced = !this.live;
        double rate = grabber.getVideoFrameRate();
        if (!(rate > 0) || Double.isInfinite(rate)) {
            rate = grabber.getFrameRate();
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            LOG.warn("{} does not state its frame rate; assuming {} fps", location, FALLBACK_FPS);
            rate = FALLBACK_FPS;
        }
        this.fps = rate;
    }

    /**
     * Opens a video file.
     *
     * @param file the file
     * @return the source
     */
    public static VideoFileSource open(Path file) {
        return new VideoFileSource(file.toString());
    }

    @Override
    public synchronized Optional<SourceFrame> next() {
        if (closed) {
            throw new IllegalStateException("the video source " + location + " is closed");
        }
        Frame frame;
        damage.beforeRead();
        try (FfmpegLog.Scope listening = FfmpegLog.listen(heard)) {
            frame = grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            throw new FrameSourceException(
                    "could not read frame "
                            + index
                            + " of "
                            + location
                            + ": "
                            + UrlCredentials.hide(e.getMessage()),
                    e);
        }
        damage.afterRead(index, synced, frame == null);
        // a decoder that joins a live stream between keyframes complains until the next one
        synced |= frame != null && (frame.keyFrame || index - firstIndex >= SYNC_WITHIN_FRAMES);
        if (frame == null) {
            ended = true;
            // FFmpeg takes a stall past the timeout or a dropped connection for the end
            String cut = !live && isUrl(location) ? cutShort() : null;
            if (cut != null) {
                throw new FrameSourceException(cut);
            }
            return Optional.empty();
        }
        lastTimestampMicros = grabber.getTimestamp();
        return Optional.of(SourceFrame.of(toBgr(frame), index++));
    }

    @Override
    public double nativeFps() {
        return fps;
    }

    /**
     * Whether this is a live stream: a URL whose duration and size FFmpeg does not know (a camera's
     * RTSP stream, an MJPEG or MPEG-TS stream sent over HTTP without a length), not a file, local
     * or on a web server, that has an end.
     *
     * @return true for a live stream
     */
    @Override
    public boolean isLive() {
        return live;
    }

    /**
     * Returns how many of the frames read so far FFmpeg reported decoding errors in.
     *
     * @return the count of damaged frames
     */
    public long damagedFrames() {
        return damage.damagedFrames();
    }

    /**
     * Returns the video width.
     *
     * @return the width in pixels
     */
    public int width() {
        return grabber.getImageWidth();
    }

    @Override
    public String description() {
        return location;
    }

    @Override
    public synchronized void close() {
        // synchronized with next: a grabber closed while another thread reads it may crash
        if (!closed) {
            closed = true;
            damage.summarise(index - firstIndex, index - 1, ended ? listedFrames() : 0);
            try (FfmpegLog.Scope listening = FfmpegLog.listen(heard)) {
                try {
                    grabber.stop();
                } catch (FrameGrabber.Exception e) {
                    LOG.debug("could not stop the grabber of {}", location, e);
                }
                releaseQuietly();
            }
        }
    }

    /**
     * The frame count an AVI file's header lists, 0 for anything else. Not JavaCV's
     * getLengthInVideoFrames, which is the longest stream's duration, audio included, times the
     * frame rate; nor an MP4's sample count, which an edit list can trim (a phone's cut clip).
     */
    private long listedFrames() {
        AVFormatContext format = grabber.getFormatContext();
        if (isUrl(location) || !"avi".equals(format.iformat().name().getString())) {
            return 0;
        }
        for (int i = 0; i < format.nb_streams(); i++) {
            AVStream stream = format.streams(i);
            if (stream.codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                return stream.nb_frames();
            }
        }
        return 0;
    }

    /**
     * Why a video on a web server ended before its end, or null when it did not: its connection
     * failed (a stall past the 10 s timeout, a reset), or its last frame is well short of the
     * length its header states. A file on disk cut short is said at close instead ({@link
     * DecodeDamage}).
     */
    private String cutShort() {
        AVFormatContext format = grabber.getFormatContext();
        AVIOContext io = format.pb();
        int ioError = io == null || io.isNull() ? 0 : io.error();
        boolean failed = ioError < 0 && ioError != avutil.AVERROR_EOF();
        long length = statedLengthMicros(format);
        // the last frame starts a frame's time before the end; half a second more for rounding
        long slack = Math.max(500_000, Math.round(2e6 / fps));
        boolean early = length > 0 && lastTimestampMicros + slack < length;
        if (!failed && !early) {
            return null;
        }
        String why =
                !damage.endWords().isEmpty()
                        ? damage.endWords()
                        : failed ? ffmpegError(ioError) : "it ended before its stated length";
        return String.format(
                Locale.ROOT,
                "%s stalled or was cut %s%s (%s); the rest of it was not read",
                location,
                index == firstIndex ? "before its first frame" : "after frame " + (index - 1),
                length > 0 ? " of about " + Math.round(length / 1e6 * fps) : "",
                UrlCredentials.hide(why));
    }

    /**
     * The video stream's length in microseconds as its header states it, else the container's, or 0
     * where neither is known or the container's is only guessed from the bit rate.
     */
    private long statedLengthMicros(AVFormatContext format) {
        for (int i = 0; i < format.nb_streams(); i++) {
            AVStream stream = format.streams(i);
            if (stream.codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO
                    && stream.duration() > 0) {
                return stream.duration()
                        * 1_000_000L
                        * stream.time_base().num()
                        / stream.time_base().den();
            }
        }
        return format.duration_estimation_method() == avformat.AVFMT_DURATION_FROM_BITRATE
                ? 0
                : Math.max(0, grabber.getLengthInTime());
    }

    private static String ffmpegError(int code) {
        byte[] words = new byte[256];
        avutil.av_strerror(code, words, words.length);
        int end = 0;
        while (end < words.length && words[end] != 0) {
            end++;
        }
        return new String(words, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * Whether the input says its size: a web server's file does; RTSP has no I/O context, a chunked
     * HTTP stream does not say. HLS and DASH read a playlist, whose size says nothing of the
     * stream's.
     */
    private boolean knownSize() {
        AVFormatContext format = grabber.getFormatContext();
        String name = format.iformat().name().getString();
        AVIOContext io = format.pb();
        return !name.equals("hls")
                && !name.equals("dash")
                && io != null
                && !io.isNull()
                && avformat.avio_size(io) >= 0;
    }

    private void releaseQuietly() {
        try {
            grabber.release();
        } catch (FrameGrabber.Exception e) {
            LOG.debug("could not release the grabber of {}", location, e);
        }
    }

    /**
     * Copies a BGR24 frame into a new image row by row. JavaCV's own converter infers the channel
     * count as stride / width, which FFmpeg's row padding breaks for widths such as 96 (a 288-byte
     * row padded to 384 reads as four channels); the stride is only the row pitch.
     */
    private BufferedImage toBgr(Frame frame) {
        int width = frame.imageWidth;
        int height = frame.imageHeight;
        int row = width * 3;
        if (frame.imageDepth != Frame.DEPTH_UBYTE || frame.imageStride < row) {
            throw new FrameSourceException(
                    String.format(
                            "expected 8-bit BGR frames from %s but frame %d has depth %d and a"
                                    + " %d-byte stride for width %d",
                            location, index, frame.imageDepth, frame.imageStride, width));
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        ByteBuffer data = ((ByteBuffer) frame.image[0]).duplicate();
        for (int y = 0; y < height; y++) {
            data.position(y * frame.imageStride);
            data.get(pixels, y * row, row);
        }
        return image;
    }

    /**
     * FFmpeg's options for a location: RTSP and RTSPS (any case) over TCP with the RTSP demuxer's
     * own socket timeout, which its lower TCP or TLS connection takes; any other URL (HTTP(S),
     * RTMP(S), TCP, an HLS playlist) with the generic read/write timeout; a file with none.
     *
     * @param url the location as given
     * @return option to value
     */
    static Map<String, String> streamOptions(String url) {
        if (!isUrl(url)) {
            return Map.of();
        }
        String scheme = url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT);
        if (scheme.equals("rtsp") || scheme.equals("rtsps")) {
            return Map.of("rtsp_transport", "tcp", "timeout", STREAM_TIMEOUT_MICROS);
        }
        return Map.of("rw_timeout", STREAM_TIMEOUT_MICROS);
    }

    static boolean isUrl(String location) {
        int colon = location.indexOf("://");
        return colon > 1 && location.substring(0, colon).chars().allMatch(Character::isLetter);
    }

    /** FFmpeg's own words, without JavaCV's advice about its API. */
    static String ffmpegWords(String message) {
        if (message == null) {
            return "no reason given";
        }
        int advice = message.indexOf(" (");
        String words = advice > 0 ? message.substring(0, advice) : message;
        int colon = words.indexOf(": ");
        return (colon > 0 ? words.substring(colon + 2) : words).strip();
    }
}
