package dev.cidra.executor.service.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.inject.Singleton;
import java.io.IOException;

/** Decodes record values as JSON contract records with the service's {@link ObjectMapper}. Thread-safe. */
@Singleton
class RecordDecoder {
    private final ObjectMapper json;

    RecordDecoder(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @throws IllegalArgumentException saying why the value is not a valid {@code type}: no value, JSON null, not JSON
     *     of that shape (with the byte offset), or a rule of the record broken (its own message)
     */
    <T> T decode(byte[] value, Class<T> type) {
        String name = type.getSimpleName();
        String aName = ("AEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("the record has no value; expected " + aName + " as JSON");
        }
        try {
            T decoded = json.readValue(value, type);
            if (decoded == null) {
                throw new IllegalArgumentException("the record's value is JSON null; expected " + aName);
            }
            return decoded;
        } catch (ValueInstantiationException e) {
            var cause =
                    e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage();
            throw new IllegalArgumentException("invalid " + name + ": " + cause, e);
        } catch (JsonProcessingException e) {
            var location = e.getLocation() == null
                    ? ""
                    : " (at offset " + e.getLocation().getByteOffset() + ")";
            throw new IllegalArgumentException("not " + aName + " as JSON: " + e.getOriginalMessage() + location, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not " + aName + " as JSON: " + e.getMessage(), e);
        }
    }
}
