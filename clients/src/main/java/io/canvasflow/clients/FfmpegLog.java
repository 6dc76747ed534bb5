package io.canvasflow.clients;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's own log, routed into SLF4J. FFmpeg writes straight to standard error otherwise, a line a
 * message: {@code publish} of OpenCV's vtest.avi with three 50 kB runs overwritten printed 104 raw
 * lines such as {@code [msmpeg4 @ 0x7f61608628c0] ignoring overflow at 7 11} among its own.
 *
 * <p>Only errors are kept (FFmpeg's {@code AV_LOG_ERROR} and worse). A message FFmpeg gives while a
 * listener is {@linkplain #listen listening} on the same thread goes to that listener, which says
 * what it means for its source, and is logged at DEBUG under the logger {@code ffmpeg}; any other
 * (an encoder's, say) is logged at WARN there. A video source decodes on its own thread for this to
 * hold ({@link VideoFileSource} asks FFmpeg for one decoding thread).
 */
final class FfmpegLog extends LogCallback {

    private static final Logger LOG = LoggerFactory.getLogger("ffmpeg");

    /** Held for the life of the process: FFmpeg keeps calling it. */
    private static final FfmpegLog INSTANCE = new FfmpegLog();

    private static final ThreadLocal<Consumer<String>> LISTENER = new ThreadLocal<>();

    private static volatile boolean installed;

    private FfmpegLog() {}

    /** Routes FFmpeg's log here, once a process. */
    static void install() {
        if (installed) {
            return;
        }
        synchronized (FfmpegLog.class) {
            if (!installed) {
                avutil.av_log_set_level(avutil.AV_LOG_ERROR);
                avutil.setLogCallback(INSTANCE);
                installed = true;
            }
        }
    }

    /**
     * Hands FFmpeg's messages on this thread to {@code listener} until the scope closes.
     *
     * @param listener what hears each message, without FFmpeg's {@code [codec @ 0x...]} prefix
     * @return the scope; close it when the FFmpeg call returns
     */
    static Scope listen(Consumer<String> listener) {
        install();
        Consumer<String> outer = LISTENER.get();
        LISTENER.set(listener);
        return () -> {
            if (outer == null) {
                LISTENER.remove();
            } else {
                LISTENER.set(outer);
            }
        };
    }

    @Override
    public void call(int level, BytePointer line) {
        try {
            // the level's low byte is the severity, lower is worse; the rest are flags
            if ((level & 0xff) > avutil.AV_LOG_ERROR || line == null) {
                return;
            }
            String words = words(line.getString(StandardCharsets.UTF_8));
            if (words.isEmpty()) {
                return;
            }
            Consumer<String> listener = LISTENER.get();
            if (listener == null) {
                LOG.warn("FFmpeg: {}", words);
                return;
            }
            LOG.debug("{}", words);
            listener.accept(words);
        } catch (Throwable e) {
            // nothing may leave a native callback: JavaCPP would unwind it through FFmpeg's C
        }
    }

    /**
     * A message without FFmpeg's {@code [name @ 0x...]} prefix, on one line, without a URL's
     * password.
     */
    static String words(String line) {
        String words = line.strip();
        if (words.startsWith("[")) {
            int end = words.indexOf("] ");
            words = end > 0 ? words.substring(end + 2) : words;
        }
        // FFmpeg names the URL as it was given, password and all
        return UrlCredentials.hide(words.replaceAll("\\s+", " ").strip());
    }

    /** A listening scope; closing it restores the listener that was there before. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
