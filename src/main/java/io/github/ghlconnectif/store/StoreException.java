package io.github.ghlconnectif.store;

/** The store could not be read or written. Transient from the caller's view: retrying later may work. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
