package dev.penchant.api.console;

import io.quarkus.elytron.security.common.BcryptUtil;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

/** bcrypt (cost 10) through Quarkus's Elytron helpers. Slow on purpose: call on worker threads only. */
final class Passwords {
    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 200;
    private static final WildFlyElytronPasswordProvider PROVIDER = new WildFlyElytronPasswordProvider();
    /** Verified against when the user is unknown, so an unknown name costs as much time as a wrong password. */
    private static final String DECOY = BcryptUtil.bcryptHash("decoy-password-never-valid");

    private Passwords() {
    }

    static String hash(String password) {
        return BcryptUtil.bcryptHash(password);
    }

    static boolean verify(String password, String hash) {
        try {
            Password raw = ModularCrypt.decode(hash);
            PasswordFactory factory = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, PROVIDER);
            return factory.verify(factory.translate(raw), password.toCharArray());
        } catch (Exception e) {
            return false;
        }
    }

    static void decoy(String password) {
        verify(password, DECOY);
    }

    /** Null when acceptable, else what is wrong. */
    static String weakness(String password) {
        if (password == null || password.length() < MIN_LENGTH) return "at least " + MIN_LENGTH + " characters";
        if (password.length() > MAX_LENGTH) return "at most " + MAX_LENGTH + " characters";
        return null;
    }
}
