package dev.cidra.gateway.providers;

/**
 * A call or job needs a module only provider nodes serve, and no live provider node offers it (or offers all the
 * provided modules it needs together): nothing was published. The message names the module, how the call needs it and
 * the last node that offered it.
 */
public final class NoProviderException extends RuntimeException {
    NoProviderException(String message) {
        super(message);
    }
}
