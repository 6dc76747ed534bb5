package io.canvasflow.clients;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the password of a URL's user info ({@code rtsp://admin:s3cret@host/} becomes {@code
 * rtsp://admin:***@host/}) wherever a source is named: frame metadata on Kafka, log lines, error
 * sentences. Only FFmpeg gets the URL as given.
 */
public final class UrlCredentials {

    /**
     * A scheme, then user info up to the last {@code @} before the host's end: FFmpeg takes the
     * last one, so a password with an unescaped {@code @} is hidden whole.
     */
    private static final Pattern USER_INFO =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/?#\\s\"']*)@");

    private UrlCredentials() {}

    /**
     * Returns the text with every URL's password replaced by {@code ***}; a user name alone, which
     * may be a token, is replaced too.
     *
     * @param text a URL, or a message that names URLs
     * @return the text without passwords
     */
    public static String hide(String text) {
        if (text == null || !text.contains("@")) {
            return text;
        }
        Matcher m = USER_INFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String userInfo = m.group(2);
            int colon = userInfo.indexOf(':');
            String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + shown + "@"));
        }
        m.appendTail(out);
        return out.toString();
    }
}
