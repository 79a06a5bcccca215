package dev.ccp.server.identity.boundary;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks resources that need a person's access token: {@link BearerCheck} refuses a request without a
 * valid one before its body is parsed, so a caller who is not signed in learns that first, and an
 * anonymous caller cannot make the server parse anything.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Bearer {
}
