package dev.penchant.support.problem;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A free-form JSON value (attributes) stays within {@link JsonLimits#MAX_OBJECT_CHARS} serialized
 * and holds no U+0000, keys and nested values included; the violation names the field (and the batch index).
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = JsonSize.Check.class)
public @interface JsonSize {
    int max() default JsonLimits.MAX_OBJECT_CHARS;

    String message() default "too large";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<JsonSize, Object> {
        private int max;

        @Override
        public void initialize(JsonSize annotation) {
            max = annotation.max();
        }

        @Override
        public boolean isValid(Object value, ConstraintValidatorContext context) {
            String problem = JsonLimits.check(value, max);
            if (problem == null) return true;
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem.replace("{", "\\{").replace("$", "\\$"))
                    .addConstraintViolation();
            return false;
        }
    }
}
