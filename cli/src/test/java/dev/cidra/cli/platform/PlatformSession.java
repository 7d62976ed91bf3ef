package dev.cidra.cli.platform;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the {@link SharedPlatform} when the test run ends, so that no process of it outlives the run. */
public final class PlatformSession implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            SharedPlatform.stopShared();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the shared platform", e);
        }
    }
}
