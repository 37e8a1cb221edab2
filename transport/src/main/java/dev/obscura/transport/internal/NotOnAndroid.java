package dev.obscura.transport.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class that runs on servers and desktop JVMs only (the relay server, the S3 store, the
 * spool, the JDK WebSocket client), so the Android API check of the build (animal-sniffer against
 * Android API 26, configured in the parent POM; see {@code docs/android.md}) skips it. Everything
 * else in {@code transport}, above all the relay client, must link on Android. Not API.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface NotOnAndroid {}
