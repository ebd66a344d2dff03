package dev.penchant.support.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Strict input: an unknown field is a client error, not something to drop silently (Quarkus's default),
 * and a string holding U+0000 is refused where it is read, with its field named: PostgreSQL text and
 * jsonb cannot store it (nested JSON objects are checked where they are validated, see JsonLimits).
 */
@Singleton
public class ProblemJackson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        mapper.registerModule(new SimpleModule("penchant-no-nul")
                .addDeserializer(String.class, new NoNulStrings())
                .addKeyDeserializer(String.class, new NoNulKeys()));
    }

    static final class NoNulStrings extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = super.deserialize(p, ctxt);
            if (s != null && s.indexOf('\u0000') >= 0) {
                throw InvalidFormatException.from(p, ProblemMappers.NUL_MESSAGE, s, String.class);
            }
            return s;
        }
    }

    static final class NoNulKeys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (key.indexOf('\u0000') >= 0) {
                throw InvalidFormatException.from(ctxt.getParser(), ProblemMappers.NUL_MESSAGE, key, String.class);
            }
            return key;
        }
    }
}
