package io.switchboard.testkit.autobahn;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The UTF-8 decoder test sequences behind Autobahn's cases 6.5.x to 6.23.x (after Markus Kuhn's
 * UTF-8-test.txt), in Autobahn's order, each marked valid or not.
 */
final class Utf8Sequences {

    record Seq(boolean valid, byte[] bytes) {
    }

    record Group(String name, List<Seq> sequences) {
    }

    private Utf8Sequences() {
    }

    private static byte[] h(String hex) {
        return AutobahnCases.hex(hex);
    }

    private static Group g(String name, Object... validAndHex) {
        List<Seq> l = new ArrayList<>();
        for (int i = 0; i < validAndHex.length; i += 2) l.add(new Seq((Boolean) validAndHex[i], h((String) validAndHex[i + 1])));
        return new Group(name, l);
    }

    static List<Group> groups() {
        List<Group> gs = new ArrayList<>();
        byte[] kosme = h("cebae1bdb9cf83cebcceb5");
        gs.add(g("Some valid UTF-8 sequences", true, "68656c6c6f24776f726c64", true, "68656c6c6fc2a2776f726c64",
                true, "68656c6c6fe282ac776f726c64", true, "68656c6c6ff0a4ada2776f726c64", true, "cebae1bdb9cf83cebcceb5"));
        List<Seq> prefixes = new ArrayList<>();
        for (int i = 1; i <= kosme.length; i++) {
            byte[] p = Arrays.copyOf(kosme, i);
            prefixes.add(new Seq(complete(p), p));
        }
        gs.add(new Group("All prefixes of a valid UTF-8 string that contains multi-byte code points", prefixes));
        gs.add(g("First possible sequence of a certain length", true, "00", true, "c280", true, "e0a080", true, "f0908080"));
        gs.add(g("First possible sequence length 5/6 (invalid codepoints)", false, "f888808080", false, "fc8480808080"));
        gs.add(g("Last possible sequence of a certain length", true, "7f", true, "dfbf", true, "efbfbf", true, "f48fbfbf"));
        gs.add(g("Last possible sequence length 4/5/6 (invalid codepoints)", false, "f7bfbfbf", false, "fbbfbfbfbf", false, "fdbfbfbfbfbf"));
        gs.add(g("Other boundary conditions", true, "ed9fbf", true, "ee8080", true, "efbfbd", true, "f48fbfbf", false, "f4908080"));
        StringBuilder cont = new StringBuilder();
        for (int i = 0x80; i < 0xbf; i++) cont.append(String.format("%02x", i));
        gs.add(g("Unexpected continuation bytes", false, "80", false, "bf", false, "80bf", false, "80bf80", false, "80bf80bf",
                false, "80bf80bf80", false, "80bf80bf80bf", false, cont.toString()));
        int[][] lonely = {{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}};
        List<Seq> ls = new ArrayList<>();
        for (int[] r : lonely) {
            StringBuilder sb = new StringBuilder();
            for (int i = r[0]; i < r[1]; i++) sb.append(String.format("%02x20", i));
            ls.add(new Seq(false, h(sb.toString())));
        }
        gs.add(new Group("Lonely start characters", ls));
        String[] missing = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"};
        List<Seq> ms = new ArrayList<>();
        for (String m : missing) ms.add(new Seq(false, h(m)));
        gs.add(new Group("Sequences with last continuation byte missing", ms));
        gs.add(g("Concatenation of incomplete sequences", false, String.join("", missing)));
        gs.add(g("Impossible bytes", false, "fe", false, "ff", false, "fefeffff"));
        gs.add(g("Examples of an overlong ASCII character", false, "c0af", false, "e080af", false, "f08080af", false, "f8808080af", false, "fc80808080af"));
        gs.add(g("Maximum overlong sequences", false, "c1bf", false, "e09fbf", false, "f08fbfbf", false, "f887bfbfbf", false, "fc83bfbfbfbf"));
        gs.add(g("Overlong representation of the NUL character", false, "c080", false, "e08080", false, "f0808080", false, "f880808080", false, "fc8080808080"));
        gs.add(g("Single UTF-16 surrogates", false, "eda080", false, "edadbf", false, "edae80", false, "edafbf", false, "edb080", false, "edbe80", false, "edbfbf"));
        gs.add(g("Paired UTF-16 surrogates", false, "eda080edb080", false, "eda080edbfbf", false, "edadbfedb080", false, "edadbfedbfbf",
                false, "edae80edb080", false, "edae80edbfbf", false, "edafbfedb080", false, "edafbfedbfbf"));
        List<Seq> nonChars = new ArrayList<>();
        nonChars.add(new Seq(true, h("efbfbe")));
        nonChars.add(new Seq(true, h("efbfbf")));
        String[] z1s = {"f0", "f1", "f2", "f3", "f4"};
        String[] z2s = {"8f", "9f", "af", "bf"};
        for (String z1 : z1s) {
            for (String z2 : z2s) {
                if (z1.equals("f4") && !z2.equals("8f")) continue; // beyond U+10FFFF
                for (String z3 : new String[] {"be", "bf"}) {
                    String zz = z1 + z2 + "bf" + z3;
                    if (zz.equals("f08fbfbe") || zz.equals("f08fbfbf")) continue; // overlong
                    nonChars.add(new Seq(true, h(zz)));
                }
            }
        }
        gs.add(new Group("Non-character code points (valid UTF-8)", nonChars));
        gs.add(g("Unicode specials (i.e. replacement char)", true, "efbfb9", true, "efbfba", true, "efbfbb", true, "efbfbc",
                true, "efbfbd", true, "efbfbe", true, "efbfbf"));
        return gs;
    }

    private static boolean complete(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
