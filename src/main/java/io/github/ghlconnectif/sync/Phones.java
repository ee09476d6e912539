package io.github.ghlconnectif.sync;

import java.util.regex.Pattern;

/** Phone numbers in E.164, as Connectif's {@code _mobilePhone} wants them. */
public final class Phones {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private Phones() {
    }

    /** Strips spaces, dashes, dots and brackets; {@code 00} becomes {@code +}. Throws when no E.164 number remains. */
    public static String toE164(String phone) {
        String compact = phone.trim().replaceAll("[\\s\\-().]", "");
        if (compact.startsWith("00")) {
            compact = "+" + compact.substring(2);
        }
        if (!E164.matcher(compact).matches()) {
            throw new IllegalArgumentException("'" + phone + "' is not an international phone number");
        }
        return compact;
    }
}
