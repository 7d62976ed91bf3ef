package dev.cidra.gateway;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the {@link KafkaResource} cluster shared by the test classes when the test run ends, while the JVM is still
 * whole: a broker stopped from a JVM shutdown hook races the other hooks (logging) and may halt the JVM with status 1,
 * which fails the build after every test passed.
 */
public final class KafkaSession implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        KafkaResource.closeShared();
    }
}
