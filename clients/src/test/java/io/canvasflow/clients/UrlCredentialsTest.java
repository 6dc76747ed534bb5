package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UrlCredentialsTest {

    @Test
    void shouldHideThePasswordOfEveryUrlInAText() {
        assertEquals(
                "http://admin:***@cam.local/v.avi",
                UrlCredentials.hide("http://admin:s3cret@cam.local/v.avi"));
        // FFmpeg takes the last @ before the host: an unescaped @ in a password is hidden too
        assertEquals(
                "RTSPS://admin:***@10.0.0.7:322/live",
                UrlCredentials.hide("RTSPS://admin:p@ss@10.0.0.7:322/live"));
        // a user name alone may be a token
        assertEquals("rtmp://***@host/app", UrlCredentials.hide("rtmp://tok3n@host/app"));
        // in FFmpeg's words, quoted
        assertEquals(
                "Could not open input \"http://a:***@h/v\" and rtsp://b:***@k/",
                UrlCredentials.hide("Could not open input \"http://a:x@h/v\" and rtsp://b:y@k/"));
        // an @ after the host is no user info
        assertEquals("http://host/a@b.mp4", UrlCredentials.hide("http://host/a@b.mp4"));
        assertEquals("/videos/me@home.mp4", UrlCredentials.hide("/videos/me@home.mp4"));
    }
}
